// Black-box tests of `launchctl`: the seed's incident commands and the exit codes scripts use.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/state_fixture.h"

using launchkit::testing::StateFixture;

TEST_CASE_METHOD(StateFixture, "pause, status and resume as in the rollback runbook",
                 "[cli][launchctl]") {
    auto empty = launchctl({"status"});
    CHECK(empty.exit_code == 0);
    CHECK_THAT(empty.stdout_text, Catch::Contains("everything is running"));

    auto pause = launchctl({"pause", "redemption", "--reason", "BTC mainnet incident"});
    INFO(pause.stderr_text);
    REQUIRE(pause.exit_code == 0);
    CHECK_THAT(pause.stdout_text, Catch::Contains("redemption: paused"));

    auto status = launchctl({"status"});
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.stdout_text, Catch::Contains("NAME") && Catch::Contains("STATE") &&
                                       Catch::Contains("SINCE") && Catch::Contains("BY") &&
                                       Catch::Contains("REASON") &&
                                       Catch::Contains("BTC mainnet incident"));
    CHECK(launchctl({"status", "redemption"}).exit_code == 1);

    auto resume = launchctl({"resume", "redemption", "--reason", "fixed"});
    REQUIRE(resume.exit_code == 0);
    CHECK_THAT(resume.stdout_text, Catch::Contains("running (was paused since"));
    CHECK(launchctl({"status", "redemption"}).exit_code == 0);
    auto resumed_again = launchctl({"resume", "redemption"});
    CHECK(resumed_again.exit_code == 0);
    CHECK_THAT(resumed_again.stdout_text, Catch::Contains("already running"));

    auto json = nlohmann::json::parse(launchctl({"status", "--json"}).stdout_text);
    REQUIRE(json["controls"].size() == 1);
    auto control = json["controls"][0];
    CHECK(control["name"] == "redemption");
    CHECK(control["state"] == "running");
    CHECK(control["by"] == "oncall");
    CHECK(control["reason"] == "fixed");
    CHECK(control.contains("since"));

    auto history = launchctl({"history", "redemption"});
    CHECK_THAT(history.stdout_text, Catch::Contains("none → paused") &&
                                        Catch::Contains("paused → running") &&
                                        Catch::Contains("BTC mainnet incident"));
}

TEST_CASE_METHOD(StateFixture, "a reason cannot overwrite or erase what status shows",
                 "[cli][launchctl]") {
    // Anyone who can pause (a shared store, feature-flags serve) writes the reason; it must not
    // turn a paused control into a blank line or a "running" one on the operator's terminal.
    REQUIRE(
        launchctl({"pause", "checkout", "--reason", "INC-1\rcheckout  running\x1b[2K"}).exit_code ==
        0);
    for (const auto& arguments : std::vector<std::vector<std::string>>{
             {"status"}, {"status", "checkout"}, {"history"}, {"pause", "checkout"}}) {
        auto shown = launchctl(arguments);
        INFO(arguments.front() << ": " << shown.stdout_text << shown.stderr_text);
        CHECK(shown.stdout_text.find('\r') == std::string::npos);
        CHECK(shown.stdout_text.find('\x1b') == std::string::npos);
        CHECK_THAT(shown.stdout_text, Catch::Contains("INC-1\\rcheckout  running\\x1b[2K"));
    }
    auto json = nlohmann::json::parse(launchctl({"status", "checkout", "--json"}).stdout_text);
    CHECK(json["reason"] == "INC-1\rcheckout  running\x1b[2K");  // scripts get it as it was
}

TEST_CASE_METHOD(StateFixture, "pausing a paused control keeps who paused it first and why",
                 "[cli][launchctl]") {
    REQUIRE(launchctl({"pause", "redemption", "--reason", "incident 12"}).exit_code == 0);
    auto first = nlohmann::json::parse(launchctl({"status", "redemption", "--json"}).stdout_text);
    auto again = launchctl({"--actor", "bob", "pause", "redemption", "--reason", "me too"});
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.stdout_text, Catch::Contains("was already paused") &&
                                      Catch::Contains("by oncall: incident 12") &&
                                      Catch::Contains("nothing changed"));
    auto second = nlohmann::json::parse(launchctl({"status", "redemption", "--json"}).stdout_text);
    CHECK(second == first);
    CHECK(nlohmann::json::parse(launchctl({"history", "--json"}).stdout_text)["history"].size() ==
          1);
}

TEST_CASE_METHOD(StateFixture, "typos are caught instead of acted on", "[cli][launchctl]") {
    REQUIRE(launchctl({"pause", "redemption"}).exit_code == 0);
    // Never paused is running (exit 0), but a likely typo is pointed out.
    auto status = launchctl({"status", "redemtion"});
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.stdout_text, Catch::Contains("redemtion is running (never paused)"));
    CHECK_THAT(status.stderr_text, Catch::Contains("did you mean 'redemption'?"));
    CHECK(launchctl({"resume", "redemtion"}).exit_code == 2);

    auto pause = launchctl({"pause", "redemtion"});
    CHECK(pause.exit_code == 2);
    CHECK_THAT(pause.stderr_text, Catch::Contains("pass --new"));
    CHECK(launchctl({"pause", "redemtion", "--new"}).exit_code == 0);
    CHECK(launchctl({"pause", "Bad Name"}).exit_code == 2);
    CHECK(launchctl({"pause"}).exit_code == 2);
    auto resumed = launchctl({"resume", "never-paused"});
    CHECK(resumed.exit_code == 0);
    CHECK_THAT(resumed.stdout_text, Catch::Contains("already running (never paused)"));
}

TEST_CASE_METHOD(StateFixture, "a never-paused control is running, declared controls catch typos",
                 "[cli][launchctl]") {
    auto fresh = launchctl({"status", "redemption", "--json"});
    CHECK(fresh.exit_code == 0);
    auto json = nlohmann::json::parse(fresh.stdout_text);
    CHECK(json["state"] == "running");
    CHECK(json["never_paused"] == true);
    CHECK(launchctl({"wait", "redemption", "--until", "running", "--timeout", "1s"}).exit_code ==
          0);
    CHECK(launchctl({"wait", "redemption", "--until", "paused", "--timeout", "200ms", "--interval",
                     "50ms"})
              .exit_code == 1);

    // With launch_controls: declared, a name it lacks (and never used) is a usage error.
    auto config = state.path() / "launchkit.yaml";
    std::ofstream(config) << "launch_controls:\n  redemption: Redemption flow\n  signups: New "
                             "accounts\n";
    auto with_config = [&](std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), {"--config", config.string()});
        return launchctl(std::move(arguments));
    };
    CHECK(with_config({"status", "signups"}).exit_code == 0);
    auto unknown = with_config({"status", "signup"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.stderr_text, Catch::Contains("did you mean 'signups'?"));
    CHECK(with_config({"wait", "payments", "--until", "running"}).exit_code == 2);
    auto refused = with_config({"pause", "payments"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("not declared under launch_controls:") &&
                                        Catch::Contains("pass --new"));
    CHECK(with_config({"pause", "payments", "--new"}).exit_code == 0);
    CHECK(with_config({"status", "payments"}).exit_code == 1);  // used now: known, and paused

    // The list shows every declared control, paused or never paused.
    auto list = nlohmann::json::parse(with_config({"status", "--json"}).stdout_text);
    REQUIRE(list["controls"].size() == 3);
    CHECK(list["controls"][0]["name"] == "payments");
    CHECK(list["controls"][1]["name"] == "redemption");
    CHECK(list["controls"][1]["never_paused"] == true);
    CHECK(list["controls"][2]["name"] == "signups");
}

TEST_CASE_METHOD(StateFixture, "wait returns when the state is reached and exits 1 at the timeout",
                 "[cli][launchctl]") {
    REQUIRE(launchctl({"pause", "redemption"}).exit_code == 0);

    auto timed_out = launchctl(
        {"wait", "redemption", "--until", "running", "--timeout", "300ms", "--interval", "50ms"});
    CHECK(timed_out.exit_code == 1);
    CHECK_THAT(timed_out.stdout_text, Catch::Contains("still paused after 300 ms"));
    CHECK_THAT(timed_out.stderr_text, Catch::Contains("waiting up to 300 ms"));

    CHECK(launchctl({"wait", "redemption", "--until", "paused"}).exit_code == 0);

    launchkit::util::ProcessResult waited;
    std::thread waiter([&] {
        waited = *launchkit::util::run_process(
            spec("launchctl", {"wait", "redemption", "--until", "running", "--timeout", "20s",
                               "--interval", "50ms"}));
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    auto resumed = launchctl({"resume", "redemption"});
    waiter.join();
    REQUIRE(resumed.exit_code == 0);
    CHECK(waited.exit_code == 0);
    CHECK_THAT(waited.stdout_text, Catch::Contains("redemption is running"));

    CHECK(launchctl({"wait", "redemption", "--until", "stopped"}).exit_code == 2);
    CHECK(launchctl({"wait", "redemption", "--until", "paused", "--timeout", "5 minutes"})
              .exit_code == 2);
}

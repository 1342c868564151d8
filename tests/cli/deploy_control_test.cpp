// Steering a deploy from a second shell: `abort`, `promote [--full]`, `pause` then `resume`, and
// `abort` of a run whose runner was killed. Real executables; the second command starts once the
// canary's first traffic step has been made.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/demo_service.h"
#include "support/metrics_server.h"
#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::DemoService;
using launchkit::testing::MetricsServer;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
using launchkit::util::ProcessResult;

namespace {

// A canary 5 → 50 → 100 % whose gate measures three times, 2 s apart: left alone, each gate
// takes 4 s, so a control acted on "at once" shows in the journal, not only in the time.
struct SteeredDeploy {
    StateFixture fixture;
    MetricsServer metrics;
    TempDir dir;

    SteeredDeploy() {
        metrics.set("/metrics", "http_error_ratio 0.01\n");
        dir.write("rules.yaml", fmt::format(R"(
sources:
  app: {{prometheus_text: "{}"}}
metrics:
  error_rate: {{source: app, select: http_error_ratio}}
thresholds:
  - {{name: error-rate, metric: error_rate, fail_when: "> 5%"}}
analysis: {{interval: 2s, count: 3}}
)",
                                            metrics.url("/metrics")));
        dir.write("playbook.yaml", R"(apiVersion: launchkit/v1
name: steered
steps:
  - name: flag-on
    flag: {name: dark-mode, state: enabled}
  - name: canary
    deploy:
      strategy: canary
      steps: [5, 50, 100]
      set_weight: {argv: [sh, -c, "echo ${weight} >> weights"]}
    gate: {rules: rules.yaml}
    on_failure: rollback
)");
        REQUIRE(fixture.flags({"create", "dark-mode"}).exit_code == 0);
    }

    ProcessResult run(std::vector<std::string> arguments) const {
        return fixture.run_in(dir.path(), "release-manager", std::move(arguments));
    }
    ProcessResult deploy() const {
        return run({"deploy", "3.0.0", "production", "--playbook",
                    (dir.path() / "playbook.yaml").string(), "--json"});
    }
    std::string weights() const {
        auto text = launchkit::util::read_file(dir.path() / "weights");
        return text ? *text : "";
    }
    // Waits (up to 20 s) until the traffic steps so far are `expected`.
    void wait_for_weights(const std::string& expected) const {
        for (int i = 0; i < 1000 && weights() != expected; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        REQUIRE(weights() == expected);
    }
    bool flag_on() const {
        auto result = fixture.run("feature-flags", {"get", "dark-mode", "--env", "production"});
        return result.exit_code == 0;
    }
};

}  // namespace

TEST_CASE("abort from a second shell during a gate rolls the deploy back", "[cli][playbook]") {
    SteeredDeploy steered;
    ProcessResult deployed;
    std::thread runner([&] { deployed = steered.deploy(); });
    steered.wait_for_weights("5\n");
    auto aborted = steered.run({"abort", "production", "--reason", "checkout errors", "--json"});
    runner.join();
    INFO(deployed.stderr_text << aborted.stderr_text);
    CHECK(aborted.exit_code == 0);
    CHECK(nlohmann::json::parse(aborted.stdout_text)["status"] == "rolled_back");
    CHECK(deployed.exit_code == 1);
    auto run = nlohmann::json::parse(deployed.stdout_text);
    CHECK(run["status"] == "rolled_back");
    CHECK(run["reason"] == "aborted by oncall: checkout errors");
    CHECK(steered.weights() == "5\n0\n");
    CHECK_FALSE(steered.flag_on());
    // Aborting an ended run says so.
    auto again = steered.run({"abort", run["run_id"]});
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.stderr_text, Catch::Contains("already ended: rolled_back"));
}

TEST_CASE("promote skips the rest of a gate, promote --full goes straight to 100%",
          "[cli][playbook]") {
    SteeredDeploy steered;
    ProcessResult deployed;
    std::thread runner([&] { deployed = steered.deploy(); });
    steered.wait_for_weights("5\n");
    auto promoted = steered.run({"promote", "production", "--reason", "metrics look fine"});
    CHECK(promoted.exit_code == 0);
    steered.wait_for_weights("5\n50\n");
    auto full = steered.run({"promote", "production", "--full"});
    CHECK(full.exit_code == 0);
    runner.join();
    INFO(deployed.stderr_text);
    CHECK(deployed.exit_code == 0);
    CHECK(steered.weights() == "5\n50\n100\n");
    auto run = nlohmann::json::parse(deployed.stdout_text);
    CHECK(run["status"] == "succeeded");
    CHECK(steered.flag_on());
    auto journal = *launchkit::util::read_file(steered.fixture.state.path() / "runs" /
                                               (run["run_id"].get<std::string>() + ".jsonl"));
    CHECK_THAT(journal, Catch::Contains("promoted by oncall (metrics look fine): the rest of the "
                                        "analysis was skipped") &&
                            Catch::Contains("\"control\":\"promote_full\"") &&
                            Catch::Contains("no more gates"));
}

TEST_CASE("pause holds a deploy at its traffic step, resume finishes it", "[cli][playbook]") {
    SteeredDeploy steered;
    ProcessResult deployed;
    std::thread runner([&] { deployed = steered.deploy(); });
    steered.wait_for_weights("5\n");
    auto paused = steered.run({"pause", "production"});
    runner.join();
    INFO(deployed.stderr_text << paused.stderr_text);
    CHECK(paused.exit_code == 0);
    CHECK(deployed.exit_code == 1);
    auto run = nlohmann::json::parse(deployed.stdout_text);
    CHECK(run["status"] == "paused");
    CHECK(run["reason"] == "paused by oncall");
    CHECK(steered.weights() == "5\n");
    CHECK(steered.flag_on());
    // A paused run has no runner to promote.
    auto promote = steered.run({"promote", "production"});
    CHECK(promote.exit_code == 1);
    CHECK_THAT(promote.stderr_text, Catch::Contains("resume it first"));

    auto resumed = steered.run({"resume", "production", "--json"});
    INFO(resumed.stderr_text);
    CHECK(resumed.exit_code == 0);
    CHECK(nlohmann::json::parse(resumed.stdout_text)["status"] == "succeeded");
    CHECK(steered.weights() == "5\n5\n50\n100\n");
}

TEST_CASE("abort rolls back a run whose runner was killed, --abandon touches nothing",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("killed.yaml", R"(apiVersion: launchkit/v1
name: killed
steps:
  - name: flag-on
    flag: {name: dark-mode, state: enabled}
  - name: crash
    run: [sh, -c, "if [ ! -e crashed ]; then touch crashed; kill -9 $PPID; sleep 5; fi"]
)");
    dir.write("pausing.yaml", R"(apiVersion: launchkit/v1
name: pausing
steps:
  - name: flag-on
    flag: {name: dark-mode, state: enabled}
  - name: broken
    run: [sh, -c, "exit 1"]
    on_failure: pause
)");
    REQUIRE(fixture.flags({"create", "dark-mode"}).exit_code == 0);
    auto in_dir = [&](std::vector<std::string> arguments) {
        return fixture.run_in(dir.path(), "release-manager", std::move(arguments));
    };
    CHECK(in_dir({"deploy", "1.0.0", "qa", "--playbook", (dir.path() / "killed.yaml").string()})
              .signal == 9);
    auto dead = fixture.run_json("release-manager", {"runs"})[0]["run_id"].get<std::string>();
    // Promote and pause need a live runner.
    auto promote = in_dir({"promote", dead});
    CHECK(promote.exit_code == 1);
    CHECK_THAT(promote.stderr_text, Catch::Contains("nothing runs it") &&
                                        Catch::Contains("release-manager resume " + dead));
    auto aborted = in_dir({"abort", "qa", "--json"});
    INFO(aborted.stderr_text);
    CHECK(aborted.exit_code == 0);
    CHECK(nlohmann::json::parse(aborted.stdout_text)["status"] == "rolled_back");
    CHECK_THAT(aborted.stderr_text, Catch::Contains("has no runner; rolling it back here"));
    CHECK(fixture.run("feature-flags", {"get", "dark-mode", "--env", "qa"}).exit_code == 1);

    // An older paused run, once a newer run exists, can only be abandoned.
    auto paused = fixture.run_json(
        "release-manager",
        {"deploy", "1.1.0", "qa", "--playbook", (dir.path() / "pausing.yaml").string()}, {}, 1);
    // The crash step passes now: it crashed once already (in `dir`).
    auto newer = in_dir(
        {"deploy", "1.2.0", "qa", "--playbook", (dir.path() / "killed.yaml").string(), "--json"});
    CHECK(newer.exit_code == 0);
    auto refused = in_dir({"abort", paused["run_id"]});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.stderr_text,
               Catch::Contains("is not the latest in qa") && Catch::Contains("--abandon"));
    auto abandoned = in_dir({"abort", paused["run_id"], "--abandon", "--json"});
    CHECK(abandoned.exit_code == 0);
    CHECK(nlohmann::json::parse(abandoned.stdout_text)["status"] == "abandoned");
    // Nothing was undone: the flag is as the newest run left it.
    CHECK(fixture.run("feature-flags", {"get", "dark-mode", "--env", "qa"}).exit_code == 0);

    auto unknown = in_dir({"abort", "no-such-thing"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.stderr_text,
               Catch::Contains("'no-such-thing' is neither a run id nor an environment with runs"));
}

TEST_CASE("abort during a gate of a canary on the demo service: traffic 0, flag restored",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    DemoService service("releases:\n  \"2.0.0\": {error_rate: 0.001}\n");
    dir.write("rules.yaml", fmt::format(R"(
sources:
  app: {{prometheus_text: "{}/metrics?track=canary"}}
metrics:
  error_rate: {{source: app, select: demo_error_ratio}}
thresholds:
  - {{name: error-rate, metric: error_rate, fail_when: "> 5%"}}
analysis: {{interval: 2s, count: 5}}
)",
                                        service.url()));
    dir.write("playbook.yaml", fmt::format(R"(apiVersion: launchkit/v1
name: demo-canary
vars: {{service_url: "{}"}}
steps:
  - name: enable-feature
    flag: {{name: redemption, state: enabled}}
  - name: stage-release
    run: {{http: "${{service_url}}/admin/deploy", method: POST, body: '{{"version": "${{version}}", "track": "canary"}}', token_env: DEMO_ADMIN_TOKEN}}
  - name: upgrade
    deploy:
      strategy: canary
      steps: [10, 50, 100]
      set_weight: {{http: "${{service_url}}/admin/weight", method: POST, body: '{{"weight": ${{weight}}}}', token_env: DEMO_ADMIN_TOKEN}}
    gate: {{rules: rules.yaml}}
    on_failure: rollback
)",
                                           service.url()));
    REQUIRE(fixture.flags({"create", "redemption"}).exit_code == 0);
    auto run = [&](std::vector<std::string> arguments) {
        return fixture.run_in(dir.path(), "release-manager", std::move(arguments),
                              DemoService::environment());
    };
    ProcessResult deployed;
    std::thread runner([&] {
        deployed = run({"deploy", "2.0.0", "production", "--playbook",
                        (dir.path() / "playbook.yaml").string(), "--json"});
    });
    for (int i = 0; i < 1000 && service.status()["canary_weight"] != 10; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(service.status()["canary_weight"] == 10);
    CHECK(fixture.flags({"get", "redemption", "--env", "production"}).exit_code == 0);
    auto aborted = run({"abort", "production", "--reason", "checkout errors"});
    runner.join();
    INFO(deployed.stderr_text << aborted.stderr_text);
    CHECK(aborted.exit_code == 0);
    CHECK(deployed.exit_code == 1);
    auto report = nlohmann::json::parse(deployed.stdout_text);
    CHECK(report["status"] == "rolled_back");
    CHECK(report["reason"] == "aborted by oncall: checkout errors");
    CHECK(service.status()["canary_weight"] == 0);
    // The flag is back to what it was before the run: off.
    CHECK(fixture.flags({"get", "redemption", "--env", "production"}).exit_code == 1);
}

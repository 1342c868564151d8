// `feature-flags watch` and `launchctl wait` seeing changes as they are committed: by looking at
// the embedded store, and through etcd's watch when the state is shared (with an --interval of an
// hour, so that only a watch can wake them in time).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/etcd_server.h"
#include "support/state_fixture.h"

using launchkit::testing::Environment;
using launchkit::testing::EtcdCluster;
using launchkit::testing::StateFixture;
using launchkit::util::ProcessResult;

namespace {

Environment watched_store() {
    return {
        {"LAUNCHKIT_STORE", EtcdCluster::shared().store_url(EtcdCluster::unique_prefix("watch"))}};
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);)
        lines.push_back(nlohmann::json::parse(line));
    return lines;
}

// Runs `watch ARGUMENTS` on `watcher` while `writer` toggles checkout-v2 every 200 ms (the watch
// may start after the first toggles; it reports those after its start), until the watch ends.
ProcessResult watch_while_toggling(const StateFixture& watcher, const StateFixture& writer,
                                   std::vector<std::string> arguments, const Environment& store) {
    ProcessResult watched;
    std::atomic<bool> done{false};
    std::thread watching([&] {
        auto result = launchkit::util::run_process(watcher.spec("feature-flags", arguments, store));
        REQUIRE(result);
        watched = *result;
        done = true;
    });
    for (int i = 0; i < 100 && !done; ++i) {
        writer.flags({i % 2 ? "disable" : "enable", "checkout-v2", "--reason",
                      "toggle " + std::to_string(i)},
                     store);
        writer.flags({"create", "unrelated-" + std::to_string(i)}, store);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    watching.join();
    return watched;
}

}  // namespace

TEST_CASE("feature-flags watch prints each change to the flags it names as a JSON line",
          "[cli][flags]") {
    StateFixture fixture;
    REQUIRE(fixture.flags({"create", "checkout-v2"}).exit_code == 0);
    auto watched = watch_while_toggling(fixture, fixture,
                                        {"watch", "checkout-v2", "--count", "2", "--timeout", "30s",
                                         "--interval", "50ms", "--json"},
                                        {});
    INFO(watched.stderr_text);
    CHECK(watched.exit_code == 0);
    auto lines = json_lines(watched.stdout_text);
    REQUIRE(lines.size() == 2);
    for (const auto& line : lines) {
        CHECK(line["name"] == "checkout-v2");  // never the unrelated flags created meanwhile
        CHECK(line["actor"] == "oncall");
        CHECK(line["reason"].get<std::string>().starts_with("toggle "));
        CHECK_FALSE(line["changes"].empty());
    }
    CHECK(lines[0]["revision"].get<int>() < lines[1]["revision"].get<int>());
}

TEST_CASE(
    "feature-flags watch without changes: --timeout ends it, exit 1 when --count was not "
    "reached",
    "[cli][flags]") {
    StateFixture fixture;
    REQUIRE(fixture.flags({"create", "checkout-v2"}).exit_code == 0);
    auto quiet = fixture.flags({"watch", "--timeout", "300ms", "--interval", "50ms"});
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.stdout_text.empty());
    auto short_of = fixture.flags({"watch", "--count", "1", "--timeout", "300ms"});
    CHECK(short_of.exit_code == 1);
    auto typo = fixture.flags({"watch", "checkout-v3", "--timeout", "1s"});
    CHECK(typo.exit_code == 2);
    CHECK_THAT(typo.stderr_text, Catch::Contains("checkout-v2"));
}

TEST_CASE("feature-flags watch and launchctl wait follow another machine through etcd's watch",
          "[cli][flags][etcd]") {
    auto store = watched_store();
    StateFixture laptop, ci_runner;
    REQUIRE(laptop.flags({"create", "checkout-v2"}, store).exit_code == 0);
    // An hour between looks: only etcd's watch can show the changes within the test.
    auto watched = watch_while_toggling(
        ci_runner, laptop, {"watch", "--count", "3", "--timeout", "30s", "--interval", "1h"},
        store);
    INFO(watched.stderr_text);
    CHECK(watched.exit_code == 0);
    CHECK_THAT(watched.stdout_text,
               Catch::Contains("oncall  checkout-v2: ") || Catch::Contains("oncall  unrelated-"));

    ProcessResult waited;
    auto started = std::chrono::steady_clock::now();
    std::thread waiting([&] {
        auto result = launchkit::util::run_process(ci_runner.spec(
            "launchctl",
            {"wait", "redemption", "--until", "paused", "--timeout", "30s", "--interval", "1h"},
            store));
        REQUIRE(result);
        waited = *result;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    REQUIRE(laptop.launchctl({"pause", "redemption", "--reason", "incident"}, store).exit_code ==
            0);
    waiting.join();
    INFO(waited.stderr_text);
    CHECK(waited.exit_code == 0);
    CHECK_THAT(waited.stdout_text, Catch::Contains("redemption is paused"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
}

// A deploy stopped by a signal, a dead run that must not be overridden, a stale run that must not
// undo newer work, and `deploy --json` agreeing with `runs RUN_ID --json`: real executables, the
// signal sent by the deploy's own traffic command at a known moment.
#include <catch2/catch.hpp>

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/metrics_server.h"
#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::MetricsServer;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

namespace {

// A canary whose set_weight sends SIGTERM to the runner (its parent) when traffic reaches 5 %,
// once, unless a second signal is wanted during the rollback; its gate measures every `interval`.
void write_interrupted_canary(const TempDir& dir, const MetricsServer& metrics,
                              const std::string& interval, const std::string& on_interrupt,
                              bool signal_during_rollback = false) {
    dir.write("rules.yaml", fmt::format(R"(
sources:
  app: {{prometheus_text: "{}"}}
metrics:
  error_rate: {{source: app, select: http_error_ratio}}
thresholds:
  - {{name: error-rate, metric: error_rate, fail_when: "> 5%"}}
analysis: {{interval: {}, count: 3}}
)",
                                        metrics.url("/metrics"), interval));
    auto on_zero = signal_during_rollback ? "kill -TERM $PPID; sleep 0.2" : "true";
    dir.write("playbook.yaml",
              fmt::format(R"(apiVersion: launchkit/v1
name: interrupted
{}
steps:
  - name: flag-on
    flag: {{name: dark-mode, state: enabled}}
  - name: canary
    deploy:
      strategy: canary
      steps: [5, 50, 100]
      set_weight:
        argv: [sh, -c, "echo ${{weight}} >> weights; if [ ${{weight}} = 5 ] && [ ! -e signalled ]; then touch signalled; kill -TERM $PPID; sleep 0.2; elif [ ${{weight}} = 0 ]; then {}; fi"]
    gate: {{rules: rules.yaml}}
    on_failure: rollback
)",
                          on_interrupt.empty() ? "" : "on_interrupt: " + on_interrupt, on_zero));
}

// Runs `release-manager ARGUMENTS` in `dir`, where the playbooks' commands write their files.
launchkit::util::ProcessResult release_manager_in(const StateFixture& fixture, const TempDir& dir,
                                                  std::vector<std::string> arguments) {
    return fixture.run_in(dir.path(), "release-manager", std::move(arguments));
}

std::string weights(const TempDir& dir) {
    auto text = launchkit::util::read_file(dir.path() / "weights");
    return text ? *text : "";
}

}  // namespace

TEST_CASE("SIGTERM during a gate stops it at once, rolls back and exits 3", "[cli][playbook]") {
    StateFixture fixture;
    MetricsServer metrics;
    metrics.set("/metrics", "http_error_ratio 0.01\n");
    TempDir dir;
    // Three measurements 30 s apart: only the signal can end the gate within the test's time.
    write_interrupted_canary(dir, metrics, "30s", "", true);
    REQUIRE(fixture.flags({"create", "dark-mode"}).exit_code == 0);
    auto began = std::chrono::steady_clock::now();
    auto result = release_manager_in(fixture, dir,
                                     {"deploy", "2.0.0", "production", "--playbook",
                                      (dir.path() / "playbook.yaml").string(), "--json"});
    auto took = std::chrono::steady_clock::now() - began;
    INFO(result.stderr_text);
    CHECK(result.exit_code == 3);
    CHECK(took < std::chrono::seconds(20));
    auto run = nlohmann::json::parse(result.stdout_text);
    CHECK(run["status"] == "rolled_back");
    CHECK(run["failed_step"] == "canary");
    CHECK(run["reason"] == "interrupted by SIGTERM");
    CHECK(run["interrupted"] == nlohmann::json{{"signal", "SIGTERM"}, {"action", "rollback"}});
    CHECK_THAT(run["steps"][1]["message"].get<std::string>(),
               Catch::Contains("analysis stopped before measurement 2 of 3"));
    // Traffic went to 5 % and back to 0; the flag is off again.
    CHECK(weights(dir) == "5\n0\n");
    CHECK(fixture.run_json("feature-flags", {"get", "dark-mode", "--env", "production"}, {},
                           1)["enabled"] == false);
    // The second SIGTERM, sent during the rollback, was reported and did not stop it.
    CHECK_THAT(result.stderr_text, Catch::Contains("SIGTERM ignored: rolling back"));
    // `runs` replays the same run from the journal.
    auto shown = fixture.run_json("release-manager", {"runs", run["run_id"]});
    CHECK(shown == run);
}

TEST_CASE("SIGTERM with on_interrupt: pause leaves the run paused, and resume finishes it",
          "[cli][playbook]") {
    StateFixture fixture;
    MetricsServer metrics;
    metrics.set("/metrics", "http_error_ratio 0.01\n");
    TempDir dir;
    write_interrupted_canary(dir, metrics, "10ms", "pause");
    REQUIRE(fixture.flags({"create", "dark-mode"}).exit_code == 0);
    auto paused = release_manager_in(fixture, dir,
                                     {"deploy", "2.0.0", "production", "--playbook",
                                      (dir.path() / "playbook.yaml").string(), "--json"});
    INFO(paused.stderr_text);
    CHECK(paused.exit_code == 3);
    auto run = nlohmann::json::parse(paused.stdout_text);
    CHECK(run["status"] == "paused");
    CHECK(run["interrupted"]["action"] == "pause");
    // Held where it stopped: the flag stays on, traffic at 5 %.
    CHECK(weights(dir) == "5\n");
    CHECK(fixture.run_json("feature-flags",
                           {"get", "dark-mode", "--env", "production"})["enabled"] == true);

    auto resumed = release_manager_in(fixture, dir, {"resume", run["run_id"], "--json"});
    INFO(resumed.stderr_text);
    CHECK(resumed.exit_code == 0);
    CHECK(nlohmann::json::parse(resumed.stdout_text)["status"] == "succeeded");
    CHECK(weights(dir) == "5\n5\n50\n100\n");
}

TEST_CASE("a killed run blocks the next deploy until it is rolled back", "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("playbook.yaml", R"(apiVersion: launchkit/v1
name: killed
steps:
  - name: flag-on
    flag: {name: dark-mode, state: enabled}
  - name: crash
    run: [sh, -c, "if [ ! -e crashed ]; then touch crashed; kill -9 $PPID; sleep 5; fi"]
)");
    REQUIRE(fixture.flags({"create", "dark-mode"}).exit_code == 0);
    auto playbook = (dir.path() / "playbook.yaml").string();
    auto deploy = [&](const std::string& version) {
        return release_manager_in(fixture, dir, {"deploy", version, "qa", "--playbook", playbook});
    };
    CHECK(deploy("1.0.0").signal == 9);
    auto dead = fixture.run_json("release-manager", {"runs"})[0]["run_id"].get<std::string>();

    auto refused = deploy("1.0.1");
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.stderr_text,
               Catch::Contains("the last run in qa, " + dead + ", is still marked running") &&
                   Catch::Contains("release-manager resume " + dead) &&
                   Catch::Contains("release-manager abort " + dead));
    CHECK(fixture.run_json("release-manager", {"runs"}).size() == 1);  // nothing started

    auto back = fixture.run("release-manager", {"rollback", "qa", "--reason", "killed"});
    INFO(back.stderr_text);
    CHECK(back.exit_code == 0);
    CHECK(fixture.run_json("feature-flags", {"get", "dark-mode", "--env", "qa"}, {},
                           1)["enabled"] == false);
    CHECK(deploy("1.0.1").exit_code == 0);
}

TEST_CASE("a run older than the environment's latest can be neither resumed nor rolled back",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("pausing.yaml", R"(apiVersion: launchkit/v1
name: pausing
steps:
  - name: flag-on
    flag: {name: dark-mode, state: enabled}
  - name: broken
    run: [sh, -c, "exit 1"]
    on_failure: pause
)");
    dir.write("plain.yaml", R"(apiVersion: launchkit/v1
name: plain
steps:
  - name: only
    run: [sh, -c, "true"]
)");
    REQUIRE(fixture.flags({"create", "dark-mode"}).exit_code == 0);
    auto paused = fixture.run_json(
        "release-manager",
        {"deploy", "1.5.0", "production", "--playbook", (dir.path() / "pausing.yaml").string()}, {},
        1);
    CHECK(paused["status"] == "paused");
    auto newer = fixture.run_json("release-manager", {"deploy", "1.5.1", "production", "--playbook",
                                                      (dir.path() / "plain.yaml").string()});
    CHECK(newer["status"] == "succeeded");

    auto expected =
        fmt::format("run {} is not the latest in production (run {} came after it)",
                    paused["run_id"].get<std::string>(), newer["run_id"].get<std::string>());
    auto resumed = fixture.run("release-manager", {"resume", paused["run_id"]});
    CHECK(resumed.exit_code == 1);
    CHECK_THAT(resumed.stderr_text, Catch::Contains(expected));
    auto rolled =
        fixture.run("release-manager", {"rollback", "production", "--run", paused["run_id"]});
    CHECK(rolled.exit_code == 1);
    CHECK_THAT(rolled.stderr_text, Catch::Contains(expected));
    // A run is rolled back under its own environment's lock, never named from another one.
    auto elsewhere =
        fixture.run("release-manager", {"rollback", "staging", "--run", newer["run_id"]});
    CHECK(elsewhere.exit_code == 2);
    CHECK_THAT(elsewhere.stderr_text,
               Catch::Contains("--run " + newer["run_id"].get<std::string>() +
                               ": no such run in staging"));
    // Nothing was touched: the paused run's flag change stands, and the newer run is untouched.
    CHECK(fixture.run_json("feature-flags",
                           {"get", "dark-mode", "--env", "production"})["enabled"] == true);
    CHECK(fixture.run_json("release-manager", {"runs", newer["run_id"]})["status"] == "succeeded");
}

TEST_CASE("deploy --json and runs RUN_ID --json print the same run", "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("plain.yaml", R"(apiVersion: launchkit/v1
name: plain
steps:
  - name: only
    run: [sh, -c, "echo one"]
)");
    auto deployed = fixture.run_json("release-manager", {"deploy", "1.0.0", "qa", "--playbook",
                                                         (dir.path() / "plain.yaml").string()});
    CHECK(deployed["steps"][0]["started_at"].is_string());
    CHECK(fixture.run_json("release-manager", {"runs", deployed["run_id"]}) == deployed);
}

TEST_CASE("a damaged run journal stops a deploy rather than being skipped", "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("plain.yaml", R"(apiVersion: launchkit/v1
name: plain
steps:
  - name: only
    run: [sh, -c, "true"]
)");
    auto journal = fixture.state.write(
        "runs/20261129T000000000Z-dead.jsonl",
        "{\"event\":\"run_started\",\"time\":\"t\",\"playbook_file\":\"/"
        "p.yaml\",\"version\":\"1.0.0\","
        "\"env\":\"qa\"}\nnot json\n{\"event\":\"run_continued\",\"time\":\"t\"}\n");
    auto refused = fixture.run("release-manager", {"deploy", "1.0.1", "qa", "--playbook",
                                                   (dir.path() / "plain.yaml").string()});
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.stderr_text, Catch::Contains(journal.string() + ":2: not a journal event"));
}

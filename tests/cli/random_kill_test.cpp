// More than a thousand writers SIGKILLed at random moments: flag toggles (the store's log and
// snapshot) and whole deploys (the journal, the ledger, the store). After each kill the state
// reads, the audit chain verifies and the environment's last run can be rolled back. Hidden (about
// half a minute): `launchkit_tests "[long]"`; the default suite kills at every named crash point
// and at thirty random moments.
#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "support/state_fixture.h"
#include "support/temp_dir.h"

using launchkit::testing::require_intact;
using launchkit::testing::run_and_kill_after;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

TEST_CASE_METHOD(StateFixture, "a thousand flag writers killed at random leave old or new state",
                 "[.][long][crash]") {
    REQUIRE(flags({"create", "f"}).exit_code == 0);
    std::mt19937 random(20261203);
    std::uniform_int_distribution<int> delay_us(0, 6000);
    for (int round = 0; round < 1000; ++round) {
        // Every third commit rewrites the snapshot, so kills land in the log and the snapshot.
        run_and_kill_after(spec("feature-flags", {round % 2 ? "disable" : "enable", "f"},
                                {{"LAUNCHKIT_TEST_SNAPSHOT_EVERY", "3"}}),
                           std::chrono::microseconds(delay_us(random)));
        auto read = flags({"get", "f", "--json"});
        INFO("round " << round << ": " << read.stderr_text);
        REQUIRE((read.exit_code == 0 || read.exit_code == 1));
        if (round % 100 == 99) require_intact(*this);
    }
    REQUIRE(flags({"enable", "f"}).exit_code == 0);
    require_intact(*this);
}

TEST_CASE_METHOD(StateFixture, "deploys killed at random can always be rolled back",
                 "[.][long][crash]") {
    TempDir dir;
    auto playbook = dir.write("canary.yaml", R"(apiVersion: launchkit/v1
name: canary
steps:
  - name: flag-on
    flag: {name: dark-mode, state: enabled}
  - name: canary
    deploy:
      strategy: canary
      steps: [10, 50, 100]
      set_weight: {argv: [sh, -c, "echo ${weight} > weight"]}
  - {name: verify, run: ["true"]}
)");
    REQUIRE(flags({"create", "dark-mode"}).exit_code == 0);
    std::mt19937 random(20261204);
    std::uniform_int_distribution<int> delay_us(0, 60000);
    for (int round = 0; round < 300; ++round) {
        auto version = "1.0." + std::to_string(round);
        auto deploy =
            spec("release-manager", {"deploy", version, "qa", "--playbook", playbook.string()});
        deploy.working_directory = dir.path();
        run_and_kill_after(deploy, std::chrono::microseconds(delay_us(random)));
        // Whatever the kill interrupted, the journal replays and the run is undone or finished.
        auto rollback = run("release-manager", {"rollback", "qa", "--reason", "drill"});
        INFO("round " << round << ": " << rollback.stdout_text << rollback.stderr_text);
        REQUIRE((rollback.exit_code == 0 || rollback.exit_code == 1 || rollback.exit_code == 2));
        CHECK(rollback.stderr_text.find("does not replay") == std::string::npos);
        auto runs = run("release-manager", {"runs", "--env", "qa", "--json"});
        REQUIRE(runs.exit_code == 0);
        if (round % 50 == 49) require_intact(*this);
    }
    require_intact(*this);
    auto last = spec("release-manager", {"deploy", "2.0.0", "qa", "--playbook", playbook.string()});
    last.working_directory = dir.path();
    auto deployed = launchkit::util::run_process(last);
    REQUIRE(deployed);
    CHECK(deployed->exit_code == 0);
}

// `release-manager doctor`: a sound state directory is said to be sound; each kind of damage a
// disk, a person or a killed process leaves is named, with what to do, and nothing is changed.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <csignal>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/state_fixture.h"
#include "util/file_io.h"
#include "util/file_lock.h"

using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
using nlohmann::json;

namespace {

// The check named `name` in doctor's JSON.
json check_named(const json& report, const std::string& name) {
    for (const auto& check : report["checks"])
        if (check["name"] == name) return check;
    FAIL("no check " << name);
    return {};
}

// A state directory with something in every part: a flag, two runs, a ledger and a backup.
void populate(const StateFixture& fixture, const TempDir& dir) {
    REQUIRE(fixture.flags({"create", "dark-mode"}).exit_code == 0);
    REQUIRE(fixture.flags({"enable", "dark-mode", "--env", "qa"}).exit_code == 0);
    auto playbook = dir.write("one.yaml", R"(apiVersion: launchkit/v1
name: one
steps:
  - {name: one, run: ["true"]}
)");
    REQUIRE(
        fixture.run("release-manager", {"deploy", "1.0.0", "qa", "--playbook", playbook.string()})
            .exit_code == 0);
    dir.write("data/config.yaml", "replicas: 3\n");
    REQUIRE(
        fixture
            .run("release-manager", {"backup", "create", "dir:" + (dir.path() / "data").string()})
            .exit_code == 0);
}

}  // namespace

TEST_CASE("doctor finds a state directory sound, and changes nothing", "[cli][doctor]") {
    StateFixture fixture;
    TempDir dir;
    populate(fixture, dir);
    auto audit_before = launchkit::util::read_file(fixture.store_dir() / "audit.jsonl").value();
    auto report = fixture.run_json("release-manager", {"doctor"});
    CHECK(report["ok"] == true);
    std::vector<std::string> names;
    for (const auto& check : report["checks"]) {
        INFO(check.dump());
        names.push_back(check["name"]);
        CHECK(check["result"] == "ok");
        CHECK(check["problems"].empty());
    }
    CHECK(names == std::vector<std::string>{"permissions", "store", "runs", "ledger", "backups",
                                            "leftovers", "locks"});
    // The flag and the backup's manifest record.
    CHECK(check_named(report, "store")["detail"] == "2 keys, audit chain of 3 records intact");
    CHECK(check_named(report, "backups")["detail"] == "1 backup verified, 0 damaged");
    CHECK(launchkit::util::read_file(fixture.store_dir() / "audit.jsonl").value() == audit_before);

    auto human = fixture.run("release-manager", {"doctor", "--no-backups"});
    CHECK(human.exit_code == 0);
    CHECK_THAT(human.stdout_text, Catch::Contains("state is sound"));
    CHECK_THAT(human.stdout_text, Catch::Contains("not verified (--no-backups)"));
}

TEST_CASE("doctor names every kind of damage and exits 1", "[cli][doctor]") {
    StateFixture fixture;
    TempDir dir;
    populate(fixture, dir);
    const auto& state = fixture.state.path();

    // Others may read the state; a killed writer's temporary; a run whose runner was killed.
    ::chmod(state.c_str(), 0755);
    std::ofstream(state / "store" / ".state.json.tmp-a1b2c3") << "{";
    auto killer = dir.write("killed.yaml", R"(apiVersion: launchkit/v1
name: killed
steps:
  - {name: crash, run: [sh, -c, "kill -9 $PPID; sleep 5"]}
)");
    auto killed = fixture.run("release-manager",
                              {"deploy", "1.1.0", "staging", "--playbook", killer.string()});
    REQUIRE(killed.signal == SIGKILL);
    // A ledger line and a backup's data changed on disk.
    {
        std::ofstream ledger(state / "releases.jsonl", std::ios::app);
        ledger << "{\"event\": 42}\n";
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(state / "backups"))
        if (entry.path().filename().string().starts_with("data"))
            std::ofstream(entry.path(), std::ios::app) << "x";
    // An audit record edited by hand.
    auto audit_path = fixture.store_dir() / "audit.jsonl";
    auto audit = launchkit::util::read_file(audit_path).value();
    audit.replace(audit.find("\"actor\":\"oncall\""), 16, "\"actor\":\"mallet\"");
    std::ofstream(audit_path, std::ios::trunc) << audit;

    auto result = fixture.run("release-manager", {"doctor", "--json"});
    CHECK(result.exit_code == 1);
    auto report = json::parse(result.stdout_text);
    CHECK(report["ok"] == false);
    auto permissions = check_named(report, "permissions");
    CHECK(permissions["result"] == "failed");
    CHECK_THAT(permissions["problems"][0].get<std::string>(),
               Catch::Contains("is 0755: others may read or change it"));
    CHECK_THAT(permissions["detail"].get<std::string>(), Catch::Contains("chmod -R go-rwx"));
    CHECK(check_named(report, "store")["result"] == "failed");
    auto runs = check_named(report, "runs");
    CHECK(runs["result"] == "warning");
    CHECK(runs["detail"] == "2 journals: 0 running, 1 left by a dead runner, 0 damaged");
    CHECK_THAT(runs["problems"][0].get<std::string>(),
               Catch::Contains("'release-manager rollback staging' undoes it"));
    auto ledger = check_named(report, "ledger");
    CHECK(ledger["result"] == "failed");
    CHECK_THAT(ledger["problems"][0].get<std::string>(), Catch::Contains("releases.jsonl"));
    auto backups = check_named(report, "backups");
    CHECK(backups["result"] == "failed");
    CHECK(backups["detail"] == "1 backup verified, 1 damaged");
    auto leftovers = check_named(report, "leftovers");
    CHECK(leftovers["result"] == "warning");
    CHECK_THAT(leftovers["problems"][0].get<std::string>(),
               Catch::Contains(".state.json.tmp-a1b2c3"));
    // Doctor only looks: the temporary is still there, the mode unchanged.
    CHECK(std::filesystem::exists(state / "store" / ".state.json.tmp-a1b2c3"));
    struct stat info {};
    REQUIRE(::stat(state.c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0755);

    // A writer refuses the damaged store and points at doctor.
    auto refused = fixture.flags({"disable", "dark-mode", "--env", "qa"});
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.stderr_text, Catch::Contains("release-manager doctor"));
}

TEST_CASE("doctor tells a live run from a dead one by the lock its runner holds", "[cli][doctor]") {
    StateFixture fixture;
    TempDir dir;
    auto killer = dir.write("killed.yaml", R"(apiVersion: launchkit/v1
name: killed
steps:
  - {name: crash, run: [sh, -c, "kill -9 $PPID; sleep 5"]}
)");
    REQUIRE(
        fixture
            .run("release-manager", {"deploy", "1.1.0", "staging", "--playbook", killer.string()})
            .signal == SIGKILL);
    // This test process stands in for a live runner: it holds the environment's deploy lock.
    auto lock =
        launchkit::util::FileLock::acquire(fixture.state.path() / "locks" / "deploy-staging.lock");
    REQUIRE(lock);
    auto report = fixture.run_json("release-manager", {"doctor"});
    auto runs = check_named(report, "runs");
    CHECK(runs["result"] == "ok");
    CHECK(runs["detail"] == "1 journal: 1 running, 0 left by a dead runner, 0 damaged");
    CHECK_THAT(
        check_named(report, "locks")["detail"].get<std::string>(),
        Catch::Contains("held now: deploy-staging.lock (pid " + std::to_string(::getpid()) + ")"));
}

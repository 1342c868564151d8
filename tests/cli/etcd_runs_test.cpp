// Deploys when the state is shared through a real etcd: the run journal, the release ledger and
// the per-environment deploy lock are seen from every machine (here, processes with state
// directories of their own), and a runner that dies holding the lock lets go after its lease's
// TTL, so that another machine can abort its run.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "playbook/run_journal.h"
#include "support/etcd_server.h"
#include "support/metrics_server.h"
#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::Environment;
using launchkit::testing::EtcdCluster;
using launchkit::testing::MetricsServer;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
using launchkit::util::ProcessResult;

namespace {

// A prefix of its own per test, with a short lease TTL so that a dead holder's lock expires soon.
Environment shared_runs_store(int lock_ttl_seconds) {
    auto prefix = EtcdCluster::unique_prefix("runs");
    return {{"LAUNCHKIT_STORE", EtcdCluster::shared().store_url(prefix)},
            {"LAUNCHKIT_LOCK_TTL", std::to_string(lock_ttl_seconds)}};
}

// A machine: its own state directory and working directory, the shared store.
struct Machine {
    StateFixture fixture;
    TempDir dir;
    Environment store;

    explicit Machine(Environment shared) : store(std::move(shared)) {}

    ProcessResult release_manager(std::vector<std::string> arguments) const {
        return fixture.run_in(dir.path(), "release-manager", std::move(arguments), store);
    }
    nlohmann::json json(std::vector<std::string> arguments) const {
        arguments.push_back("--json");
        auto result = release_manager(std::move(arguments));
        INFO(result.stderr_text);
        REQUIRE(result.exit_code == 0);
        return nlohmann::json::parse(result.stdout_text);
    }
    ProcessResult deploy(const std::string& version, const std::string& playbook) const {
        dir.write("playbook.yaml", playbook);
        return release_manager(
            {"deploy", version, "qa", "--playbook", (dir.path() / "playbook.yaml").string()});
    }
    bool flag_on() const {
        return fixture.flags({"get", "dark-mode", "--env", "qa"}, store).exit_code == 0;
    }
    // One check of `release-manager doctor --json`, as this machine sees the shared state.
    nlohmann::json doctor_check(const std::string& name) const {
        auto report = release_manager({"doctor", "--no-backups", "--json"});
        INFO(report.stdout_text << report.stderr_text);
        REQUIRE(report.exit_code == 0);
        auto parsed = nlohmann::json::parse(report.stdout_text);
        for (auto& check : parsed["checks"])
            if (check["name"] == name) return check;
        FAIL("doctor has no check named " << name);
        return {};
    }
};

}  // namespace

TEST_CASE(
    "a deploy on one machine holds the environment for every machine, and its run and "
    "ledger entry are seen from all",
    "[cli][etcd][playbook]") {
    auto store = shared_runs_store(30);
    Machine laptop(store), ci_runner(store);
    REQUIRE(laptop.fixture.flags({"create", "dark-mode"}, store).exit_code == 0);

    ProcessResult deployed;
    std::thread runner([&] {
        deployed = laptop.deploy("1.0.0", R"(apiVersion: launchkit/v1
name: held
steps:
  - name: flag-on
    flag: {name: dark-mode, state: enabled}
  - name: wait
    run: [sh, -c, "touch started; while [ ! -e go ]; do sleep 0.05; done"]
)");
    });
    REQUIRE(laptop.dir.wait_for("started"));

    auto runs = ci_runner.json({"runs"});
    REQUIRE(runs.size() == 1);
    auto run_id = runs[0]["run_id"].get<std::string>();
    CHECK(runs[0]["status"] == "running");
    CHECK(ci_runner.flag_on());
    // The other machine's doctor sees the run as live: its lease is kept alive.
    auto live = ci_runner.doctor_check("runs");
    CHECK(live["result"] == "ok");
    CHECK(live["detail"] == "1 journal: 1 running, 0 left by a dead runner, 0 damaged");

    auto second = ci_runner.deploy("1.0.1",
                                   "apiVersion: launchkit/v1\nname: second\nsteps:\n"
                                   "  - name: noop\n    run: [\"true\"]\n");
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.stderr_text,
               Catch::Contains("another deploy to qa is in progress (run " + run_id) &&
                   Catch::Contains("the lock is held by oncall on"));

    laptop.dir.write("go", "");
    runner.join();
    INFO(deployed.stderr_text);
    CHECK(deployed.exit_code == 0);

    auto history = ci_runner.json({"history", "--env", "qa"});
    REQUIRE(history.size() == 1);
    CHECK(history[0]["event"] == "deployed");
    CHECK(history[0]["version"] == "1.0.0");
    CHECK(history[0]["run_id"] == run_id);
    auto finished = ci_runner.json({"runs", run_id});
    CHECK(finished["status"] == "succeeded");
    // The lock was let go at the end: the other machine deploys now.
    auto next = ci_runner.deploy("1.0.1",
                                 "apiVersion: launchkit/v1\nname: second\nsteps:\n"
                                 "  - name: noop\n    run: [\"true\"]\n");
    INFO(next.stderr_text);
    CHECK(next.exit_code == 0);
    CHECK(laptop.json({"history", "--env", "qa"}).size() == 2);
    CHECK(laptop.doctor_check("ledger")["detail"] == "2 entries");
    CHECK(laptop.doctor_check("runs")["detail"] ==
          "2 journals: 0 running, 0 left by a dead runner, 0 damaged");
    // No journal and no ledger in either machine's state directory (only a run's scratch
    // folder, runs/RUN_ID.d, on the machine that ran it).
    for (const auto* machine : {&laptop, &ci_runner}) {
        auto state = machine->fixture.store_dir().parent_path();
        CHECK_FALSE(std::filesystem::exists(state / "releases.jsonl"));
        CHECK(launchkit::playbook::list_run_ids(state).empty());
    }
}

TEST_CASE(
    "a runner killed holding the lock lets go after its lease's TTL, and another machine "
    "aborts its run",
    "[cli][etcd][playbook]") {
    auto store = shared_runs_store(3);
    Machine crashed(store), other(store);
    REQUIRE(crashed.fixture.flags({"create", "dark-mode"}, store).exit_code == 0);
    auto killed = crashed.deploy("1.0.0", R"(apiVersion: launchkit/v1
name: killed
steps:
  - name: flag-on
    flag: {name: dark-mode, state: enabled}
  - name: crash
    run: [sh, -c, "kill -9 $PPID; sleep 5"]
)");
    CHECK(killed.signal == 9);
    auto started = std::chrono::steady_clock::now();
    auto run_id = other.json({"runs"})[0]["run_id"].get<std::string>();
    auto noop =
        "apiVersion: launchkit/v1\nname: next\nsteps:\n  - name: noop\n    run: [\"true\"]\n";

    // Within the TTL the dead runner's lease still holds the environment.
    auto held = other.deploy("1.0.1", noop);
    if (std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500)) {
        CHECK(held.exit_code == 1);
        CHECK_THAT(held.stderr_text, Catch::Contains("another deploy to qa is in progress"));
    }
    // After it, the run is seen as interrupted: neither blocked forever nor overridden.
    std::this_thread::sleep_for(std::chrono::seconds(4));
    auto refused = other.deploy("1.0.1", noop);
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.stderr_text,
               Catch::Contains("the last run in qa, " + run_id + ", is still marked running") &&
                   Catch::Contains("release-manager abort " + run_id));

    // Doctor, on the other machine, names the run its dead runner left and what undoes it.
    auto dead = other.doctor_check("runs");
    CHECK(dead["result"] == "warning");
    CHECK(dead["detail"] == "1 journal: 0 running, 1 left by a dead runner, 0 damaged");
    REQUIRE(dead["problems"].size() == 1);
    CHECK_THAT(dead["problems"][0].get<std::string>(),
               Catch::Contains("run " + run_id) &&
                   Catch::Contains("'release-manager rollback qa' undoes it"));

    CHECK(other.flag_on());
    auto aborted = other.release_manager({"abort", run_id, "--reason", "runner died"});
    INFO(aborted.stderr_text);
    CHECK(aborted.exit_code == 0);
    CHECK_FALSE(crashed.flag_on());
    CHECK(crashed.json({"runs", run_id})["status"] == "rolled_back");
    auto next = other.deploy("1.0.1", noop);
    INFO(next.stderr_text);
    CHECK(next.exit_code == 0);
}

TEST_CASE("abort typed on another machine reaches a live runner through its journal in etcd",
          "[cli][etcd][playbook]") {
    auto store = shared_runs_store(30);
    Machine runner_host(store), operator_host(store);
    MetricsServer metrics;
    metrics.set("/metrics", "http_error_ratio 0.01\n");
    runner_host.dir.write("rules.yaml", "sources:\n  app: {prometheus_text: \"" +
                                            metrics.url("/metrics") +
                                            "\"}\nmetrics:\n  error_rate: {source: app, select: "
                                            "http_error_ratio}\nthresholds:\n  - {name: errors, "
                                            "metric: error_rate, fail_when: \"> 5%\"}\n"
                                            "analysis: {interval: 2s, count: 3}\n");
    REQUIRE(runner_host.fixture.flags({"create", "dark-mode"}, store).exit_code == 0);
    ProcessResult deployed;
    std::thread runner([&] {
        deployed = runner_host.deploy("2.0.0", R"(apiVersion: launchkit/v1
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
    });
    REQUIRE(runner_host.dir.wait_for("weights"));
    auto aborted = operator_host.release_manager({"abort", "qa", "--reason", "errors", "--json"});
    runner.join();
    INFO(deployed.stderr_text << aborted.stderr_text);
    CHECK(aborted.exit_code == 0);
    CHECK(nlohmann::json::parse(aborted.stdout_text)["status"] == "rolled_back");
    CHECK(deployed.exit_code == 1);
    CHECK(*launchkit::util::read_file(runner_host.dir.path() / "weights") == "5\n0\n");
    CHECK_FALSE(operator_host.flag_on());
}

TEST_CASE("LAUNCHKIT_LOCK_TTL out of range is refused before anything runs", "[cli][etcd]") {
    auto store = shared_runs_store(30);
    store[1].second = "1";
    Machine machine(store);
    auto refused = machine.deploy("1.0.0",
                                  "apiVersion: launchkit/v1\nname: x\nsteps:\n"
                                  "  - name: noop\n    run: [\"true\"]\n");
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("LAUNCHKIT_LOCK_TTL='1'"));
    CHECK(machine.json({"runs"}).empty());
}

// The shipped playbooks (playbooks/, one per runbook): every one plans, and each runs for real
// against examples/demo-service — an upgrade that is promoted, one that goes bad and is rolled
// back, and the rollback runbooks.
#include <catch2/catch.hpp>

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/demo_service.h"
#include "support/state_fixture.h"

using launchkit::testing::DemoService;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

namespace {

std::string playbook(const std::string& name) {
    return std::string(LAUNCHKIT_SOURCE_DIR) + "/playbooks/" + name + ".yaml";
}

std::vector<std::string> step_names(const nlohmann::json& plan) {
    std::vector<std::string> names;
    for (const auto& step : plan["steps"]) names.push_back(step["name"]);
    return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Runs `deploy VERSION ENV --playbook ... ARGS --json` and returns the run, requiring `exit`.
nlohmann::json deploy(const StateFixture& fixture, const std::string& version,
                      const std::string& env, const std::string& file,
                      std::vector<std::string> arguments, int exit,
                      launchkit::testing::Environment environment = DemoService::environment()) {
    std::vector<std::string> command{"deploy", version, env, "--playbook", file, "--json"};
    command.insert(command.end(), arguments.begin(), arguments.end());
    auto result = fixture.run("release-manager", command, environment);
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == exit);
    return nlohmann::json::parse(result.stdout_text);
}

std::string step_status(const nlohmann::json& run, const std::string& name) {
    for (const char* list : {"steps", "rollback"})
        for (const auto& step : run.value(list, nlohmann::json::array()))
            if (step["step"] == name) return step["status"];
    return "absent";
}

}  // namespace

TEST_CASE("every shipped playbook plans with every strategy it offers", "[cli][runbooks]") {
    StateFixture fixture;
    struct Expected {
        std::string file;
        std::vector<std::string> strategies;
        std::vector<std::string> steps;
    };
    std::vector<Expected> playbooks{
        {"mycelia-upgrade",
         {"", "canary", "blue-green"},
         {"health-check", "slo-lint", "backup-config", "enable-feature", "upgrade",
          "critical-path"}},
        {"mycelia-rollback",
         {""},
         {"pause-redemption", "verify-proof-of-reserves", "restore-configuration", "restore-system",
          "resume-redemption"}},
        {"zeitwork-platform-upgrade",
         {"", "rolling", "canary"},
         {"compatibility", "database-migration", "upgrade-operator", "upgrade-node-agent",
          "upgrade-load-balancer", "upgrade-edge-proxy", "verify-upgrade"}},
        {"mesh-os-release",
         {"", "rolling", "blue-green", "canary"},
         {"git-status", "tests", "build", "security-scan", "deploy", "post-deployment-validation"}},
        {"artifortress-upgrade",
         {""},
         {"db-backup", "baseline-ops", "deploy-binaries", "db-migrate", "health", "compare-ops",
          "rollback-triggers"}},
        {"artifortress-rollback",
         {""},
         {"redeploy-known-good", "db-restore", "validate-health", "validate-backlog"}},
    };
    // What the playbooks need before they run: the demo service's token, the flag they set, the
    // key the rollback verifies the proof of reserves with.
    REQUIRE(fixture.flags({"create", "btc-mainnet-redemption"}).exit_code == 0);
    auto key = fixture.state.path() / "release";
    REQUIRE(
        fixture.run("release-manager", {"keygen", "-o", key.string(), "--unencrypted"}).exit_code ==
        0);
    for (const auto& expected : playbooks) {
        for (const auto& strategy : expected.strategies) {
            std::vector<std::string> arguments{
                "plan", playbook(expected.file), "--version", "1.3.0", "--env", "staging"};
            if (!strategy.empty()) arguments.insert(arguments.end(), {"--strategy", strategy});
            if (expected.file == "mycelia-rollback")
                arguments.insert(arguments.end(), {"--var", "public_key=" + key.string() + ".pub"});
            INFO(expected.file << " " << strategy);
            auto plan = fixture.run_json("release-manager", arguments, DemoService::environment());
            CHECK(plan["problems"].empty());
            auto names = step_names(plan);
            for (const auto& step : expected.steps) CHECK(contains(names, step));
        }
    }
    // The WHAT column says what each step does in words, never raw JSON; the announcement names
    // the playbook's strategy when --strategy is not given.
    auto table =
        fixture.run("release-manager",
                    {"plan", playbook("mycelia-upgrade"), "--version", "1.3.0", "--env", "staging"},
                    DemoService::environment());
    INFO(table.stdout_text);
    CHECK_THAT(table.stdout_text, Catch::Contains("3 checks: live, ready, ops-status") &&
                                      Catch::Contains("btc-mainnet-redemption enabled at 10%") &&
                                      Catch::Contains("back up dir:") &&
                                      Catch::Contains("pre-upgrade → stdout") &&
                                      !Catch::Contains("{\""));
    CHECK_THAT(table.stdout_text, !Catch::Contains("Strategy: -"));
    // Without the token, plan says what deploy would refuse, and exits 2.
    auto missing = fixture.run("release-manager", {"plan", playbook("mycelia-upgrade"), "--json"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.stdout_text, Catch::Contains("needs token_env DEMO_ADMIN_TOKEN"));
    // The Zeitwork Platform Upgrade Guide's order: the database, then operator, node agents, then
    // the traffic tier.
    auto zeitwork = step_names(fixture.run_json("release-manager",
                                                {"plan", playbook("zeitwork-platform-upgrade")},
                                                DemoService::environment()));
    auto position = [&](const std::string& name) {
        return std::find(zeitwork.begin(), zeitwork.end(), name) - zeitwork.begin();
    };
    CHECK(position("database-migration") < position("upgrade-operator"));
    CHECK(position("promote-operator") < position("upgrade-node-agent"));
    CHECK(position("promote-node-agent") < position("upgrade-load-balancer"));
    CHECK(position("promote-node-agent") < position("upgrade-edge-proxy"));
}

TEST_CASE(
    "the Mycelia Upgrade Playbook: a good release is promoted, a bad one rolled back at 10%, the "
    "flag kept",
    "[cli][runbooks]") {
    StateFixture fixture;
    DemoService service(R"(releases:
  "1.5.0": {error_rate: 0.09, latency_ms: 480}
  "1.5.1": {error_rate: 0.001, latency_ms: 110}
)");
    REQUIRE(fixture.flags({"create", "btc-mainnet-redemption"}).exit_code == 0);
    std::vector<std::string> vars{"--var", "service_url=" + service.url(), "--var",
                                  "data_dir=" + service.data_dir().string()};
    auto first = deploy(fixture, "1.4.0", "production", playbook("mycelia-upgrade"), vars, 0);
    CHECK(first["status"] == "succeeded");
    CHECK(service.status()["version"] == "1.4.0");

    auto bad = deploy(fixture, "1.5.0", "production", playbook("mycelia-upgrade"), vars, 1);
    CHECK(bad["status"] == "rolled_back");
    CHECK(bad["failed_step"] == "upgrade");
    CHECK_THAT(bad["reason"].get<std::string>(), Catch::Contains("upgrade@10%"));
    auto after_bad = service.status();
    CHECK(after_bad["version"] == "1.4.0");
    CHECK(after_bad["canary_weight"] == 0);
    CHECK(step_status(bad, "restore-database") == "succeeded");

    auto good = deploy(fixture, "1.5.1", "production", playbook("mycelia-upgrade"), vars, 0);
    CHECK(good["status"] == "succeeded");
    CHECK(service.status()["version"] == "1.5.1");
    auto flag =
        fixture.run_json("feature-flags", {"get", "btc-mainnet-redemption", "--env", "production"});
    CHECK(flag["enabled"] == true);
    // Two good runs, one rolled back: the runbook's success metrics.
    auto stats = fixture.run_json("release-manager", {"stats", "--env", "production"});
    CHECK(stats["runs"] == 3);
    CHECK(stats["rolled_back"] == 1);
}

TEST_CASE(
    "Mycelia's Rollback Procedures: the rollback runbook pauses redemption, restores config and "
    "data, resumes",
    "[cli][runbooks]") {
    StateFixture fixture;
    DemoService service;
    REQUIRE(fixture.flags({"create", "btc-mainnet-redemption"}).exit_code == 0);
    REQUIRE(
        fixture.flags({"--enable", "btc-mainnet-redemption", "--env", "production"}).exit_code ==
        0);
    auto settings = service.data_dir() / "config" / "mainnet.yaml";
    std::ofstream(settings) << "fee: 0.1\n";
    std::vector<std::string> vars{"--var", "service_url=" + service.url(), "--var",
                                  "data_dir=" + service.data_dir().string()};
    deploy(fixture, "1.4.0", "production", playbook("mycelia-upgrade"), vars, 0);
    // The bad change made after the upgrade: the rollback must bring 0.1 back.
    std::ofstream(settings) << "fee: 9.9\n";
    // The version going back carries its attested proof of reserves.
    auto release = service.data_dir() / "release" / "mainnet";
    fixture.state.write("por.json", "{\"reserves_btc\": 2100}\n");
    std::filesystem::create_directories(release);
    std::filesystem::copy_file(fixture.state.path() / "por.json", release / "por.json");
    auto key = fixture.state.path() / "release";
    REQUIRE(
        fixture.run("release-manager", {"keygen", "-o", key.string(), "--unencrypted"}).exit_code ==
        0);
    REQUIRE(fixture
                .run("release-manager",
                     {"attest", (release / "por.json").string(), "--predicate-type",
                      "https://mycelia.example/attestations/proof-of-reserves/v1", "--key",
                      key.string() + ".key", "-o", (release / "por.dsse.json").string()})
                .exit_code == 0);
    vars.insert(vars.end(), {"--var", "reason=INC-42: redemption failures", "--var",
                             "release_dir=" + release.string(), "--var",
                             "public_key=" + key.string() + ".pub"});
    SECTION("a proof of reserves that does not verify pauses the rollback before any restore") {
        std::ofstream(release / "por.json", std::ios::app) << " ";
        auto paused = deploy(fixture, "1.3.0", "production", playbook("mycelia-rollback"), vars, 1);
        CHECK(paused["status"] == "paused");
        CHECK(paused["failed_step"] == "verify-proof-of-reserves");
        CHECK(step_status(paused, "restore-configuration") == "absent");  // never started
        std::ifstream kept(settings);
        CHECK(std::string((std::istreambuf_iterator<char>(kept)),
                          std::istreambuf_iterator<char>()) == "fee: 9.9\n");
        CHECK(fixture.run_json("launchctl", {"status", "redemption"}, {}, 1)["state"] == "paused");
        return;
    }
    auto run = deploy(fixture, "1.3.0", "production", playbook("mycelia-rollback"), vars, 0);
    CHECK(step_status(run, "verify-proof-of-reserves") == "succeeded");
    CHECK(run["status"] == "succeeded");
    std::ifstream in(settings);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(content == "fee: 0.1\n");
    CHECK(service.status()["version"] == "1.3.0");
    auto control = fixture.run_json("launchctl", {"status", "redemption"});
    CHECK(control["state"] == "running");
    auto history = fixture.run_json("launchctl", {"history", "redemption"});
    CHECK(history["history"].size() == 2);  // paused for the rollback, then resumed
    auto flag = fixture.run_json("feature-flags",
                                 {"get", "btc-mainnet-redemption", "--env", "production"}, {}, 1);
    CHECK(flag["enabled"] == false);
    // The configuration as it was before the restore is kept as a safety backup.
    auto backups = fixture.run_json("release-manager", {"backup", "list", "--tag", "pre-restore"});
    CHECK(backups.size() >= 1);
}

TEST_CASE(
    "the Artifortress Upgrade and Rollback Runbook: migrate and compare against the baseline, a "
    "bad upgrade restores the data",
    "[cli][runbooks]") {
    StateFixture fixture;
    DemoService service(R"(releases:
  "2.1.0": {schema: 2}
  "2.2.0": {schema: 3, error_rate: 0.05}
  "2.3.0": {schema: 2, outbox_pending: 40}
)");
    std::vector<std::string> vars{"--var",     "service_url=" + service.url(),
                                  "--var",     "data_dir=" + service.data_dir().string(),
                                  "--approve", "window"};
    auto base = vars;
    base.insert(base.end(), {"--var", "schema=1"});
    deploy(fixture, "2.0.0", "staging", playbook("artifortress-upgrade"), base, 0);
    auto good = deploy(fixture, "2.1.0", "staging", playbook("artifortress-upgrade"), vars, 0);
    CHECK(good["status"] == "succeeded");
    CHECK(service.status()["schema_version"] == 2);
    CHECK(step_status(good, "compare-ops") == "succeeded");

    auto bad_vars = vars;
    bad_vars.insert(bad_vars.end(), {"--var", "schema=3"});
    auto bad = deploy(fixture, "2.2.0", "staging", playbook("artifortress-upgrade"), bad_vars, 1);
    CHECK(bad["failed_step"] == "rollback-triggers");
    CHECK_THAT(bad["reason"].get<std::string>(), Catch::Contains("error-budget"));
    auto status = service.status();
    CHECK(status["version"] == "2.1.0");
    CHECK(status["schema_version"] == 2);  // the migration to 3 undone by the restore

    // A release that leaves work behind: the outbox grows past the baseline, the runbook's "no
    // unexpected backlog growth" comparison fails and the upgrade is rolled back.
    auto backlog = deploy(fixture, "2.3.0", "staging", playbook("artifortress-upgrade"), vars, 1);
    CHECK(backlog["status"] == "rolled_back");
    CHECK(backlog["failed_step"] == "compare-ops");
    CHECK(service.status()["version"] == "2.1.0");

    // With the wrong admin token the deploy call is refused, and so is the rollback's redeploy:
    // the run says so (rollback_failed, exit 3) and nothing changed.
    auto environment = DemoService::environment();
    environment[0].second = "wrong-token";
    auto refused =
        fixture.run("release-manager",
                    {"deploy", "2.1.1", "staging", "--playbook", playbook("artifortress-upgrade"),
                     "--var", "service_url=" + service.url(), "--var",
                     "data_dir=" + service.data_dir().string(), "--approve", "window"},
                    environment);
    CHECK(refused.exit_code == 3);
    CHECK_THAT(refused.stdout_text, Catch::Contains("answered HTTP 401"));
    CHECK(service.status()["version"] == "2.1.0");

    // The standalone rollback runbook: back to 2.0.0 with the data of the first backup.
    auto back = deploy(fixture, "2.0.0", "staging", playbook("artifortress-rollback"),
                       {"--var", "service_url=" + service.url(), "--var",
                        "data_dir=" + service.data_dir().string(), "--var", "baseline_schema=1",
                        "--var", "restore_backup=latest:artifortress-db"},
                       1);
    // latest:artifortress-db is the 2.2.0 attempt's backup (schema 2): migrating "back" to 1 is
    // refused, and the run pauses for a person rather than guessing.
    CHECK(back["status"] == "paused");
    CHECK(back["failed_step"] == "db-migrate-baseline");
}

TEST_CASE(
    "the Artifortress Upgrade and Rollback Runbook: a drill upgrades, rolls back and records the "
    "times for stats",
    "[cli][runbooks][drill]") {
    StateFixture fixture;
    DemoService service("releases:\n  \"2.1.0\": {schema: 2}\n");
    std::vector<std::string> vars{"--var",     "service_url=" + service.url(),
                                  "--var",     "data_dir=" + service.data_dir().string(),
                                  "--approve", "window"};
    auto base = vars;
    base.insert(base.end(), {"--var", "schema=1"});
    deploy(fixture, "2.0.0", "staging", playbook("artifortress-upgrade"), base, 0);

    std::vector<std::string> drill{"drill",
                                   playbook("artifortress-upgrade"),
                                   "staging",
                                   "--version",
                                   "2.1.0",
                                   "--rollback-playbook",
                                   playbook("artifortress-rollback"),
                                   "--check",
                                   service.url() + "/health/ready",
                                   "--json"};
    drill.insert(drill.end(), vars.begin(), vars.end());
    auto result = fixture.run("release-manager", drill, DemoService::environment());
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    auto json = nlohmann::json::parse(result.stdout_text);
    CHECK(json["passed"] == true);
    CHECK(json["previous_version"] == "2.0.0");
    CHECK(json["rollback_seconds"].get<double>() > 0);
    CHECK(json["recovery_seconds"].get<double>() >= json["rollback_seconds"].get<double>());
    CHECK(json["upgrade_run_id"] != json["rollback_run_id"]);
    auto status = service.status();
    CHECK(status["version"] == "2.0.0");
    CHECK(status["schema_version"] == 1);

    auto stats = fixture.run_json("release-manager", {"stats", "--env", "staging"});
    CHECK(stats["drills"] == 1);
    CHECK(stats["drills_passed"] == 1);
    CHECK(stats["drill_rollback_seconds"].is_number());
    CHECK(stats["runs"] == 1);  // the drill's two runs are not real deploys

    // A drill is never run in production, and always checks health.
    auto production =
        fixture.run("release-manager", {"drill", playbook("artifortress-upgrade"), "production",
                                        "--check", service.url() + "/health/ready"});
    CHECK(production.exit_code == 2);
    CHECK_THAT(production.stderr_text, Catch::Contains("non-production"));
    auto unchecked =
        fixture.run("release-manager", {"drill", playbook("artifortress-upgrade"), "staging"});
    CHECK(unchecked.exit_code == 2);
    CHECK_THAT(unchecked.stderr_text, Catch::Contains("--check URL"));
}

TEST_CASE(
    "the Mesh OS Release Management Playbook: checks, then rolling, canary and blue-green, a slow "
    "green is rolled back",
    "[cli][runbooks]") {
    StateFixture fixture;
    DemoService service(R"(releases:
  "5.1.0": {error_rate: 0.001, latency_ms: 130}
  "5.2.0": {error_rate: 0.002, latency_ms: 900}
)");
    launchkit::testing::GitSandbox repo;
    repo.commit("feat: mesh scheduler");
    // The project's own npm scripts, as the runbook's checks run them.
    TempDir tools;
    auto npm = tools.write("npm", R"sh(#!/bin/sh
case "$1" in
  test) echo "42 passing";;
  run) echo "built";;
  audit) echo "found 3 vulnerabilities (2 moderate, 1 high)"; exit 1;;
esac
)sh");
    std::filesystem::permissions(npm, std::filesystem::perms::owner_all);
    auto environment = DemoService::environment();
    environment[1].second = tools.path().string() + ":" + environment[1].second;
    auto run = [&](const std::string& version, std::vector<std::string> extra, int exit) {
        std::vector<std::string> arguments{"--var", "service_url=" + service.url(), "--var",
                                           "repo=" + repo.root().string()};
        arguments.insert(arguments.end(), extra.begin(), extra.end());
        return deploy(fixture, version, "staging", playbook("mesh-os-release"), arguments, exit,
                      environment);
    };
    auto rolling = run("5.0.0", {}, 0);
    CHECK(step_status(rolling, "security-scan") == "succeeded");  // high, but nothing critical
    CHECK(service.status()["version"] == "5.0.0");
    auto canary = run("5.1.0", {"--strategy", "canary", "--initial-traffic", "5"}, 0);
    CHECK(canary["status"] == "succeeded");
    CHECK(service.status()["version"] == "5.1.0");
    // 5.2.0's latency is 900 ms against 130: over 2x the baseline, judged on green alone.
    auto blue_green = run("5.2.0", {"--strategy", "blue-green"}, 1);
    CHECK(blue_green["status"] == "rolled_back");
    CHECK_THAT(blue_green["reason"].get<std::string>(),
               Catch::Contains("deploy@green") && Catch::Contains("latency-p95"));
    CHECK(service.status()["version"] == "5.1.0");

    // A dirty work tree stops the run at its first check, before anything changes.
    repo.write("untracked.txt", "x");
    auto dirty = run("5.3.0", {}, 1);
    CHECK(dirty["failed_step"] == "git-status");
    CHECK(service.status()["version"] == "5.1.0");
}

TEST_CASE(
    "the Zeitwork Platform Upgrade Guide: components in dependency order, a bad node agent pauses, "
    "rollback restores",
    "[cli][runbooks]") {
    StateFixture fixture;
    DemoService operator_service;
    DemoService node_agent("releases:\n  \"1.3.0\": {error_rate: 0.05}\n");
    DemoService load_balancer;
    DemoService edge_proxy;
    std::vector<std::string> vars{"--var", "operator_url=" + operator_service.url(),
                                  "--var", "node_agent_url=" + node_agent.url(),
                                  "--var", "load_balancer_url=" + load_balancer.url(),
                                  "--var", "edge_proxy_url=" + edge_proxy.url(),
                                  "--var", "database_dir=" + operator_service.data_dir().string()};
    // The compatibility matrix refuses skipping the schema: nothing changes.
    auto skipped = vars;
    skipped.insert(skipped.end(), {"--var", "schema=2"});
    auto refused =
        deploy(fixture, "1.3.0", "production", playbook("zeitwork-platform-upgrade"), skipped, 1);
    CHECK(refused["failed_step"] == "compatibility");
    CHECK(operator_service.status()["schema_version"] == 1);

    auto paused =
        deploy(fixture, "1.3.0", "production", playbook("zeitwork-platform-upgrade"), vars, 1);
    CHECK(paused["status"] == "paused");
    CHECK(paused["failed_step"] == "upgrade-node-agent");
    CHECK(operator_service.status()["version"] == "1.3.0");
    CHECK(operator_service.status()["schema_version"] == 3);
    CHECK(load_balancer.status()["version"] == "1.0.0");  // never reached

    auto back =
        fixture.run_json("release-manager", {"rollback", "production"}, DemoService::environment());
    CHECK(back["status"] == "rolled_back");
    CHECK(step_status(back, "rollback-operator") == "succeeded");
    CHECK(step_status(back, "rollback-load-balancer") == "absent");  // it never changed
    CHECK(operator_service.status()["schema_version"] == 1);
    CHECK(node_agent.status()["canary_weight"] == 0);
}

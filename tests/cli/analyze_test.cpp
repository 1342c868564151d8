// Black-box tests of `release-manager analyze`: files, live /metrics, verdicts and exit codes.
#include <catch2/catch.hpp>

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/metrics_server.h"
#include "support/temp_dir.h"

using launchkit::testing::MetricsServer;
using launchkit::testing::run_tool;
using launchkit::testing::TempDir;

namespace {

constexpr const char* rules_yaml =
    R"(# the Mesh OS Release Management Playbook's automatic rollback triggers, offline
thresholds:
  - {name: errors, metric: error_rate, fail_when: "> 5%"}
  - {name: latency, metric: latency_p95, fail_when: "> 2x baseline"}
canary:
  groups: {errors: 50, latency: 50}
  metrics:
    - {name: error_rate, group: errors, direction: increase, critical: true}
    - {name: latency_p95, group: latency, direction: increase, allowed_increase: 1.1}
)";

// 30 rows of error rate and latency p95, with a pattern that has ties, as scraped metrics do;
// `error_offset` and `phase` shift and reorder them.
std::string rows(double error_offset, int phase) {
    std::string text = "error_rate,latency_p95\n";
    for (int i = 0; i < 30; ++i)
        text += fmt::format("{},{}\n", error_offset + ((i + phase) % 5) * 0.001,
                            200.0 + ((i + phase + 1) % 7) * 3);
    return text;
}

}  // namespace

TEST_CASE("analyze over files: promote exits 0 and shows the statistics", "[cli][decide]") {
    TempDir dir;
    dir.write("rules.yaml", rules_yaml);
    dir.write("baseline.csv", rows(0.010, 0));
    dir.write("canary.csv", rows(0.010, 2));
    auto path = [&](const char* name) { return (dir.path() / name).string(); };
    auto result =
        run_tool("release-manager", {"analyze", "--rules", path("rules.yaml"), "--canary",
                                     path("canary.csv"), "--baseline", path("baseline.csv")});
    INFO(result.stdout_text << result.stderr_text);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.stdout_text, Catch::Contains("verdict: promote") &&
                                       Catch::Contains("P-VALUE") && Catch::Contains("INTERVAL") &&
                                       Catch::Contains("30/30") &&
                                       Catch::Contains("canary score 100.0: pass"));

    auto json_result = run_tool("release-manager",
                                {"analyze", "--rules", path("rules.yaml"), "--canary",
                                 path("canary.csv"), "--baseline", path("baseline.csv"), "--json"});
    auto json = nlohmann::json::parse(json_result.stdout_text);
    CHECK(json["verdict"] == "promote");
    CHECK(json["final"] == true);
    REQUIRE(json["thresholds"].size() == 2);
    CHECK(json["thresholds"][1]["measurements"] == 30);
    CHECK(json["thresholds"][1]["phase"] == "successful");
    for (const char* key : {"canary_count", "baseline_count", "estimate", "lower", "upper",
                            "effect_size", "u", "p_value", "classification"})
        CHECK(json["canary"]["metrics"][1].contains(key));
}

TEST_CASE("analyze over files: a worse canary is rollback, exit 1, and says why", "[cli][decide]") {
    TempDir dir;
    dir.write("rules.yaml", rules_yaml);
    dir.write("baseline.csv", rows(0.010, 0));
    dir.write("canary.csv", rows(0.030, 0));  // 3x the errors
    auto path = [&](const char* name) { return (dir.path() / name).string(); };
    auto result = run_tool("release-manager",
                           {"analyze", "--rules", path("rules.yaml"), "--canary",
                            path("canary.csv"), "--baseline", path("baseline.csv"), "--json"});
    CHECK(result.exit_code == 1);
    auto json = nlohmann::json::parse(result.stdout_text);
    CHECK(json["verdict"] == "rollback");
    CHECK(json["canary"]["score"] == 0);
    CHECK(json["canary"]["metrics"][0]["classification"] == "high");
    CHECK_THAT(json["reason"].get<std::string>(),
               Catch::StartsWith("canary analysis: critical metric error_rate failed"));
}

TEST_CASE("analyze: bad input is exit 2 naming the file and field", "[cli][decide]") {
    TempDir dir;
    dir.write("rules.yaml", "thresholds:\n  - {metric: error_rate, fail_when: 'above 5'}\n");
    dir.write("canary.csv", "error_rate\n0.1\n");
    auto result =
        run_tool("release-manager", {"analyze", "--rules", (dir.path() / "rules.yaml").string(),
                                     "--canary", (dir.path() / "canary.csv").string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("rules.yaml:2: thresholds[0].fail_when: 'above "
                                                   "5' is not a condition"));
    dir.write("rules.yaml", "thresholds:\n  - {metric: latency, fail_when: '> 2x baseline'}\n");
    result =
        run_tool("release-manager", {"analyze", "--rules", (dir.path() / "rules.yaml").string(),
                                     "--canary", (dir.path() / "canary.csv").string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("pass --baseline FILE"));
    result =
        run_tool("release-manager", {"analyze", "--rules", (dir.path() / "missing.yaml").string()});
    CHECK(result.exit_code == 3);
    result =
        run_tool("release-manager",
                 {"analyze", "--rules", (dir.path() / "rules.yaml").string(), "--impact", "lots"});
    CHECK(result.exit_code == 2);
}

TEST_CASE("analyze live: a rising error rate on /metrics is rollback with the matrix's action",
          "[cli][decide]") {
    MetricsServer service;
    service.set("/metrics", "# HELP x\nhttp_error_ratio 0.02\nusers_affected_ratio 0.3\n");
    TempDir dir;
    dir.write("rules.yaml", fmt::format(R"(
sources:
  app: {{prometheus_text: "{}"}}
metrics:
  error_rate: {{source: app, select: http_error_ratio}}
  users_affected: {{source: app, select: users_affected_ratio}}
thresholds:
  - {{name: errors, metric: error_rate, fail_when: "> 5%", severity: high}}
analysis: {{interval: 10ms, count: 3}}
matrix:
  impact_metric: users_affected
  rows:
    - {{severity: high, impact: "10-50%", action: assess-then-rollback, within: 15m}}
)",
                                        service.url("/metrics")));
    auto rules = (dir.path() / "rules.yaml").string();
    auto healthy = run_tool("release-manager", {"analyze", "--rules", rules});
    INFO(healthy.stdout_text << healthy.stderr_text);
    CHECK(healthy.exit_code == 0);
    CHECK_THAT(healthy.stderr_text, Catch::Contains("measurement 3/3:  errors=successful"));
    CHECK(service.requests("/metrics") == 3);

    service.set("/metrics", "http_error_ratio 0.08\nusers_affected_ratio 0.3\n");
    auto failing = run_tool("release-manager", {"analyze", "--rules", rules, "--json"});
    CHECK(failing.exit_code == 1);
    auto json = nlohmann::json::parse(failing.stdout_text);
    CHECK(json["verdict"] == "pause");
    CHECK(json["impact"] == 0.3);
    CHECK(json["matrix"]["action"] == "assess-then-rollback");
    CHECK(json["matrix"]["within"] == "15m");
    CHECK(json["thresholds"][0]["measurements"] == 1);  // stopped at the first failure
}

namespace {

// A loopback URL nothing listens on: a server's port, after the server stopped.
std::string closed_url(const std::string& path) {
    MetricsServer server;
    return server.url(path);
}

}  // namespace

TEST_CASE("analyze: an unreachable source is no data (inconclusive), exit 3, never rollback",
          "[cli][decide]") {
    TempDir dir;
    dir.write("rules.yaml", fmt::format(R"(
sources:
  app: {{prometheus_text: "{}"}}
metrics:
  error_rate: {{source: app, select: http_error_ratio}}
thresholds:
  - {{name: errors, metric: error_rate, fail_when: "> 5%"}}
analysis: {{interval: 1ms, count: 6}}
)",
                                        closed_url("/metrics")));
    auto rules = (dir.path() / "rules.yaml").string();
    auto result = run_tool("release-manager", {"analyze", "--rules", rules, "--json"});
    INFO(result.stdout_text << result.stderr_text);
    CHECK(result.exit_code == 3);
    auto json = nlohmann::json::parse(result.stdout_text);
    CHECK(json["verdict"] == "inconclusive");
    CHECK(json["no_data"] == true);
    REQUIRE(json["failed_sources"].size() == 1);
    CHECK_THAT(json["failed_sources"][0].get<std::string>(), Catch::Contains("cannot reach"));

    // The rules may say what no data means; the exit code still says the source failed.
    std::ofstream(dir.path() / "rules.yaml", std::ios::app) << "on_no_data: rollback\n";
    auto strict = run_tool("release-manager", {"analyze", "--rules", rules, "--json"});
    CHECK(strict.exit_code == 3);
    CHECK(nlohmann::json::parse(strict.stdout_text)["verdict"] == "rollback");
}

TEST_CASE("analyze: a for: 2m rule still failing inside its window when the data ends is pending",
          "[cli][decide]") {
    TempDir dir;
    dir.write("rules.yaml", R"(
thresholds:
  - {name: health, metric: health_failing, fail_when: "> 0", for: 2m}
)");
    // Failing from the first row, for one minute only when the data ends.
    dir.write("canary.csv", "time,health_failing\n1700000000,1\n1700000030,1\n1700000060,2\n");
    auto result =
        run_tool("release-manager", {"analyze", "--rules", (dir.path() / "rules.yaml").string(),
                                     "--canary", (dir.path() / "canary.csv").string(), "--json"});
    INFO(result.stdout_text << result.stderr_text);
    CHECK(result.exit_code == 1);
    auto json = nlohmann::json::parse(result.stdout_text);
    CHECK(json["verdict"] == "inconclusive");
    CHECK_THAT(json["reason"].get<std::string>(),
               Catch::Contains("pending: still failing when the data ended") &&
                   Catch::Contains("failing for 1 min of 2 min"));
    CHECK(json["thresholds"][0]["phase"] == "inconclusive");

    // Past its window, the same failure is a rollback.
    dir.write("canary.csv", "time,health_failing\n1700000000,1\n1700000060,1\n1700000121,2\n");
    auto fired =
        run_tool("release-manager", {"analyze", "--rules", (dir.path() / "rules.yaml").string(),
                                     "--canary", (dir.path() / "canary.csv").string(), "--json"});
    CHECK(fired.exit_code == 1);
    CHECK(nlohmann::json::parse(fired.stdout_text)["verdict"] == "rollback");
}

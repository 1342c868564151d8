// Rules files judged once (`diagnose slo`) against a real /metrics endpoint, a token-protected
// JSON endpoint and a real Prometheus: the SLO shorthand and thresholds: alike.
#include <catch2/catch.hpp>

#include "decide/slo_check.h"
#include "support/http_server.h"
#include "support/prometheus_server.h"

using namespace launchkit;
using namespace launchkit::decide;
using launchkit::probe::Comparison;
using launchkit::probe::read_metrics;
using launchkit::testing::TestHttpServer;

namespace {
constexpr const char* header =
    "sources:\n  app: {prometheus_text: 'http://127.0.0.1:1/metrics'}\n"
    "metrics:\n  error_rate: {source: app, select: errors}\n";
}

TEST_CASE("rules files are validated with file, line and field", "[decide][slo]") {
    auto ok =
        parse_decision_rules(std::string(header) + "rules:\n  - error_rate < 0.01\n", "r.yaml");
    REQUIRE(ok);
    REQUIRE(ok->thresholds.size() == 1);
    CHECK(ok->thresholds[0].name == "error_rate < 0.01");
    CHECK(ok->thresholds[0].metric == "error_rate");
    CHECK(ok->thresholds[0].pass_when->number == 0.01);
    CHECK(ok->thresholds[0].pass_when->comparison == Comparison::less);
    CHECK_FALSE(ok->thresholds[0].fail_when);

    struct Case {
        std::string yaml;
        const char* expected;
    };
    auto bad = GENERATE(
        Case{std::string(header) + "rules:\n  - latency < 5\n",
             "r.yaml:6: rules[0]: no metric 'latency'"},
        Case{std::string(header) + "rules:\n  - error_rate is low\n",
             "expected 'METRIC OP NUMBER'"},
        Case{std::string(header) + "rules:\n  - error_rate < low\n", "expected 'METRIC OP NUMBER'"},
        Case{"sources:\n  app: {graphite: 'http://x'}\nmetrics: {}\nrules: []\n",
             "sources.app.graphite: unknown key"},
        Case{"sources:\n  app: {json: 'http://x'}\nmetrics:\n  m: {source: app}\nrules: [m < 1]\n",
             "metrics.m.pointer: a json source needs pointer"},
        Case{
            "sources:\n  app: {json: 'http://x'}\nmetrics:\n  m: {source: db, pointer: /a}\nrules: "
            "[m < 1]\n",
            "r.yaml:4: metrics.m.source: no source 'db'"});
    INFO(bad.yaml);
    auto rules = parse_decision_rules(bad.yaml, "r.yaml");
    REQUIRE_FALSE(rules);
    CHECK(rules.error().code == ExitCode::invalid_input);
    CHECK_THAT(rules.error().message, Catch::Contains(bad.expected));
}

TEST_CASE("rules are evaluated against live endpoints, no data never passes", "[decide][slo]") {
    TestHttpServer server;
    ::setenv("LAUNCHKIT_TEST_OPS_TOKEN", TestHttpServer::token, 1);
    auto rules = parse_decision_rules(fmt::format(R"(sources:
  app: {{prometheus_text: '{0}'}}
  ops: {{json: '{1}', token_env: LAUNCHKIT_TEST_OPS_TOKEN}}
  down: {{prometheus_text: 'http://127.0.0.1:9/metrics', timeout: 1s}}
metrics:
  error_rate: {{source: app, select: 'http_request_error_ratio{{service="api"}}'}}
  worker_error_rate: {{source: app, select: 'http_request_error_ratio{{service="worker"}}'}}
  any_error_rate: {{source: app, select: http_request_error_ratio}}
  latency_p95_ms: {{source: app, select: latency_p95_ms}}
  broken: {{source: app, select: broken_gauge}}
  failed_jobs: {{source: ops, pointer: /failed_jobs}}
  outbox_age: {{source: ops, pointer: /outbox_age_seconds}}
  unreachable: {{source: down, select: up}}
  missing: {{source: app, select: not_exported}}
rules:
  - error_rate < 0.01
  - latency_p95_ms < 500
  - failed_jobs == 0
  - outbox_age <= 60
  - {{rule: worker_error_rate < 0.01, severity: warning}}
  - any_error_rate < 0.01
  - broken < 1
  - unreachable > 0
  - missing < 1
)",
                                                  server.url("/metrics"), server.url("/protected")),
                                      "rules.yaml");
    REQUIRE(rules);
    auto report = check_slo(*rules, read_metrics(rules->metrics), {});
    ::unsetenv("LAUNCHKIT_TEST_OPS_TOKEN");
    REQUIRE(report.results.size() == 9);
    for (int i = 0; i < 4; ++i) {
        INFO(report.results[i].rule->name << ": " << report.results[i].measurement.detail);
        CHECK(report.results[i].passed());
    }
    CHECK(report.results[1].measurement.value == 312.5);
    CHECK_FALSE(report.results[4].passed());
    CHECK(report.results[4].measurement.detail == "worker_error_rate = 0.2, needs < 0.01");
    CHECK(report.results[4].rule->severity ==
          RuleSeverity::warning);  // a map-form rule keeps its severity
    CHECK_THAT(report.results[5].measurement.detail, Catch::Contains("matches 2 series"));
    CHECK(report.results[6].measurement.detail == "broken is NaN");
    CHECK_THAT(report.results[7].measurement.detail,
               Catch::Contains("no data") && Catch::Contains("cannot reach"));
    CHECK(report.results[7].source_failed);
    CHECK_THAT(report.results[8].measurement.detail,
               Catch::Contains("no data: no series not_exported"));
    CHECK_FALSE(report.passed());
    CHECK(report.exit_code() == ExitCode::said_no);

    auto json = to_json(report);
    CHECK(json["rules"][0]["value"] == 0.004);
    CHECK(json["rules"][7]["value"].is_null());
}

TEST_CASE("metrics from the Prometheus HTTP query API of a real Prometheus",
          "[decide][slo][prometheus]") {
    TestHttpServer exporter;
    launchkit::testing::PrometheusServer prometheus("127.0.0.1:" + std::to_string(exporter.port()));
    auto rules = parse_decision_rules(fmt::format(R"(sources:
  prom: {{prometheus: '{}'}}
metrics:
  latency_p95_ms: {{source: prom, query: 'max(latency_p95_ms{{job="app"}})'}}
  error_ratio: {{source: prom, query: 'http_request_error_ratio'}}
  absent: {{source: prom, query: 'not_a_metric'}}
rules:
  - latency_p95_ms < 500
  - error_ratio < 0.01
  - absent < 1
)",
                                                  prometheus.url()),
                                      "rules.yaml");
    REQUIRE(rules);
    auto report = check_slo(*rules, read_metrics(rules->metrics), {});
    REQUIRE(report.results.size() == 3);
    INFO(report.results[0].measurement.detail);
    CHECK(report.results[0].passed());
    CHECK(report.results[0].measurement.value == 312.5);
    CHECK_THAT(report.results[1].measurement.detail, Catch::Contains("returned 2 series"));
    CHECK_THAT(report.results[2].measurement.detail,
               Catch::Contains("no data") && Catch::Contains("returned no series"));

    auto missing_query = probe::parse_slo_rules(
        fmt::format("sources:\n  prom: {{prometheus: '{}'}}\nmetrics:\n  m: {{source: prom}}\n",
                    prometheus.url()),
        "r.yaml");
    REQUIRE_FALSE(missing_query);
    CHECK_THAT(missing_query.error().message, Catch::Contains("needs query: PROMQL"));
}

TEST_CASE("thresholds: and rules: are one list, judged the same way", "[decide][slo]") {
    TestHttpServer server;
    auto rules = parse_decision_rules(fmt::format(R"(sources:
  app: {{prometheus_text: '{}'}}
metrics:
  error_rate: {{source: app, select: 'http_request_error_ratio{{service="api"}}'}}
  latency_p95_ms: {{source: app, select: latency_p95_ms}}
rules:
  - error_rate < 1%
thresholds:
  - {{name: latency, metric: latency_p95_ms, fail_when: "> 300"}}
  - {{name: slower-than-baseline, metric: latency_p95_ms, fail_when: "> 2x baseline"}}
)",
                                                  server.url("/metrics")),
                                      "rules.yaml");
    REQUIRE(rules);
    REQUIRE(rules->thresholds.size() == 3);
    auto check =
        check_slo(*rules, read_metrics(rules->metrics), MetricValues{{"latency_p95_ms", 100.0}});
    CHECK(check.results[0].passed());        // 0.004 < 1%
    CHECK_FALSE(check.results[1].passed());  // 312.5 > 300
    CHECK_FALSE(check.results[2].passed());  // 312.5 > 2 x 100
    CHECK(check.exit_code() == ExitCode::said_no);
    auto json = to_json(check);
    CHECK(json["rules"][1]["phase"] == "failed");
    CHECK(json["rules"][1]["threshold"] == 300);
    CHECK(json["rules"][2]["condition"] == "latency_p95_ms fails when > 2x baseline");
}

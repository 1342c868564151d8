// SLO rules against a real /metrics endpoint and a token-protected JSON endpoint.
#include <catch2/catch.hpp>

#include "probe/slo.h"
#include "support/http_server.h"
#include "support/prometheus_server.h"

using namespace launchkit;
using namespace launchkit::probe;
using launchkit::testing::TestHttpServer;

TEST_CASE("the Prometheus text format: labels, escapes, timestamps, NaN", "[probe][slo]") {
    auto samples = parse_prometheus_text(
        "# TYPE x gauge\n"
        "x{a=\"1\",b=\"say \\\"hi\\\"\"} 2.5\n"
        "y 3 1700000000000\n"
        "z NaN\n\n");
    REQUIRE(samples);
    REQUIRE(samples->size() == 3);
    CHECK((*samples)[0].labels.at("b") == "say \"hi\"");
    CHECK((*samples)[0].value == 2.5);
    CHECK((*samples)[1].value == 3);
    CHECK(std::isnan((*samples)[2].value));

    auto bad = parse_prometheus_text("ok 1\nbroken{a=\"1\" 2\n");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("line 2"));
    CHECK_FALSE(parse_prometheus_text("x one\n"));

    auto selector = parse_selector(R"(x{a="1"})");
    REQUIRE(selector);
    CHECK(select_samples(*samples, *selector).size() == 1);
    CHECK(select_samples(*samples, *parse_selector("x")).size() == 1);
    CHECK(select_samples(*samples, *parse_selector(R"(x{a="2"})")).empty());
    CHECK_FALSE(parse_selector("bad name"));
    CHECK_FALSE(parse_selector(R"(x{a=1})"));
}

namespace {
constexpr const char* header =
    "sources:\n  app: {prometheus_text: 'http://127.0.0.1:1/metrics'}\n"
    "metrics:\n  error_rate: {source: app, select: errors}\n";
}

TEST_CASE("rules files are validated with file, line and field", "[probe][slo]") {
    auto ok = parse_slo_rules(std::string(header) + "rules:\n  - error_rate < 0.01\n", "r.yaml");
    REQUIRE(ok);
    CHECK(ok->rules[0].threshold == 0.01);
    CHECK(ok->rules[0].comparison == Comparison::less);

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
    auto rules = parse_slo_rules(bad.yaml, "r.yaml");
    REQUIRE_FALSE(rules);
    CHECK(rules.error().code == ExitCode::invalid_input);
    CHECK_THAT(rules.error().message, Catch::Contains(bad.expected));
}

TEST_CASE("rules are evaluated against live endpoints; no data never passes", "[probe][slo]") {
    TestHttpServer server;
    ::setenv("LAUNCHKIT_TEST_OPS_TOKEN", TestHttpServer::token, 1);
    auto rules = parse_slo_rules(fmt::format(R"(sources:
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
    auto report = evaluate_slo(*rules, read_metrics(*rules));
    ::unsetenv("LAUNCHKIT_TEST_OPS_TOKEN");
    REQUIRE(report.results.size() == 9);
    for (int i = 0; i < 4; ++i) {
        INFO(report.results[i].rule.text << ": " << report.results[i].detail);
        CHECK(report.results[i].passed);
    }
    CHECK(report.results[1].value == 312.5);
    CHECK_FALSE(report.results[4].passed);
    CHECK(report.results[4].detail == "worker_error_rate is 0.2, expected < 0.01");
    CHECK(report.results[4].rule.severity ==
          Severity::warning);  // a map-form rule keeps its severity
    CHECK_THAT(report.results[5].detail, Catch::Contains("matches 2 series"));
    CHECK(report.results[6].detail == "the value is NaN");
    CHECK_THAT(report.results[7].detail,
               Catch::Contains("no data") && Catch::Contains("cannot reach"));
    CHECK_THAT(report.results[8].detail, Catch::Contains("no data: no series not_exported"));
    CHECK_FALSE(report.passed());

    auto json = to_json(report);
    CHECK(json["rules"][0]["value"] == 0.004);
    CHECK(json["rules"][7]["value"].is_null());
}

TEST_CASE("metrics from the Prometheus HTTP query API of a real Prometheus",
          "[probe][slo][prometheus]") {
    TestHttpServer exporter;
    launchkit::testing::PrometheusServer prometheus("127.0.0.1:" + std::to_string(exporter.port()));
    auto rules = parse_slo_rules(fmt::format(R"(sources:
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
    auto report = evaluate_slo(*rules, read_metrics(*rules));
    REQUIRE(report.results.size() == 3);
    INFO(report.results[0].detail);
    CHECK(report.results[0].passed);
    CHECK(report.results[0].value == 312.5);
    CHECK_THAT(report.results[1].detail, Catch::Contains("returned 2 series"));
    CHECK_THAT(report.results[2].detail,
               Catch::Contains("no data") && Catch::Contains("returned no series"));

    auto missing_query = parse_slo_rules(
        fmt::format("sources:\n  prom: {{prometheus: '{}'}}\nmetrics:\n  m: {{source: prom}}\n",
                    prometheus.url()),
        "r.yaml");
    REQUIRE_FALSE(missing_query);
    CHECK_THAT(missing_query.error().message, Catch::Contains("needs query: PROMQL"));
}

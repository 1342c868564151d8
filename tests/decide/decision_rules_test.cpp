#include "decide/decision_rules.h"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "decide/metric_series.h"
#include "probe/metric_snapshot.h"

using namespace launchkit::decide;

namespace {

constexpr const char* seed_rules =
    R"(# the Mesh OS Release Management Playbook's automatic rollback triggers
sources:
  app: {prometheus_text: "http://127.0.0.1:9/metrics"}
metrics:
  health_failing: {source: app, select: health_checks_failing}
  error_rate: {source: app, select: 'http_error_ratio{service="api"}'}
  latency_p95: {source: app, select: latency_p95_ms}
  critical_alerts: {source: app, select: alerts_firing_critical}
  agents_unhealthy: {source: app, select: agents_unhealthy}
  agents_total: {source: app, select: agents_total}
  users_affected: {source: app, select: users_affected_ratio}
thresholds:
  - {name: health, metric: health_failing, fail_when: "> 0", for: 2m}
  - {name: errors, metric: error_rate, fail_when: "> 5%", severity: high}
  - {name: latency, metric: latency_p95, fail_when: "> 2x baseline"}
  - {name: alerts, metric: critical_alerts, fail_when: "> 0"}
  - {name: agents, metric: agents_unhealthy, fail_when: "> 10% of agents_total"}
analysis: {interval: 30s, count: 10, failure_limit: 1}
matrix:
  impact_metric: users_affected
  rows:
    - {severity: critical, impact: "> 50%", action: rollback, within: 5m}
    - {severity: high, impact: "10-50%", action: assess-then-rollback, within: 15m}
    - {severity: medium, impact: "< 10%", action: hotfix-or-rollback, within: 1h}
    - {severity: low, impact: any, action: fix-next-cycle}
)";

std::string parse_error(const std::string& yaml) {
    auto parsed = parse_decision_rules(yaml, "rules.yaml");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == launchkit::ExitCode::invalid_input);
    return parsed.error().message;
}

}  // namespace

TEST_CASE(
    "a decision rules file with the Mesh OS Release Management Playbook's triggers and matrix",
    "[decide]") {
    auto rules = parse_decision_rules(seed_rules, "rules.yaml");
    REQUIRE(rules);
    CHECK(rules->thresholds.size() == 5);
    CHECK(rules->thresholds[0].for_duration == std::chrono::minutes(2));
    CHECK(rules->thresholds[1].severity == RuleSeverity::high);
    CHECK(rules->thresholds[4].fail_when->other_metric == "agents_total");
    CHECK(rules->analysis.interval == std::chrono::seconds(30));
    CHECK(rules->analysis.count == 10);
    CHECK(rules->analysis.failure_limit == 1);
    CHECK(rules->analysis.consecutive_error_limit == 4);
    REQUIRE(rules->matrix);
    CHECK(rules->matrix->rows.size() == 4);
    CHECK(rules->matrix->rows[1].min_impact == Approx(0.1));
    CHECK(rules->matrix->rows[1].max_impact == Approx(0.5));
    auto row = look_up(*rules->matrix, RuleSeverity::high, 0.3);
    REQUIRE(row);
    CHECK(row->action == MatrixAction::assess_then_rollback);
    CHECK_FALSE(look_up(*rules->matrix, RuleSeverity::high, 0.05));
    CHECK(look_up(*rules->matrix, RuleSeverity::critical, std::nullopt)->action ==
          MatrixAction::rollback);  // unknown impact: everyone
    CHECK(look_up(seed_decision_matrix(), RuleSeverity::medium, 0.01)->within ==
          std::chrono::hours(1));
}

TEST_CASE("decision rules errors name the file, line and field", "[decide]") {
    CHECK(parse_error("thresholds:\n  - {metric: error_rate, fail_when: '>> 5'}\n") ==
          "rules.yaml:2: thresholds[0].fail_when: '>> 5' is not a condition: expected 'OP "
          "NUMBER' ('> 0.05', '> 5%'), 'OP Nx baseline', 'OP N% of METRIC' or 'grows OP N[%]'");
    CHECK(parse_error("thresholds:\n  - {metric: error_rate, fail_when: '> 1', sevrity: high}\n") ==
          "rules.yaml:2: thresholds[0].sevrity: unknown key (expected one of: fail_when, for, "
          "metric, name, pass_when, severity)");
    CHECK_THAT(parse_error("sources: {a: {json: 'http://x/'}}\nmetrics: {m: {source: a, pointer: "
                           "/m}}\nthresholds:\n  - {metric: other, fail_when: '> 1'}\n"),
               Catch::Contains("rules.yaml:4: thresholds[0].metric: no metric 'other'"));
    CHECK_THAT(parse_error("thresholds:\n  - {metric: x}\n"),
               Catch::Contains("expected fail_when:"));
    CHECK_THAT(parse_error("thresholds:\n  - {metric: x, fail_when: '> 1'}\n  - {metric: x, "
                           "fail_when: '> 2'}\n"),
               Catch::Contains("rules.yaml:3: thresholds[1].name: a rule named 'x'"));
    CHECK_THAT(
        parse_error("canary:\n  groups: {errors: 100}\n  metrics:\n    - {name: latency, "
                    "group: latency}\n"),
        Catch::Contains("rules.yaml:4: canary.metrics[0].group: group 'latency' has no weight"));
    CHECK_THAT(
        parse_error("canary:\n  metrics:\n    - {name: x, direction: up}\n"),
        Catch::Contains("canary.metrics[0].direction: expected increase, decrease or either"));
    CHECK_THAT(parse_error("thresholds: []\nanalysis: {count: 0}\n"),
               Catch::Contains("analysis.count: expected a whole number from 1"));
    CHECK_THAT(parse_error("matrix: seed\n"), Catch::Contains("nothing to decide"));
    CHECK_THAT(parse_error("thresholds:\n  - {metric: x, fail_when: '> 1'}\nmatrix:\n  rows:\n    "
                           "- {severity: high, impact: 'most', action: rollback}\n"),
               Catch::Contains("matrix.rows[0].impact: impact 'most'"));
    CHECK_THAT(parse_error("thresholds:\n  - {metric: x, fail_when: '> 1', for: soon}\n"),
               Catch::Contains("thresholds[0].for:"));
}

TEST_CASE("series files: CSV with times, JSON lists, tables and snapshots", "[decide]") {
    auto csv = parse_series_csv(
        "time,error_rate,latency_p95\n"
        "2026-11-25T10:00:00Z,0.01,200\n"
        "2026-11-25T10:01:00Z,,210\n"
        "1795600920,NaN,190\n",
        "canary.csv");
    REQUIRE(csv);
    REQUIRE(csv->size() == 3);
    CHECK((*csv)[0].values.at("error_rate") == 0.01);
    CHECK_FALSE((*csv)[1].values.at("error_rate"));
    CHECK(std::isnan(*(*csv)[2].values.at("error_rate")));
    CHECK(samples_of(*csv, "latency_p95") == std::vector<double>{200, 210, 190});
    CHECK(typical_values(*csv).at("latency_p95") == 200);
    CHECK(typical_values(*csv).at("error_rate") == 0.01);
    CHECK((*csv)[1].at.has_value());

    auto bad = parse_series_csv("error_rate\n0.1\nlots\n", "canary.csv");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "canary.csv:3: column 'error_rate': 'lots' is not a number");
    CHECK(parse_series_csv("a,b\n1\n", "x.csv").error().message ==
          "x.csv:2: 1 values, expected 2 (one per column)");

    // Found by fuzz/metric_answer: a time beyond 2262 overflowed instead of being refused.
    for (auto time : {"4052-12-03T11:01:00Z", "1e300", "[[[[1]]]]", "-9.3e9"}) {
        INFO(time);
        auto far = parse_series_csv(fmt::format("time,a\n{},1\n", time), "far.csv");
        REQUIRE_FALSE(far);
        CHECK(far.error().message ==
              fmt::format("far.csv:2: time '{}' is neither RFC 3339 nor Unix seconds", time));
    }

    auto list = parse_series_json(R"([{"time": 0, "errors": 1}, {"time": 60, "errors": null}])",
                                  "list.json");
    REQUIRE(list);
    CHECK(list->size() == 2);
    auto table =
        parse_series_json(R"({"metrics": {"a": [1, 2, 3], "b": [4, null, "NaN"]}})", "table.json");
    REQUIRE(table);
    CHECK(samples_of(*table, "b").size() == 2);
    CHECK(parse_series_json(R"({"metrics": {"a": [1, 2], "b": [1]}})", "t.json").error().message ==
          "t.json: metrics.b: 1 values, the others have 2");
    auto snapshot = parse_series_json(
        R"({"format": "launchkit-snapshot/1", "taken_at": "2026-11-25T10:00:00Z",
            "rules": "slo.yaml", "metrics": {"backlog": 12, "age": null}})",
        "before.json");
    REQUIRE(snapshot);
    REQUIRE(snapshot->size() == 1);
    CHECK((*snapshot)[0].values.at("backlog") == 12);
}

TEST_CASE("metric answers with members of an unexpected type are read or refused, never thrown on",
          "[decide][hostile]") {
    // Found by the metric-answer fuzzer: {"format": null} made value("format", "") throw.
    CHECK_NOTHROW(parse_series_json(R"({"format": null})", "series.json"));
    CHECK_NOTHROW(parse_series_json(R"({"format": 5, "metrics": {"a": [1]}})", "series.json"));
    auto snapshot_metrics = parse_series_json(
        R"({"format": "launchkit-snapshot/1", "taken_at": 7, "metrics": 3})", "snapshot.json");
    REQUIRE_FALSE(snapshot_metrics);
    CHECK_THAT(snapshot_metrics.error().message, Catch::Contains("metrics: expected an object"));
    CHECK_NOTHROW(launchkit::probe::parse_snapshot(R"({"format": null, "metrics": {}})", "s.json"));
    auto snapshot = launchkit::probe::parse_snapshot(
        R"({"format": "launchkit-snapshot/1", "taken_at": [], "metrics": {"a": 1}})", "s.json");
    REQUIRE(snapshot);
    CHECK(snapshot->taken_at.empty());
}

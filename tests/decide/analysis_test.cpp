#include "decide/analysis.h"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "support/metrics_server.h"

using namespace launchkit::decide;
using launchkit::testing::MetricsServer;

namespace {

DecisionRules rules_from(const std::string& yaml) {
    auto rules = parse_decision_rules(yaml, "rules.yaml");
    INFO((rules ? "" : rules.error().message));
    REQUIRE(rules);
    return *rules;
}

MeasurementSeries series(const std::string& csv) {
    auto parsed = parse_series_csv(csv, "series.csv");
    REQUIRE(parsed);
    return *parsed;
}

constexpr const char* triggers = R"(
thresholds:
  - {name: errors, metric: error_rate, fail_when: "> 5%", severity: high}
  - {name: latency, metric: latency_p95, fail_when: "> 2x baseline"}
  - {name: cpu, metric: cpu, fail_when: "> 90%", severity: warning}
analysis: {failure_limit: 1}
)";

}  // namespace

TEST_CASE("an analysis over a series: promote when every rule holds", "[decide]") {
    AnalysisInputs inputs;
    inputs.canary =
        series("error_rate,latency_p95,cpu\n0.01,210,0.5\n0.02,220,0.95\n0.01,200,0.96\n");
    inputs.baseline = series("latency_p95\n190\n200\n210\n");
    auto decision = run_analysis(rules_from(triggers), inputs);
    REQUIRE(decision);
    CHECK(decision->verdict == Verdict::promote);
    CHECK(decision->go());
    CHECK(decision->thresholds[0].measurements() == 3);
    CHECK(decision->thresholds[2].phase() == AnalysisPhase::failed);  // a warning: reported only
    auto json = to_json(*decision);
    CHECK(json["verdict"] == "promote");
    CHECK(json["thresholds"][1]["threshold"] == 400.0);
    CHECK(json["thresholds"][1]["value"] == 200.0);
}

TEST_CASE("one noisy sample under failure_limit does not roll back, two do", "[decide]") {
    AnalysisInputs inputs;
    inputs.baseline = series("latency_p95\n200\n");
    inputs.canary =
        series("error_rate,latency_p95,cpu\n0.01,210,0.5\n0.09,220,0.5\n0.01,200,0.5\n");
    CHECK(run_analysis(rules_from(triggers), inputs)->verdict == Verdict::promote);
    inputs.canary =
        series("error_rate,latency_p95,cpu\n0.01,210,0.5\n0.09,220,0.5\n0.08,200,0.5\n");
    auto decision = run_analysis(rules_from(triggers), inputs);
    CHECK(decision->verdict == Verdict::rollback);
    CHECK_THAT(decision->reason, Catch::StartsWith("errors: 2 failed measurements (limit 1)"));
    CHECK_FALSE(decision->go());
}

TEST_CASE("the decision matrix turns a failure into its action and timeframe", "[decide]") {
    auto rules = rules_from(std::string(triggers) + R"(
matrix:
  rows:
    - {severity: critical, impact: any, action: rollback, within: 5m}
    - {severity: high, impact: "10-50%", action: assess-then-rollback, within: 15m}
    - {severity: high, impact: "< 10%", action: hotfix-or-rollback, within: 1h}
)");
    AnalysisInputs inputs;
    inputs.baseline = series("latency_p95\n200\n");
    inputs.canary = series("error_rate,latency_p95,cpu\n0.09,210,0.5\n0.08,220,0.5\n");
    inputs.impact = 0.3;
    auto decision = run_analysis(rules, inputs);
    CHECK(decision->verdict == Verdict::pause);
    REQUIRE(decision->matrix_row);
    CHECK(decision->matrix_row->action == MatrixAction::assess_then_rollback);
    CHECK_THAT(decision->reason, Catch::StartsWith("assess-then-rollback (high within 15 min)"));
    inputs.impact = 0.6;  // no high row covers 60 %: fail safe
    CHECK(run_analysis(rules, inputs)->verdict == Verdict::rollback);
    // A critical failure alongside: rollback wins.
    inputs.impact = 0.3;
    inputs.canary = series("error_rate,latency_p95,cpu\n0.09,900,0.5\n0.08,900,0.5\n");
    auto worst = run_analysis(rules, inputs);
    CHECK(worst->verdict == Verdict::rollback);
    CHECK(worst->matrix_row->severity == RuleSeverity::critical);
}

TEST_CASE("an analysis that cannot answer a rule says so before measuring", "[decide]") {
    AnalysisInputs inputs;
    inputs.canary = series("error_rate,latency_p95\n0.01,210\n");
    auto missing = run_analysis(rules_from(triggers), inputs);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == launchkit::ExitCode::invalid_input);
    CHECK_THAT(missing.error().message,
               Catch::Contains("rule 'latency' compares with the baseline"));
    auto no_source =
        run_analysis(rules_from("thresholds:\n  - {metric: x, fail_when: '> 1'}\n"), {});
    REQUIRE_FALSE(no_source);
    CHECK_THAT(no_source.error().message, Catch::Contains("pass --canary FILE"));
}

TEST_CASE("live analysis reads /metrics every interval and stops at a failure", "[decide]") {
    MetricsServer service;
    service.set("/metrics", "http_error_ratio 0.01\nlatency_p95_ms 120\n");
    auto rules = rules_from(fmt::format(R"(
sources:
  app: {{prometheus_text: "{}"}}
metrics:
  error_rate: {{source: app, select: http_error_ratio}}
  latency: {{source: app, select: latency_p95_ms}}
thresholds:
  - {{name: errors, metric: error_rate, fail_when: "> 5%"}}
analysis: {{interval: 1m, count: 5}}
)",
                                        service.url("/metrics")));
    AnalysisHooks hooks;
    int sleeps = 0;
    hooks.sleep = [&](std::chrono::milliseconds interval) {
        CHECK(interval == std::chrono::minutes(1));
        // The error rate rises after the second measurement.
        if (++sleeps == 2) service.set("/metrics", "http_error_ratio 0.2\nlatency_p95_ms 120\n");
    };
    auto decision = run_analysis(rules, {}, hooks);
    REQUIRE(decision);
    CHECK(decision->verdict == Verdict::rollback);
    CHECK(decision->thresholds[0].measurements() == 3);
    CHECK(service.requests("/metrics") == 3);  // stopped at the failure, not after all five
    // The endpoint going away is no data: five errors in a row, then the gate says it cannot
    // judge (inconclusive, never a pass) and `analyze` exits 3, the source having failed.
    service.set("/metrics", "down", 503);
    sleeps = 10;
    auto down = run_analysis(rules, {}, hooks);
    CHECK(down->verdict == Verdict::inconclusive);
    CHECK_FALSE(down->go());
    CHECK(down->no_data);
    CHECK(down->thresholds[0].phase() == AnalysisPhase::error);
    CHECK_THAT(down->reason, Catch::StartsWith("no data: ") &&
                                 Catch::Contains("5 measurements in a row without data (limit 4)"));
    REQUIRE(down->failed_sources.size() == 1);
    CHECK_THAT(down->failed_sources[0], Catch::Contains("answered HTTP 503"));
    CHECK(exit_code_of(*down) == launchkit::ExitCode::environment);
    // A gate may ask for a rollback when it has no data.
    AnalysisInputs strict;
    strict.on_no_data = NoDataAction::rollback;
    auto rolled = run_analysis(rules, strict, hooks);
    CHECK(rolled->verdict == Verdict::rollback);
    CHECK(exit_code_of(*rolled) == launchkit::ExitCode::environment);
}

TEST_CASE("live canary judge from two /metrics endpoints sampled each interval", "[decide]") {
    MetricsServer service;
    auto rules = rules_from(fmt::format(R"(
sources:
  canary: {{prometheus_text: "{0}"}}
  baseline: {{prometheus_text: "{1}"}}
metrics:
  canary_latency: {{source: canary, select: latency_ms}}
  baseline_latency: {{source: baseline, select: latency_ms}}
canary:
  metrics:
    - {{name: latency, direction: increase, canary: canary_latency, baseline: baseline_latency}}
analysis: {{interval: 10s, count: 12}}
)",
                                        service.url("/canary"), service.url("/baseline")));
    int tick = 0;
    auto set_values = [&](double canary_shift) {
        double jitter = (tick % 4) * 1.5;
        service.set("/canary", fmt::format("latency_ms {}\n", 100 + jitter + canary_shift));
        service.set("/baseline", fmt::format("latency_ms {}\n", 100 + jitter));
        ++tick;
    };
    AnalysisHooks hooks;
    hooks.sleep = [&](std::chrono::milliseconds) { set_values(40); };
    set_values(40);
    auto worse = run_analysis(rules, {}, hooks);
    REQUIRE(worse);
    CHECK(worse->verdict == Verdict::rollback);
    REQUIRE(worse->canary);
    CHECK(worse->canary->metrics[0].canary_count == 12);
    CHECK(worse->canary->metrics[0].classification == MetricClass::high);
    hooks.sleep = [&](std::chrono::milliseconds) { set_values(0); };
    set_values(0);
    auto same = run_analysis(rules, {}, hooks);
    CHECK(same->verdict == Verdict::promote);
    CHECK(same->canary->score == 100);
}

// A series's times may be centuries apart (Unix seconds up to ±9e9), and an untimed series is
// spaced by an interval of up to 100 years: `for:` measured `at - failing_since` in nanoseconds
// and untimed rows at `interval * row`, both overflowing (found by the rules harness).
TEST_CASE("a for: window over times centuries apart, and untimed rows a century apart",
          "[decide]") {
    auto rules = rules_from(R"(
thresholds:
  - {name: health, metric: health_failing, fail_when: "> 0", for: 36500d}
analysis: {interval: 36500d}
)");
    AnalysisInputs inputs;
    inputs.canary = series("time,health_failing\n-8900000000,1\n8900000000,1\n");
    auto far_apart = run_analysis(rules, inputs);
    REQUIRE(far_apart);
    CHECK(far_apart->verdict == Verdict::rollback);
    CHECK_THAT(far_apart->thresholds[0].last()->detail, Catch::Contains("for 206018 d"));

    inputs.canary = series("health_failing\n1\n1\n1\n1\n");
    auto untimed = run_analysis(rules, inputs);
    REQUIRE(untimed);
    CHECK(untimed->verdict == Verdict::rollback);
    CHECK(untimed->thresholds[0].phase() == AnalysisPhase::failed);
}

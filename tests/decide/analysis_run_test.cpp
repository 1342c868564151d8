#include "decide/analysis_run.h"

#include <catch2/catch.hpp>

using namespace launchkit::decide;
using namespace std::chrono_literals;

namespace {

ThresholdRule error_rate_rule() {
    ThresholdRule rule;
    rule.name = rule.metric = "error_rate";
    rule.fail_when = *parse_condition("> 5%");
    return rule;
}

RuleMeasurement measured(MeasurementPhase phase) {
    RuleMeasurement measurement;
    measurement.phase = phase;
    measurement.detail = std::string(to_string(phase));
    return measurement;
}

launchkit::util::TimePoint at(std::chrono::seconds offset) {
    return launchkit::util::TimePoint{} + offset;
}

constexpr auto ok = MeasurementPhase::successful;
constexpr auto bad = MeasurementPhase::failed;
constexpr auto error = MeasurementPhase::error;

}  // namespace

TEST_CASE("Argo semantics: a failure over failure_limit fails the rule", "[decide]") {
    AnalysisLimits limits;
    limits.count = 5;
    limits.failure_limit = 1;  // one noisy sample is tolerated
    RuleAnalysis analysis(error_rate_rule(), limits);
    analysis.record(measured(ok), at(0s));
    analysis.record(measured(bad), at(60s));
    CHECK(analysis.phase() == AnalysisPhase::running);
    analysis.record(measured(ok), at(120s));
    analysis.record(measured(bad), at(180s));
    CHECK(analysis.phase() == AnalysisPhase::failed);
    CHECK(analysis.failures() == 2);
    CHECK_THAT(analysis.reason(), Catch::StartsWith("2 failed measurements (limit 1)"));
    analysis.record(measured(ok), at(240s));  // decided phases are final
    CHECK(analysis.measurements() == 4);
}

TEST_CASE("Argo semantics: count successful measurements succeed", "[decide]") {
    AnalysisLimits limits;
    limits.count = 3;
    RuleAnalysis analysis(error_rate_rule(), limits);
    for (int i = 0; i < 3; ++i) analysis.record(measured(ok), at(std::chrono::seconds(i)));
    CHECK(analysis.phase() == AnalysisPhase::successful);
    CHECK(analysis.reason() == "3 of 3 measurements successful");
}

TEST_CASE("Argo semantics: consecutiveErrorLimit defaults to 4", "[decide]") {
    AnalysisLimits limits;
    limits.count = 20;
    RuleAnalysis analysis(error_rate_rule(), limits);
    analysis.record(measured(ok), at(0s));
    for (int i = 0; i < 4; ++i) analysis.record(measured(error), at(std::chrono::seconds(i + 1)));
    CHECK(analysis.phase() == AnalysisPhase::running);  // 4 in a row: at the limit
    analysis.record(measured(ok), at(10s));             // a success resets the run of errors
    for (int i = 0; i < 4; ++i) analysis.record(measured(error), at(std::chrono::seconds(i + 11)));
    CHECK(analysis.phase() == AnalysisPhase::running);
    analysis.record(measured(error), at(20s));
    CHECK(analysis.phase() == AnalysisPhase::error);
    CHECK_THAT(analysis.reason(), Catch::StartsWith("5 measurements in a row without data"));
}

TEST_CASE("a gate that never got data fails closed when its count runs out", "[decide]") {
    AnalysisLimits limits;
    limits.count = 3;
    RuleAnalysis analysis(error_rate_rule(), limits);
    for (int i = 0; i < 3; ++i) analysis.record(measured(error), at(std::chrono::seconds(i)));
    CHECK(analysis.phase() == AnalysisPhase::error);
    CHECK_THAT(analysis.reason(), Catch::StartsWith("no successful measurement in 3"));
    RuleAnalysis never(error_rate_rule(), limits);
    never.finish();
    CHECK(never.phase() == AnalysisPhase::error);
}

TEST_CASE("Argo semantics: inconclusive limit and consecutive successes", "[decide]") {
    AnalysisLimits limits;
    limits.count = 10;
    limits.inconclusive_limit = 1;
    RuleAnalysis analysis(error_rate_rule(), limits);
    analysis.record(measured(MeasurementPhase::inconclusive), at(0s));
    CHECK(analysis.phase() == AnalysisPhase::running);
    analysis.record(measured(MeasurementPhase::inconclusive), at(1s));
    CHECK(analysis.phase() == AnalysisPhase::inconclusive);

    limits.consecutive_successes = 3;
    RuleAnalysis streak(error_rate_rule(), limits);
    streak.record(measured(ok), at(0s));
    streak.record(measured(ok), at(1s));
    streak.record(measured(MeasurementPhase::inconclusive), at(2s));
    streak.record(measured(ok), at(3s));
    streak.record(measured(ok), at(4s));
    CHECK(streak.phase() == AnalysisPhase::running);
    streak.record(measured(ok), at(5s));
    CHECK(streak.phase() == AnalysisPhase::successful);
    CHECK(streak.measurements() == 6);
}

TEST_CASE("runbook threshold: health checks failing for longer than 2 minutes", "[decide]") {
    auto rule = error_rate_rule();
    rule.name = rule.metric = "health_failing";
    rule.fail_when = *parse_condition("> 0");
    rule.for_duration = 2min;
    AnalysisLimits limits;
    limits.count = 100;

    RuleAnalysis just_below(rule, limits);
    just_below.record(measured(ok), at(0s));
    just_below.record(measured(bad), at(60s));
    just_below.record(measured(bad), at(179s));  // failing for 1m59s
    CHECK(just_below.phase() == AnalysisPhase::running);
    CHECK(just_below.last()->phase == MeasurementPhase::pending);
    CHECK_THAT(just_below.last()->detail, Catch::Contains("failing for 1 min 59 s of 2 min"));
    just_below.record(measured(ok), at(190s));  // recovered: the clock starts again
    just_below.record(measured(bad), at(200s));
    just_below.record(measured(bad), at(319s));
    CHECK(just_below.phase() == AnalysisPhase::running);

    RuleAnalysis at_boundary(rule, limits);
    at_boundary.record(measured(bad), at(0s));
    at_boundary.record(measured(bad), at(120s));  // failing for exactly 2m: fires, as Prometheus
    CHECK(at_boundary.phase() == AnalysisPhase::failed);

    RuleAnalysis above(rule, limits);
    above.record(measured(bad), at(0s));
    above.record(measured(bad), at(121s));
    CHECK(above.phase() == AnalysisPhase::failed);
    CHECK_THAT(above.reason(), Catch::Contains("for 2 min 1 s"));

    // Still pending when the analysis ends: not a pass.
    limits.count = 2;
    RuleAnalysis ends_pending(rule, limits);
    ends_pending.record(measured(ok), at(0s));
    ends_pending.record(measured(bad), at(60s));
    CHECK(ends_pending.phase() == AnalysisPhase::inconclusive);
}

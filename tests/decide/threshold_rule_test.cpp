#include "decide/threshold_rule.h"

#include <catch2/catch.hpp>

using namespace launchkit::decide;

namespace {

ThresholdRule rule(const std::string& metric, const std::string& fail_when) {
    ThresholdRule result;
    result.name = metric;
    result.metric = metric;
    result.fail_when = *parse_condition(fail_when);
    return result;
}

MeasurementPhase phase(const ThresholdRule& rule, MetricValues values, MetricValues baseline = {}) {
    return measure_rule(rule, values, baseline).phase;
}

constexpr auto succeeded = MeasurementPhase::successful;
constexpr auto failed = MeasurementPhase::failed;

}  // namespace

TEST_CASE("runbook threshold: error rate above 5 %", "[decide]") {
    auto error_rate = rule("error_rate", "> 5%");
    CHECK(phase(error_rate, {{"error_rate", 0.0499}}) == succeeded);
    CHECK(phase(error_rate, {{"error_rate", 0.05}}) == succeeded);
    CHECK(phase(error_rate, {{"error_rate", 0.0501}}) == failed);
    auto measurement = measure_rule(error_rate, {{"error_rate", 0.08}}, {});
    CHECK(*measurement.threshold == Approx(0.05));
    CHECK(measurement.detail == "error_rate = 0.08, fails when > 5% (0.05)");
}

TEST_CASE("runbook threshold: latency p95 above 2x the baseline", "[decide]") {
    auto latency = rule("latency_p95", "> 2x baseline");
    MetricValues baseline{{"latency_p95", 200.0}};
    CHECK(phase(latency, {{"latency_p95", 399.9}}, baseline) == succeeded);
    CHECK(phase(latency, {{"latency_p95", 400.0}}, baseline) == succeeded);
    CHECK(phase(latency, {{"latency_p95", 400.1}}, baseline) == failed);
    // Without a baseline the rule cannot be judged: an error, never a pass.
    auto no_baseline = measure_rule(latency, {{"latency_p95", 100.0}}, {});
    CHECK(no_baseline.phase == MeasurementPhase::error);
    CHECK(no_baseline.detail == "no baseline value of latency_p95");
    CHECK(parse_condition("> 2 × baseline")->reference == ThresholdReference::baseline_factor);
}

TEST_CASE("runbook threshold: any critical alert firing", "[decide]") {
    auto alerts = rule("critical_alerts", "> 0");
    CHECK(phase(alerts, {{"critical_alerts", 0.0}}) == succeeded);
    CHECK(phase(alerts, {{"critical_alerts", 1.0}}) == failed);
    CHECK(phase(alerts, {{"critical_alerts", 0.5}}) == failed);
}

TEST_CASE("runbook threshold: more than 10 % of agents unhealthy", "[decide]") {
    auto agents = rule("agents_unhealthy", "> 10% of agents_total");
    CHECK(phase(agents, {{"agents_unhealthy", 9.0}, {"agents_total", 100.0}}) == succeeded);
    CHECK(phase(agents, {{"agents_unhealthy", 10.0}, {"agents_total", 100.0}}) == succeeded);
    CHECK(phase(agents, {{"agents_unhealthy", 11.0}, {"agents_total", 100.0}}) == failed);
    CHECK(phase(agents, {{"agents_unhealthy", 1.0}}) == MeasurementPhase::error);
}

TEST_CASE("runbook threshold: backlog or outbox age growing beyond a tolerance", "[decide]") {
    MetricValues baseline{{"outbox_age", 1000.0}};
    auto relative = rule("outbox_age", "grows > 20%");
    CHECK(phase(relative, {{"outbox_age", 1199.0}}, baseline) == succeeded);
    CHECK(phase(relative, {{"outbox_age", 1200.0}}, baseline) == succeeded);
    CHECK(phase(relative, {{"outbox_age", 1201.0}}, baseline) == failed);
    auto absolute = rule("outbox_age", "grows > 100");
    CHECK(phase(absolute, {{"outbox_age", 1099.5}}, baseline) == succeeded);
    CHECK(phase(absolute, {{"outbox_age", 1100.0}}, baseline) == succeeded);
    CHECK(phase(absolute, {{"outbox_age", 1100.5}}, baseline) == failed);
    // The Zeitwork Platform Upgrade Guide: active connections dropping by more than 10 %.
    auto drop = rule("active_connections", "grows < -10%");
    MetricValues connections{{"active_connections", 500.0}};
    CHECK(phase(drop, {{"active_connections", 451.0}}, connections) == succeeded);
    CHECK(phase(drop, {{"active_connections", 450.0}}, connections) == succeeded);
    CHECK(phase(drop, {{"active_connections", 449.0}}, connections) == failed);
}

TEST_CASE("runbook threshold: CPU and memory above 90 %", "[decide]") {
    for (const char* metric : {"cpu_usage", "memory_usage"}) {
        auto usage = rule(metric, "> 90%");
        CHECK(phase(usage, {{metric, 0.8999}}) == succeeded);
        CHECK(phase(usage, {{metric, 0.90}}) == succeeded);
        CHECK(phase(usage, {{metric, 0.9001}}) == failed);
    }
    auto in_percent = rule("cpu_percent", "> 90");  // a metric already in percent
    CHECK(phase(in_percent, {{"cpu_percent", 90.0}}) == succeeded);
    CHECK(phase(in_percent, {{"cpu_percent", 90.5}}) == failed);
}

TEST_CASE("pass_when and fail_when together leave a gap that is inconclusive", "[decide]") {
    ThresholdRule success_rate;
    success_rate.name = success_rate.metric = "success_rate";
    success_rate.pass_when =
        *parse_condition(">= 99.9%");  // the Mesh OS Release Management Playbook: target
    success_rate.fail_when =
        *parse_condition("< 99%");  // the Mesh OS Release Management Playbook: alert threshold
    CHECK(phase(success_rate, {{"success_rate", 0.9995}}) == succeeded);
    CHECK(phase(success_rate, {{"success_rate", 0.995}}) == MeasurementPhase::inconclusive);
    CHECK(phase(success_rate, {{"success_rate", 0.985}}) == failed);
    success_rate.fail_when.reset();
    CHECK(phase(success_rate, {{"success_rate", 0.995}}) == failed);
}

TEST_CASE("missing and NaN values are errors, never passes", "[decide]") {
    auto error_rate = rule("error_rate", "> 5%");
    CHECK(phase(error_rate, {}) == MeasurementPhase::error);
    CHECK(phase(error_rate, {{"error_rate", std::nullopt}}) == MeasurementPhase::error);
    CHECK(phase(error_rate, {{"error_rate", NAN}}) == MeasurementPhase::error);
}

TEST_CASE("conditions that are not conditions are refused", "[decide]") {
    for (const char* text : {"", "5%", "> five", "> 2% baseline", "grows > 2x baseline", "> 10% of",
                             "=> 3", "> 1 of 2"}) {
        INFO(text);
        auto parsed = parse_condition(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == launchkit::ExitCode::invalid_input);
    }
}

// Found by fuzz/values: std::stod threw on an exponent out of a double's range.
TEST_CASE("a condition's number beyond a double is refused, not thrown", "[decide]") {
    auto refused = parse_condition("> 33333333333E3333");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "'> 33333333333E3333' is not a condition: 33333333333E3333 is not a number it can use");
    CHECK(parse_condition("> 1e-3"));
}

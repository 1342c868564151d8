// Threshold rules as the runbooks state them ("error rate > 5 %", "latency p95 > 2x baseline",
// "more than 10 % of agents unhealthy", "backlog grows > 20 %"), judged on one measurement.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "base/error.h"
#include "probe/check.h"

namespace launchkit::decide {

// What the threshold is measured against.
enum class ThresholdReference {
    absolute,         // > 0.05
    baseline_factor,  // > 2x baseline
    other_metric,     // > 10% of agents_total
    baseline_growth,  // grows > 20%   (or grows > 100: an absolute amount)
};

// `OP NUMBER[%] [x baseline | of METRIC]` or `grows OP NUMBER[%]`; a percentage is a fraction
// (5% is 0.05) except after `grows`, where it is relative to the baseline.
struct Condition {
    std::string text{};
    probe::Comparison comparison = probe::Comparison::greater;
    double number = 0;
    bool percent = false;
    ThresholdReference reference = ThresholdReference::absolute;
    std::string other_metric{};

    bool needs_baseline() const {
        return reference == ThresholdReference::baseline_factor ||
               reference == ThresholdReference::baseline_growth;
    }
};

// Exit code 2 with what was expected when `text` is not a condition.
Result<Condition> parse_condition(std::string_view text);

// How bad a rule's failure is: the decision matrix's rows; a warning is reported and never fails.
enum class RuleSeverity { critical, high, medium, low, warning };
std::string_view to_string(RuleSeverity severity);
std::optional<RuleSeverity> parse_rule_severity(std::string_view text);

struct ThresholdRule {
    std::string name{};
    std::string metric{};
    std::optional<Condition> fail_when{};
    std::optional<Condition> pass_when{};  // both given: neither holding is inconclusive
    // The failure must hold this long before the rule fails (health checks failing for > 2 min);
    // until then the measurement is pending.
    std::chrono::milliseconds for_duration{0};
    RuleSeverity severity = RuleSeverity::critical;
};

// One measurement's phase, as Argo Rollouts names them.
enum class MeasurementPhase { successful, failed, inconclusive, error, pending };
std::string_view to_string(MeasurementPhase phase);

struct RuleMeasurement {
    MeasurementPhase phase = MeasurementPhase::error;
    std::optional<double> value{};
    std::optional<double> threshold{};  // the resolved limit the value was compared with
    std::string detail{};
};

// The metric values of one measurement (null: no data) and the baseline's values.
using MetricValues = std::map<std::string, std::optional<double>>;

// The number a condition compares with, or why there is none.
std::optional<double> resolve_threshold(const Condition& condition, const std::string& metric,
                                        const MetricValues& values, const MetricValues& baseline,
                                        std::string& problem);

// Judges one measurement; `for_duration` is applied by the analysis run, which sees the history.
RuleMeasurement measure_rule(const ThresholdRule& rule, const MetricValues& values,
                             const MetricValues& baseline);

}  // namespace launchkit::decide

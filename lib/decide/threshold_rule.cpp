#include "decide/threshold_rule.h"

#include <charconv>

#include <cmath>

#include <fmt/format.h>

#include "util/pattern.h"
#include "util/strings.h"

namespace launchkit::decide {
namespace {

std::optional<probe::Comparison> parse_comparison(std::string_view text) {
    using probe::Comparison;
    if (text == ">") return Comparison::greater;
    if (text == ">=") return Comparison::greater_equal;
    if (text == "<") return Comparison::less;
    if (text == "<=") return Comparison::less_equal;
    if (text == "==") return Comparison::equal;
    if (text == "!=") return Comparison::not_equal;
    return std::nullopt;
}

std::optional<double> value_of(const MetricValues& values, const std::string& metric) {
    auto found = values.find(metric);
    if (found == values.end()) return std::nullopt;
    return found->second;
}

}  // namespace

std::string_view to_string(RuleSeverity severity) {
    switch (severity) {
        case RuleSeverity::critical:
            return "critical";
        case RuleSeverity::high:
            return "high";
        case RuleSeverity::medium:
            return "medium";
        case RuleSeverity::low:
            return "low";
        case RuleSeverity::warning:
            return "warning";
    }
    return "critical";
}

std::optional<RuleSeverity> parse_rule_severity(std::string_view text) {
    for (auto severity : {RuleSeverity::critical, RuleSeverity::high, RuleSeverity::medium,
                          RuleSeverity::low, RuleSeverity::warning})
        if (to_string(severity) == text) return severity;
    return std::nullopt;
}

std::string_view to_string(MeasurementPhase phase) {
    switch (phase) {
        case MeasurementPhase::successful:
            return "successful";
        case MeasurementPhase::failed:
            return "failed";
        case MeasurementPhase::inconclusive:
            return "inconclusive";
        case MeasurementPhase::error:
            return "error";
        case MeasurementPhase::pending:
            return "pending";
    }
    return "error";
}

Result<Condition> parse_condition(std::string_view text) {
    static const auto grammar = util::builtin_pattern(
        R"(\s*(grows\s+)?(>=|<=|==|!=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*(%)?)"
        R"((?:\s*(?:x|×)\s*baseline|\s+of\s+([A-Za-z_][A-Za-z0-9_.:-]*))?\s*)");
    auto matched = grammar.match_whole(text);
    if (!matched || !*matched)
        return fail(ExitCode::invalid_input,
                    "'{}' is not a condition: expected 'OP NUMBER' ('> 0.05', '> 5%'), "
                    "'OP Nx baseline', 'OP N% of METRIC' or 'grows OP N[%]'",
                    text);
    const auto& match = **matched;
    Condition condition;
    condition.text = std::string(util::trim(text));
    condition.comparison = *parse_comparison(*match[2]);
    std::string number_text(*match[3]);
    auto [number_end, number_error] = std::from_chars(
        number_text.data(), number_text.data() + number_text.size(), condition.number);
    if (number_error != std::errc() || number_end != number_text.data() + number_text.size())
        return fail(ExitCode::invalid_input,
                    "'{}' is not a condition: {} is not a number it can use", text, number_text);
    condition.percent = match[4].has_value();
    bool factor = text.find("baseline") != std::string_view::npos;
    if (match[1]) {
        if (factor || match[5])
            return fail(ExitCode::invalid_input,
                        "'{}': 'grows' is already relative to the baseline", text);
        condition.reference = ThresholdReference::baseline_growth;
    } else if (factor) {
        if (condition.percent)
            return fail(ExitCode::invalid_input,
                        "'{}': write a factor such as '2x baseline', not a %", text);
        condition.reference = ThresholdReference::baseline_factor;
    } else if (match[5]) {
        condition.reference = ThresholdReference::other_metric;
        condition.other_metric = std::string(*match[5]);
    }
    return condition;
}

std::optional<double> resolve_threshold(const Condition& condition, const std::string& metric,
                                        const MetricValues& values, const MetricValues& baseline,
                                        std::string& problem) {
    double fraction = condition.percent ? condition.number / 100 : condition.number;
    switch (condition.reference) {
        case ThresholdReference::absolute:
            return fraction;
        case ThresholdReference::baseline_factor: {
            auto base = value_of(baseline, metric);
            if (!base || std::isnan(*base)) {
                problem = fmt::format("no baseline value of {}", metric);
                return std::nullopt;
            }
            return condition.number * *base;
        }
        case ThresholdReference::baseline_growth: {
            auto base = value_of(baseline, metric);
            if (!base || std::isnan(*base)) {
                problem = fmt::format("no baseline value of {}", metric);
                return std::nullopt;
            }
            return condition.percent ? *base + std::abs(*base) * fraction
                                     : *base + condition.number;
        }
        case ThresholdReference::other_metric: {
            auto other = value_of(values, condition.other_metric);
            if (!other || std::isnan(*other)) {
                problem = fmt::format("no value of {}", condition.other_metric);
                return std::nullopt;
            }
            return fraction * *other;
        }
    }
    return std::nullopt;
}

namespace {

// The number a relative condition came to (" (0.05)" for "> 5%"); nothing for a plain number.
std::string resolved(const Condition& condition, double threshold) {
    bool plain = condition.reference == ThresholdReference::absolute && !condition.percent;
    return plain ? "" : fmt::format(" ({:g})", threshold);
}

}  // namespace

RuleMeasurement measure_rule(const ThresholdRule& rule, const MetricValues& values,
                             const MetricValues& baseline) {
    RuleMeasurement measurement;
    measurement.value = value_of(values, rule.metric);
    if (!measurement.value) {
        measurement.detail = fmt::format("no data for {}", rule.metric);
        return measurement;
    }
    if (std::isnan(*measurement.value)) {
        measurement.detail = fmt::format("{} is NaN", rule.metric);
        return measurement;
    }
    auto holds = [&](const Condition& condition) -> std::optional<bool> {
        std::string problem;
        auto threshold = resolve_threshold(condition, rule.metric, values, baseline, problem);
        if (!threshold) {
            measurement.detail = problem;
            return std::nullopt;
        }
        measurement.threshold = threshold;
        return probe::compare_numbers(*measurement.value, condition.comparison, *threshold);
    };
    std::optional<bool> failing;
    if (rule.fail_when) {
        failing = holds(*rule.fail_when);
        if (!failing) return measurement;
        if (*failing) {
            measurement.phase = MeasurementPhase::failed;
            measurement.detail = fmt::format("{} = {:g}, fails when {}{}", rule.metric,
                                             *measurement.value, rule.fail_when->text,
                                             resolved(*rule.fail_when, *measurement.threshold));
            return measurement;
        }
    }
    if (rule.pass_when) {
        auto passing = holds(*rule.pass_when);
        if (!passing) return measurement;
        if (*passing) {
            measurement.phase = MeasurementPhase::successful;
            return measurement;
        }
        // Only pass_when: not passing is failing. Both: neither holding is inconclusive.
        measurement.phase =
            rule.fail_when ? MeasurementPhase::inconclusive : MeasurementPhase::failed;
        measurement.detail =
            fmt::format("{} = {:g}, needs {}{}", rule.metric, *measurement.value,
                        rule.pass_when->text, resolved(*rule.pass_when, *measurement.threshold));
        return measurement;
    }
    measurement.phase = MeasurementPhase::successful;
    return measurement;
}

}  // namespace launchkit::decide

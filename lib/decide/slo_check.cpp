#include "decide/slo_check.h"

#include <algorithm>
#include <cmath>

#include "core/output.h"
#include "probe/diagnose_commands.h"
#include "probe/metric_snapshot.h"
#include "util/duration.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace launchkit::decide {
namespace {

bool is_warning(const SloRuleResult& result) {
    return result.rule->severity == RuleSeverity::warning;
}

bool needs_baseline(const ThresholdRule& rule) {
    return (rule.fail_when && rule.fail_when->needs_baseline()) ||
           (rule.pass_when && rule.pass_when->needs_baseline());
}

// What the rule asks, as one line: "error_rate < 0.01", "error_rate fails when > 1%".
std::string describe(const ThresholdRule& rule) {
    std::string text = rule.pass_when && !rule.fail_when
                           ? fmt::format("{} {}", rule.metric, rule.pass_when->text)
                           : fmt::format("{} fails when {}", rule.metric,
                                         rule.fail_when ? rule.fail_when->text : "");
    if (rule.fail_when && rule.pass_when) text += ", passes when " + rule.pass_when->text;
    return text;
}

std::string format_value(const std::optional<double>& value) {
    return value && std::isfinite(*value) ? fmt::format("{:g}", *value) : "-";
}

}  // namespace

bool SloCheck::passed() const {
    return std::all_of(results.begin(), results.end(), [](const SloRuleResult& result) {
        return result.passed() || is_warning(result);
    });
}

ExitCode SloCheck::exit_code() const {
    bool said_no = false;
    bool unanswered = false;
    for (const auto& result : results) {
        if (result.passed() || is_warning(result)) continue;
        (result.source_failed ? unanswered : said_no) = true;
    }
    if (said_no) return ExitCode::said_no;
    return unanswered ? ExitCode::environment : ExitCode::ok;
}

SloCheck check_slo(const DecisionRules& rules,
                   const std::map<std::string, probe::MetricReading>& readings,
                   const MetricValues& baseline) {
    MetricValues values;
    for (const auto& [name, reading] : readings) values[name] = reading.value;
    SloCheck check;
    for (const auto& rule : rules.thresholds) {
        SloRuleResult result;
        result.rule = &rule;
        result.measurement = measure_rule(rule, values, baseline);
        auto reading = readings.find(rule.metric);
        if (reading != readings.end() && !reading->second.value) {
            result.source_failed = reading->second.source_failed;
            result.measurement.detail = "no data: " + reading->second.problem;
        }
        // One reading cannot show a failure holding: it is a failure here, said so.
        if (result.measurement.phase == MeasurementPhase::failed && rule.for_duration.count() > 0)
            result.measurement.detail +=
                fmt::format(" (for: {} is judged over time by analyze and gates)",
                            util::format_duration(rule.for_duration));
        check.results.push_back(std::move(result));
    }
    return check;
}

nlohmann::json to_json(const SloCheck& check) {
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& result : check.results) {
        const auto& measurement = result.measurement;
        auto finite = [](const std::optional<double>& value) {
            return value && std::isfinite(*value) ? nlohmann::json(*value)
                                                  : nlohmann::json(nullptr);
        };
        rules.push_back({{"rule", result.rule->name},
                         {"metric", result.rule->metric},
                         {"condition", describe(*result.rule)},
                         {"threshold", finite(measurement.threshold)},
                         {"value", finite(measurement.value)},
                         {"severity", to_string(result.rule->severity)},
                         {"phase", to_string(measurement.phase)},
                         {"passed", result.passed()},
                         {"source_failed", result.source_failed},
                         {"detail", measurement.detail}});
    }
    return {{"passed", check.passed()}, {"rules", std::move(rules)}};
}

Result<ExitCode> run_slo(Context& context, const SloCheckOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto path, probe::rules_file(context, options.rules));
    LAUNCHKIT_TRY_ASSIGN(auto rules, read_decision_rules(path));
    if (rules.thresholds.empty())
        return fail(ExitCode::invalid_input, "{}: no rules: or thresholds: to check",
                    path.string());
    if (!rules.has_live_sources())
        return fail(ExitCode::invalid_input, "{}: no sources: to read the metrics from",
                    path.string());
    LAUNCHKIT_TRY(probe::override_source_urls(rules.metrics, options.sources));
    MetricValues baseline;
    if (!options.baseline.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(options.baseline));
        LAUNCHKIT_TRY_ASSIGN(auto snapshot, probe::parse_snapshot(text, options.baseline.string()));
        baseline = snapshot.values;
    } else {
        for (const auto& rule : rules.thresholds)
            if (needs_baseline(rule))
                return fail(ExitCode::invalid_input,
                            "{}: rule '{}' compares with a baseline: pass --baseline FILE (from "
                            "`diagnose snapshot`)",
                            path.string(), rule.name);
    }
    auto check = check_slo(rules, probe::read_metrics(rules.metrics), baseline);
    if (context.json) {
        print_json(*context.out, to_json(check));
        return check.exit_code();
    }
    Table table({"", "RULE", "VALUE", "DETAIL"});
    for (const auto& result : check.results) {
        std::string mark = result.passed()      ? colorize("✓", Color::green, context.color)
                           : is_warning(result) ? colorize("!", Color::yellow, context.color)
                                                : colorize("✗", Color::red, context.color);
        auto detail = result.measurement.detail;
        if (!result.passed() && is_warning(result)) detail += " (warning)";
        table.add_row({mark, result.rule->name, format_value(result.measurement.value), detail});
    }
    table.render(*context.out, context.color);
    auto failed = static_cast<size_t>(
        std::count_if(check.results.begin(), check.results.end(),
                      [](const SloRuleResult& result) { return !result.passed(); }));
    auto summary =
        fmt::format("{}: {} met, {} not met", util::count_of(check.results.size(), "rule"),
                    check.results.size() - failed, failed);
    *context.out << colorize(summary, check.passed() ? Color::green : Color::red, context.color)
                 << '\n';
    return check.exit_code();
}

}  // namespace launchkit::decide

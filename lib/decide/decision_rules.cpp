#include "decide/decision_rules.h"

#include <set>

#include "core/yaml_reader.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace launchkit::decide {
namespace {

// A metric named by a rule must be defined when the file defines metrics at all; a file without
// `metrics:` is analysed against series files, whose columns are the names.
Result<void> check_metric(const YamlReader& reader, const DecisionRules& rules,
                          const YamlNode& node, const std::string& field, const std::string& name) {
    if (rules.metrics.metrics.empty() || rules.metrics.metrics.contains(name)) return {};
    return reader.invalid(node, field,
                          fmt::format("no metric '{}' is defined under metrics:", name));
}

Result<std::optional<Condition>> read_condition(const YamlReader& reader, const YamlNode& node,
                                                const std::string& field) {
    if (!node) return std::optional<Condition>{};
    LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(node, field));
    auto condition = parse_condition(text);
    if (!condition) return reader.invalid(node, field, condition.error().message);
    return std::optional<Condition>{*condition};
}

Result<ThresholdRule> read_threshold(const YamlReader& reader, const DecisionRules& rules,
                                     const YamlNode& node, const std::string& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected {metric, fail_when, ...}");
    LAUNCHKIT_TRY(reader.only_keys(
        node, field + ".", {"name", "metric", "fail_when", "pass_when", "for", "severity"}));
    ThresholdRule rule;
    LAUNCHKIT_TRY_ASSIGN(rule.metric, reader.text(node["metric"], field + ".metric"));
    if (rule.metric.empty())
        return reader.invalid(node, field + ".metric", "expected a metric name");
    LAUNCHKIT_TRY(check_metric(reader, rules, node["metric"], field + ".metric", rule.metric));
    LAUNCHKIT_TRY_ASSIGN(rule.name, reader.text(node["name"], field + ".name"));
    if (rule.name.empty()) rule.name = rule.metric;
    LAUNCHKIT_TRY_ASSIGN(rule.fail_when,
                         read_condition(reader, node["fail_when"], field + ".fail_when"));
    LAUNCHKIT_TRY_ASSIGN(rule.pass_when,
                         read_condition(reader, node["pass_when"], field + ".pass_when"));
    if (!rule.fail_when && !rule.pass_when)
        return reader.invalid(node, field, "expected fail_when: (or pass_when:) such as '> 5%'");
    for (const auto* condition : {&rule.fail_when, &rule.pass_when})
        if (*condition && (*condition)->reference == ThresholdReference::other_metric)
            LAUNCHKIT_TRY(check_metric(reader, rules, node, field, (*condition)->other_metric));
    if (node["for"]) {
        LAUNCHKIT_TRY_ASSIGN(rule.for_duration, reader.duration(node["for"], field + ".for"));
    }
    if (node["severity"]) {
        LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(node["severity"], field + ".severity"));
        auto severity = parse_rule_severity(text);
        if (!severity)
            return reader.invalid(node["severity"], field + ".severity",
                                  "expected critical, high, medium, low or warning");
        rule.severity = *severity;
    }
    return rule;
}

// The SLO shorthand `rules: [error_rate < 0.01, {rule: latency_p95 < 500, severity: warning}]`:
// a rule that passes while its condition holds, and fails otherwise.
Result<ThresholdRule> read_slo_rule(const YamlReader& reader, const DecisionRules& rules,
                                    const YamlNode& node, const std::string& field) {
    ThresholdRule rule;
    const YamlNode& text_node = node.is_map() ? node["rule"] : node;
    if (node.is_map()) {
        LAUNCHKIT_TRY(reader.only_keys(node, field + ".", {"rule", "severity"}));
        LAUNCHKIT_TRY_ASSIGN(auto severity, reader.text(node["severity"], field + ".severity"));
        if (!severity.empty()) {
            auto parsed = parse_rule_severity(severity);
            if (!parsed)
                return reader.invalid(node["severity"], field + ".severity",
                                      "expected critical, high, medium, low or warning");
            rule.severity = *parsed;
        }
    }
    LAUNCHKIT_TRY_ASSIGN(rule.name, reader.text(text_node, field));
    auto text = std::string(util::trim(rule.name));
    auto space = text.find_first_of(" <>=!");
    Result<Condition> condition = fail(ExitCode::invalid_input, "no operator");
    if (space != std::string::npos && space > 0) condition = parse_condition(text.substr(space));
    if (!condition)
        return reader.invalid(text_node, field,
                              fmt::format("expected 'METRIC OP NUMBER' such as 'error_rate < "
                                          "0.01', got '{}'",
                                          text));
    rule.metric = std::string(util::trim(text.substr(0, space)));
    LAUNCHKIT_TRY(check_metric(reader, rules, text_node, field, rule.metric));
    if (condition->reference == ThresholdReference::other_metric)
        LAUNCHKIT_TRY(check_metric(reader, rules, text_node, field, condition->other_metric));
    rule.pass_when = *condition;
    return rule;
}

Result<AnalysisLimits> read_limits(const YamlReader& reader, const YamlNode& node) {
    AnalysisLimits limits;
    if (!node) return limits;
    if (!node.is_map()) return reader.invalid(node, "analysis", "expected {interval, count, ...}");
    LAUNCHKIT_TRY(reader.only_keys(node, "analysis.",
                                   {"interval", "count", "failure_limit", "consecutive_error_limit",
                                    "inconclusive_limit", "consecutive_successes"}));
    if (node["interval"]) {
        LAUNCHKIT_TRY_ASSIGN(limits.interval,
                             reader.duration(node["interval"], "analysis.interval"));
    }
    auto integer = [&](const char* key, int& target, long long min) -> Result<void> {
        if (!node[key]) return {};
        LAUNCHKIT_TRY_ASSIGN(
            auto value, reader.integer(node[key], std::string("analysis.") + key, min, 1'000'000));
        target = static_cast<int>(value);
        return {};
    };
    LAUNCHKIT_TRY(integer("count", limits.count, 1));
    LAUNCHKIT_TRY(integer("failure_limit", limits.failure_limit, 0));
    LAUNCHKIT_TRY(integer("consecutive_error_limit", limits.consecutive_error_limit, 0));
    LAUNCHKIT_TRY(integer("inconclusive_limit", limits.inconclusive_limit, 0));
    LAUNCHKIT_TRY(integer("consecutive_successes", limits.consecutive_successes, 0));
    return limits;
}

Result<CanaryMetricRule> read_canary_metric(const YamlReader& reader, const DecisionRules& rules,
                                            const YamlNode& node, const std::string& field,
                                            const CanaryJudgeSettings& settings) {
    if (!node.is_map())
        return reader.invalid(node, field, "expected {name, group, direction, ...}");
    LAUNCHKIT_TRY(reader.only_keys(
        node, field + ".",
        {"name", "group", "direction", "nan", "outliers", "outlier_factor", "allowed_increase",
         "allowed_decrease", "critical", "must_have_data", "canary", "baseline"}));
    CanaryMetricRule rule;
    auto& metric = rule.metric;
    LAUNCHKIT_TRY_ASSIGN(metric.name, reader.text(node["name"], field + ".name"));
    if (metric.name.empty()) return reader.invalid(node, field + ".name", "expected a metric name");
    LAUNCHKIT_TRY_ASSIGN(metric.group, reader.text(node["group"], field + ".group"));
    if (metric.group.empty()) metric.group = metric.name;
    if (!settings.group_weights.empty() && !settings.group_weights.contains(metric.group))
        return reader.invalid(
            node["group"] ? node["group"] : node, field + ".group",
            fmt::format("group '{}' has no weight under canary.groups", metric.group));
    LAUNCHKIT_TRY_ASSIGN(auto direction, reader.text(node["direction"], field + ".direction"));
    if (direction == "increase")
        metric.direction = Direction::increase;
    else if (direction == "decrease")
        metric.direction = Direction::decrease;
    else if (!direction.empty() && direction != "either")
        return reader.invalid(node["direction"], field + ".direction",
                              "expected increase, decrease or either (the change that is bad)");
    LAUNCHKIT_TRY_ASSIGN(auto nan, reader.text(node["nan"], field + ".nan"));
    if (nan == "replace")
        metric.nan_strategy = NanStrategy::replace_with_zero;
    else if (!nan.empty() && nan != "remove")
        return reader.invalid(node["nan"], field + ".nan", "expected remove or replace (with 0)");
    LAUNCHKIT_TRY_ASSIGN(auto outliers, reader.text(node["outliers"], field + ".outliers"));
    if (outliers == "keep")
        metric.remove_outliers = false;
    else if (!outliers.empty() && outliers != "remove")
        return reader.invalid(node["outliers"], field + ".outliers", "expected remove or keep");
    if (node["outlier_factor"]) {
        LAUNCHKIT_TRY_ASSIGN(
            metric.outlier_factor,
            reader.number(node["outlier_factor"], field + ".outlier_factor", 0, 100));
    }
    if (node["allowed_increase"]) {
        LAUNCHKIT_TRY_ASSIGN(
            metric.allowed_increase,
            reader.number(node["allowed_increase"], field + ".allowed_increase", 1, 1e9));
    }
    if (node["allowed_decrease"]) {
        LAUNCHKIT_TRY_ASSIGN(
            metric.allowed_decrease,
            reader.number(node["allowed_decrease"], field + ".allowed_decrease", 0, 1));
    }
    if (node["critical"]) {
        LAUNCHKIT_TRY_ASSIGN(metric.critical,
                             reader.boolean(node["critical"], field + ".critical"));
    }
    if (node["must_have_data"]) {
        LAUNCHKIT_TRY_ASSIGN(metric.must_have_data,
                             reader.boolean(node["must_have_data"], field + ".must_have_data"));
    }
    for (auto [key, target] :
         {std::pair{"canary", &rule.canary}, std::pair{"baseline", &rule.baseline}}) {
        LAUNCHKIT_TRY_ASSIGN(*target, reader.text(node[key], field + "." + key));
        if (!target->empty() && !rules.metrics.metrics.contains(*target))
            return reader.invalid(node[key], field + "." + key,
                                  fmt::format("no metric '{}' is defined under metrics:", *target));
    }
    if (rule.canary.empty() != rule.baseline.empty())
        return reader.invalid(node, field, "canary: and baseline: go together (both metrics)");
    return rule;
}

Result<CanaryAnalysis> read_canary(const YamlReader& reader, const DecisionRules& rules,
                                   const YamlNode& node) {
    if (!node.is_map()) return reader.invalid(node, "canary", "expected {metrics: [...], ...}");
    LAUNCHKIT_TRY(reader.only_keys(
        node, "canary.",
        {"confidence", "tolerance", "pass", "marginal", "groups", "window", "step", "metrics"}));
    CanaryAnalysis canary;
    auto& settings = canary.settings;
    if (node["confidence"]) {
        LAUNCHKIT_TRY_ASSIGN(settings.confidence,
                             reader.number(node["confidence"], "canary.confidence", 0.5, 0.9999));
    }
    if (node["tolerance"]) {
        LAUNCHKIT_TRY_ASSIGN(settings.tolerance,
                             reader.number(node["tolerance"], "canary.tolerance", 0, 10));
    }
    if (node["pass"]) {
        LAUNCHKIT_TRY_ASSIGN(settings.pass_score,
                             reader.number(node["pass"], "canary.pass", 0, 100));
    }
    if (node["marginal"]) {
        LAUNCHKIT_TRY_ASSIGN(settings.marginal_score,
                             reader.number(node["marginal"], "canary.marginal", 0, 100));
    }
    if (settings.marginal_score > settings.pass_score)
        return reader.invalid(node["marginal"], "canary.marginal",
                              fmt::format("expected at most pass ({:g})", settings.pass_score));
    if (const auto& groups = node["groups"]) {
        if (!groups.is_map())
            return reader.invalid(groups, "canary.groups", "expected {GROUP: WEIGHT, ...}");
        for (const auto& entry : groups.entries()) {
            auto name = entry.first.text();
            LAUNCHKIT_TRY_ASSIGN(settings.group_weights[name],
                                 reader.number(entry.second, "canary.groups." + name, 0, 1e6));
        }
    }
    if (node["window"]) {
        LAUNCHKIT_TRY_ASSIGN(canary.window, reader.duration(node["window"], "canary.window"));
    }
    if (node["step"]) {
        LAUNCHKIT_TRY_ASSIGN(canary.step, reader.duration(node["step"], "canary.step"));
        if (canary.step.count() < 1000)
            return reader.invalid(node["step"], "canary.step", "expected at least 1s");
    }
    const auto& metrics = node["metrics"];
    if (!metrics || !metrics.is_sequence() || metrics.size() == 0)
        return reader.invalid(metrics ? metrics : node, "canary.metrics",
                              "expected a list of metrics to judge");
    std::set<std::string> names;
    for (size_t i = 0; i < metrics.size(); ++i) {
        auto field = fmt::format("canary.metrics[{}]", i);
        LAUNCHKIT_TRY_ASSIGN(auto metric,
                             read_canary_metric(reader, rules, metrics[i], field, settings));
        if (!names.insert(metric.metric.name).second)
            return reader.invalid(metrics[i], field + ".name",
                                  fmt::format("'{}' is judged twice", metric.metric.name));
        canary.metrics.push_back(std::move(metric));
    }
    return canary;
}

Result<DecisionMatrix> read_matrix(const YamlReader& reader, const DecisionRules& rules,
                                   const YamlNode& node) {
    // `seed` is the name this table had before it was named after its runbook.
    if (node.is_scalar() && (node.text() == "release-management" || node.text() == "seed"))
        return seed_decision_matrix();
    if (!node.is_map())
        return reader.invalid(
            node, "matrix",
            "expected release-management (the Release Management Playbook's table) or "
            "{impact_metric, rows: [...]}");
    LAUNCHKIT_TRY(reader.only_keys(node, "matrix.", {"impact_metric", "rows"}));
    DecisionMatrix matrix;
    LAUNCHKIT_TRY_ASSIGN(matrix.impact_metric,
                         reader.text(node["impact_metric"], "matrix.impact_metric"));
    if (!matrix.impact_metric.empty())
        LAUNCHKIT_TRY(check_metric(reader, rules, node["impact_metric"], "matrix.impact_metric",
                                   matrix.impact_metric));
    const auto& rows = node["rows"];
    if (!rows || !rows.is_sequence() || rows.size() == 0)
        return reader.invalid(rows ? rows : node, "matrix.rows",
                              "expected a list of {severity, impact, action, within}");
    for (size_t i = 0; i < rows.size(); ++i) {
        auto field = fmt::format("matrix.rows[{}]", i);
        const auto& row_node = rows[i];
        if (!row_node.is_map())
            return reader.invalid(row_node, field, "expected {severity, impact, action, within}");
        LAUNCHKIT_TRY(
            reader.only_keys(row_node, field + ".", {"severity", "impact", "action", "within"}));
        MatrixRow row;
        LAUNCHKIT_TRY_ASSIGN(auto severity, reader.text(row_node["severity"], field + ".severity"));
        auto parsed_severity = parse_rule_severity(severity);
        if (!parsed_severity || *parsed_severity == RuleSeverity::warning)
            return reader.invalid(row_node["severity"] ? row_node["severity"] : row_node,
                                  field + ".severity", "expected critical, high, medium or low");
        row.severity = *parsed_severity;
        LAUNCHKIT_TRY_ASSIGN(auto impact, reader.text(row_node["impact"], field + ".impact"));
        auto range = parse_impact_range(impact);
        if (!range)
            return reader.invalid(row_node["impact"], field + ".impact", range.error().message);
        std::tie(row.min_impact, row.max_impact) = *range;
        LAUNCHKIT_TRY_ASSIGN(auto action, reader.text(row_node["action"], field + ".action"));
        auto parsed_action = parse_matrix_action(action);
        if (!parsed_action)
            return reader.invalid(row_node["action"] ? row_node["action"] : row_node,
                                  field + ".action",
                                  "expected rollback, assess-then-rollback, hotfix-or-rollback or "
                                  "fix-next-cycle");
        row.action = *parsed_action;
        if (row_node["within"]) {
            LAUNCHKIT_TRY_ASSIGN(row.within,
                                 reader.duration(row_node["within"], field + ".within"));
        }
        matrix.rows.push_back(row);
    }
    return matrix;
}

}  // namespace

Result<DecisionRules> parse_decision_rules(std::string_view yaml_text,
                                           const std::filesystem::path& source) {
    YamlReader reader(source.string());
    LAUNCHKIT_TRY_ASSIGN(YamlNode root, reader.load(yaml_text));
    if (!root.is_map())
        return reader.invalid(root, "document", "expected thresholds:, canary: and/or matrix:");
    LAUNCHKIT_TRY(reader.only_keys(root, "",
                                   // compare: is diagnose compare's: one file may serve both tools.
                                   {"sources", "metrics", "rules", "thresholds", "analysis",
                                    "canary", "matrix", "on_no_data", "compare"}));
    DecisionRules rules;
    rules.source = source;
    rules.metrics.source = source;
    if (root["sources"] || root["metrics"])
        LAUNCHKIT_TRY(probe::read_metric_sections(reader, root, rules.metrics));
    LAUNCHKIT_TRY_ASSIGN(rules.analysis, read_limits(reader, root["analysis"]));
    // One list of rules from both spellings: `rules:` (the SLO shorthand) and `thresholds:`.
    std::set<std::string> names;
    for (const char* key : {"rules", "thresholds"}) {
        const auto& list = root[key];
        if (!list) continue;
        if (!list.is_sequence()) return reader.invalid(list, key, "expected a list of rules");
        bool shorthand = std::string_view(key) == "rules";
        for (size_t i = 0; i < list.size(); ++i) {
            auto field = fmt::format("{}[{}]", key, i);
            LAUNCHKIT_TRY_ASSIGN(auto rule, shorthand
                                                ? read_slo_rule(reader, rules, list[i], field)
                                                : read_threshold(reader, rules, list[i], field));
            if (!names.insert(rule.name).second)
                return reader.invalid(list[i], shorthand ? field : field + ".name",
                                      fmt::format("a rule named '{}' comes earlier; give this one "
                                                  "its own name:",
                                                  rule.name));
            rules.thresholds.push_back(std::move(rule));
        }
    }
    if (root["canary"]) {
        LAUNCHKIT_TRY_ASSIGN(rules.canary, read_canary(reader, rules, root["canary"]));
    }
    if (root["matrix"]) {
        LAUNCHKIT_TRY_ASSIGN(rules.matrix, read_matrix(reader, rules, root["matrix"]));
    }
    if (const auto& node = root["on_no_data"]) {
        LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(node, "on_no_data"));
        auto action = parse_no_data_action(text);
        if (!action)
            return reader.invalid(node, "on_no_data", "expected inconclusive, pause or rollback");
        rules.on_no_data = *action;
    }
    if (rules.thresholds.empty() && !rules.canary)
        return reader.invalid(root, "document",
                              "expected rules:, thresholds: or canary: (nothing to decide)");
    return rules;
}

std::string_view to_string(NoDataAction action) {
    switch (action) {
        case NoDataAction::inconclusive:
            return "inconclusive";
        case NoDataAction::pause:
            return "pause";
        case NoDataAction::rollback:
            return "rollback";
    }
    return "inconclusive";
}

std::optional<NoDataAction> parse_no_data_action(std::string_view text) {
    for (auto action : {NoDataAction::inconclusive, NoDataAction::pause, NoDataAction::rollback})
        if (text == to_string(action)) return action;
    return std::nullopt;
}

Result<DecisionRules> read_decision_rules(const std::filesystem::path& path) {
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
    return parse_decision_rules(text, path);
}

}  // namespace launchkit::decide

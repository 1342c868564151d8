#include "decide/canary_judge.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "decide/mann_whitney.h"

namespace launchkit::decide {
namespace {

nlohmann::json optional_number(const std::optional<double>& value) {
    return value && std::isfinite(*value) ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// Kayenta's effect size: how many times the baseline's mean the canary's is.
double mean_ratio(double canary_mean, double baseline_mean) {
    if (baseline_mean == 0) return canary_mean == 0 ? 1.0 : (canary_mean > 0 ? INFINITY : 0.0);
    return canary_mean / baseline_mean;
}

std::vector<double> clean(const std::vector<double>& values, const CanaryMetric& metric,
                          size_t& outliers) {
    auto kept = handle_nan(values, metric.nan_strategy);
    if (metric.remove_outliers) {
        auto before = kept.size();
        kept = decide::remove_outliers(kept, metric.outlier_factor);
        outliers = before - kept.size();
    }
    return kept;
}

nlohmann::json summary_json(const std::optional<SampleSummary>& summary) {
    if (!summary) return nullptr;
    return {{"count", summary->count},   {"min", summary->min}, {"q1", summary->q1},
            {"median", summary->median}, {"q3", summary->q3},   {"max", summary->max},
            {"values", summary->values}};
}

}  // namespace

std::string_view to_string(Direction direction) {
    switch (direction) {
        case Direction::increase:
            return "increase";
        case Direction::decrease:
            return "decrease";
        case Direction::either:
            return "either";
    }
    return "either";
}

std::string_view to_string(MetricClass classification) {
    switch (classification) {
        case MetricClass::pass:
            return "pass";
        case MetricClass::high:
            return "high";
        case MetricClass::low:
            return "low";
        case MetricClass::nodata:
            return "nodata";
    }
    return "nodata";
}

std::string_view to_string(CanaryOutcome outcome) {
    switch (outcome) {
        case CanaryOutcome::pass:
            return "pass";
        case CanaryOutcome::marginal:
            return "marginal";
        case CanaryOutcome::fail:
            return "fail";
        case CanaryOutcome::nodata:
            return "nodata";
    }
    return "nodata";
}

MetricJudgement classify_metric(const CanaryMetric& metric, const std::vector<double>& canary,
                                const std::vector<double>& baseline,
                                const CanaryJudgeSettings& settings) {
    MetricJudgement judgement;
    judgement.metric = metric;
    auto canary_values = clean(canary, metric, judgement.canary_outliers);
    auto baseline_values = clean(baseline, metric, judgement.baseline_outliers);
    judgement.canary_count = canary_values.size();
    judgement.baseline_count = baseline_values.size();
    if (!canary_values.empty()) judgement.canary_sample = summarize_sample(canary_values);
    if (!baseline_values.empty()) judgement.baseline_sample = summarize_sample(baseline_values);
    if (canary_values.empty() || baseline_values.empty()) {
        judgement.classification = MetricClass::nodata;
        judgement.failed = metric.must_have_data;
        judgement.reason =
            fmt::format("no data for the {}{}", canary_values.empty() ? "canary" : "baseline",
                        metric.must_have_data ? " (must_have_data)" : "");
        return judgement;
    }
    judgement.canary_mean = mean(canary_values);
    judgement.baseline_mean = mean(baseline_values);
    judgement.effect_size = mean_ratio(*judgement.canary_mean, *judgement.baseline_mean);
    auto test = mann_whitney_u(canary_values, baseline_values);
    judgement.u = test.u;
    judgement.p_value = test.p_value;
    auto shift = hodges_lehmann(canary_values, baseline_values, settings.confidence);
    // + 0.0 turns -0 into 0: "a shift of -0" reads as a change that is not there.
    shift.estimate += 0.0;
    shift.lower += 0.0;
    shift.upper += 0.0;
    judgement.estimate = shift.estimate;
    judgement.lower = shift.lower;
    judgement.upper = shift.upper;
    judgement.classification = MetricClass::pass;
    // A shift counts only when the whole interval clears a margin proportional to the estimate,
    // and the means differ by at least the allowed effect.
    double margin = settings.tolerance * std::abs(shift.estimate);
    double effect = *judgement.effect_size;
    bool bad_increase = metric.direction != Direction::decrease;
    bool bad_decrease = metric.direction != Direction::increase;
    if (bad_increase && shift.lower > margin && effect >= metric.allowed_increase) {
        judgement.classification = MetricClass::high;
        judgement.reason = fmt::format(
            "canary higher: shift {:.4g} [{:.4g}, {:.4g}] at {:g}% confidence, mean ratio {:.3g}",
            shift.estimate, shift.lower, shift.upper, settings.confidence * 100, effect);
    } else if (bad_decrease && shift.upper < -margin && effect <= metric.allowed_decrease) {
        judgement.classification = MetricClass::low;
        judgement.reason = fmt::format(
            "canary lower: shift {:.4g} [{:.4g}, {:.4g}] at {:g}% confidence, mean ratio {:.3g}",
            shift.estimate, shift.lower, shift.upper, settings.confidence * 100, effect);
    } else if (shift.lower > margin || shift.upper < -margin) {
        judgement.reason = fmt::format(
            "shift {:.4g} [{:.4g}, {:.4g}] allowed ({}, mean ratio {:.3g})", shift.estimate,
            shift.lower, shift.upper, to_string(metric.direction), effect);
    } else {
        judgement.reason = fmt::format("no significant shift: {:.4g} [{:.4g}, {:.4g}]",
                                       shift.estimate, shift.lower, shift.upper);
    }
    judgement.failed = judgement.classification != MetricClass::pass;
    return judgement;
}

CanaryJudgement judge_canary(const std::vector<CanaryMetric>& metrics,
                             const std::map<std::string, std::vector<double>>& canary,
                             const std::map<std::string, std::vector<double>>& baseline,
                             const CanaryJudgeSettings& settings) {
    CanaryJudgement judgement;
    judgement.confidence = settings.confidence;
    judgement.tolerance = settings.tolerance;
    static const std::vector<double> none;
    for (const auto& metric : metrics) {
        auto canary_values = canary.find(metric.name);
        auto baseline_values = baseline.find(metric.name);
        judgement.metrics.push_back(classify_metric(
            metric, canary_values == canary.end() ? none : canary_values->second,
            baseline_values == baseline.end() ? none : baseline_values->second, settings));
    }
    // Groups in the order their first metric appears.
    for (const auto& metric : judgement.metrics) {
        auto& name = metric.metric.group;
        auto group = std::find_if(judgement.groups.begin(), judgement.groups.end(),
                                  [&](const GroupScore& score) { return score.name == name; });
        if (group == judgement.groups.end()) {
            auto weight = settings.group_weights.find(name);
            judgement.groups.push_back(
                {name, weight == settings.group_weights.end() ? 1.0 : weight->second, {}, 0, 0});
            group = judgement.groups.end() - 1;
        }
        // No data leaves a metric out of its group's ratio unless data is required.
        if (metric.classification == MetricClass::nodata && !metric.failed) continue;
        group->judged += 1;
        group->passed += metric.failed ? 0 : 1;
    }
    double weighted = 0;
    double weights = 0;
    for (auto& group : judgement.groups) {
        if (group.judged == 0) continue;
        group.score = 100.0 * group.passed / group.judged;
        weighted += *group.score * group.weight;
        weights += group.weight;
    }
    auto critical_failure = std::find_if(
        judgement.metrics.begin(), judgement.metrics.end(),
        [](const MetricJudgement& metric) { return metric.failed && metric.metric.critical; });
    if (weights == 0) {
        judgement.outcome = CanaryOutcome::nodata;
        judgement.reason = "no metric had data for both canary and baseline";
        return judgement;
    }
    judgement.score = weighted / weights;
    if (critical_failure != judgement.metrics.end()) {
        judgement.score = 0;
        judgement.outcome = CanaryOutcome::fail;
        judgement.reason = fmt::format("critical metric {} failed: {}",
                                       critical_failure->metric.name, critical_failure->reason);
        return judgement;
    }
    if (judgement.score >= settings.pass_score) {
        judgement.outcome = CanaryOutcome::pass;
        judgement.reason =
            fmt::format("score {:.1f} >= {:g}", judgement.score, settings.pass_score);
    } else if (judgement.score >= settings.marginal_score) {
        judgement.outcome = CanaryOutcome::marginal;
        judgement.reason = fmt::format("score {:.1f} between {:g} and {:g}", judgement.score,
                                       settings.marginal_score, settings.pass_score);
    } else {
        judgement.outcome = CanaryOutcome::fail;
        judgement.reason =
            fmt::format("score {:.1f} < {:g}", judgement.score, settings.marginal_score);
    }
    return judgement;
}

nlohmann::json to_json(const MetricJudgement& judgement) {
    return {{"metric", judgement.metric.name},
            {"group", judgement.metric.group},
            {"direction", to_string(judgement.metric.direction)},
            {"critical", judgement.metric.critical},
            {"classification", to_string(judgement.classification)},
            {"failed", judgement.failed},
            {"reason", judgement.reason},
            {"canary_count", judgement.canary_count},
            {"baseline_count", judgement.baseline_count},
            {"canary_outliers", judgement.canary_outliers},
            {"baseline_outliers", judgement.baseline_outliers},
            {"canary_mean", optional_number(judgement.canary_mean)},
            {"baseline_mean", optional_number(judgement.baseline_mean)},
            {"effect_size", optional_number(judgement.effect_size)},
            {"estimate", optional_number(judgement.estimate)},
            {"lower", optional_number(judgement.lower)},
            {"upper", optional_number(judgement.upper)},
            {"u", optional_number(judgement.u)},
            {"p_value", optional_number(judgement.p_value)},
            {"canary_sample", summary_json(judgement.canary_sample)},
            {"baseline_sample", summary_json(judgement.baseline_sample)}};
}

nlohmann::json to_json(const CanaryJudgement& judgement) {
    nlohmann::json metrics = nlohmann::json::array();
    for (const auto& metric : judgement.metrics) metrics.push_back(to_json(metric));
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& group : judgement.groups)
        groups.push_back({{"group", group.name},
                          {"weight", group.weight},
                          {"score", optional_number(group.score)},
                          {"passed", group.passed},
                          {"judged", group.judged}});
    return {{"outcome", to_string(judgement.outcome)},
            {"score", judgement.score},
            {"reason", judgement.reason},
            {"confidence", judgement.confidence},
            {"tolerance", judgement.tolerance},
            {"groups", std::move(groups)},
            {"metrics", std::move(metrics)}};
}

}  // namespace launchkit::decide

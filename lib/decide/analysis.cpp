#include "decide/analysis.h"

#include <algorithm>
#include <set>
#include <thread>

#include <fmt/format.h>

namespace launchkit::decide {
namespace {

// One live measurement of every metric; why a source did not answer goes to `failed_sources`.
MetricValues live_values(const probe::SloRules& metrics, std::set<std::string>& failed_sources) {
    MetricValues values;
    for (auto& [name, reading] : probe::read_metrics(metrics)) {
        values[name] = reading.value;
        if (reading.source_failed) failed_sources.insert(reading.problem);
    }
    return values;
}

bool reads_range(const DecisionRules& rules, const std::string& metric) {
    const auto& definition = rules.metrics.metrics.at(metric);
    return rules.metrics.sources.at(definition.source).kind ==
           probe::MetricSourceKind::prometheus_api;
}

std::optional<double> impact_of(const DecisionRules& rules, const AnalysisInputs& inputs,
                                const MetricValues& values) {
    if (inputs.impact) return inputs.impact;
    if (!rules.matrix || rules.matrix->impact_metric.empty()) return std::nullopt;
    auto found = values.find(rules.matrix->impact_metric);
    return found == values.end() ? std::nullopt : found->second;
}

// Row `row` of a series without times: `spacing` after the row before, from the epoch. Saturates
// at the last time a TimePoint holds: a 100-year interval times a million rows is beyond it.
util::TimePoint untimed_row_time(std::chrono::milliseconds spacing, size_t row) {
    constexpr long long last =
        std::chrono::floor<std::chrono::milliseconds>(util::TimePoint::duration::max()).count();
    long long step = std::max<long long>(spacing.count(), 1);
    long long offset =
        row <= static_cast<size_t>(last / step) ? step * static_cast<long long>(row) : last;
    return util::TimePoint(std::chrono::milliseconds(offset));
}

}  // namespace

Result<void> check_inputs(const DecisionRules& rules, const AnalysisInputs& inputs) {
    for (const auto& rule : rules.thresholds) {
        bool needs_baseline = (rule.fail_when && rule.fail_when->needs_baseline()) ||
                              (rule.pass_when && rule.pass_when->needs_baseline());
        if (needs_baseline && !inputs.baseline)
            return fail(ExitCode::invalid_input,
                        "{}: rule '{}' compares with the baseline: pass --baseline FILE (a "
                        "`diagnose snapshot` or a series)",
                        rules.source.string(), rule.name);
    }
    if (!inputs.canary && !rules.has_live_sources())
        return fail(ExitCode::invalid_input,
                    "{}: no sources: to read metrics; pass --canary FILE with the measurements",
                    rules.source.string());
    if (rules.canary) {
        for (const auto& metric : rules.canary->metrics) {
            if (inputs.canary && inputs.baseline) continue;
            if (metric.canary.empty())
                return fail(ExitCode::invalid_input,
                            "{}: canary metric '{}' has no canary:/baseline: metrics to read "
                            "live; pass --canary and --baseline files",
                            rules.source.string(), metric.metric.name);
            if (inputs.canary || inputs.baseline)
                return fail(ExitCode::invalid_input,
                            "the canary judge needs both --canary and --baseline files, or "
                            "neither (live)");
        }
    }
    return {};
}

Result<Decision> run_analysis(const DecisionRules& rules, const AnalysisInputs& inputs,
                              const AnalysisHooks& hooks) {
    LAUNCHKIT_TRY(check_inputs(rules, inputs));
    auto limits = rules.analysis;
    if (inputs.interval) limits.interval = *inputs.interval;
    if (inputs.count) limits.count = *inputs.count;
    // Offline, every row of the series is one measurement.
    if (inputs.canary) limits.count = std::max<int>(1, static_cast<int>(inputs.canary->size()));
    MetricValues baseline_values;
    if (inputs.baseline) baseline_values = typical_values(*inputs.baseline);

    std::vector<RuleAnalysis> analyses;
    for (const auto& rule : rules.thresholds) analyses.emplace_back(rule, limits);
    auto record_all = [&](const MetricValues& values, util::TimePoint at) {
        for (auto& analysis : analyses)
            analysis.record(measure_rule(analysis.rule(), values, baseline_values), at);
    };
    auto must_stop = [&] {
        // A failed critical rule means rollback whatever comes next: the fast way back.
        return std::any_of(analyses.begin(), analyses.end(), [](const RuleAnalysis& analysis) {
            return analysis.rule().severity != RuleSeverity::warning &&
                   (analysis.phase() == AnalysisPhase::failed ||
                    analysis.phase() == AnalysisPhase::error);
        });
    };

    std::set<std::string> failed_sources;
    std::map<std::string, std::vector<double>> canary_samples;
    std::map<std::string, std::vector<double>> baseline_samples;
    MetricValues last_values;
    if (inputs.canary) {
        // Offline: the series is the measurements; untimed rows are an interval apart.
        auto spacing =
            limits.interval.count() > 0 ? limits.interval : std::chrono::milliseconds(60'000);
        for (size_t i = 0; i < inputs.canary->size(); ++i) {
            const auto& measurement = (*inputs.canary)[i];
            record_all(measurement.values, measurement.at.value_or(untimed_row_time(spacing, i)));
            last_values = measurement.values;
        }
        for (auto& analysis : analyses) analysis.finish();
        if (rules.canary)
            for (const auto& metric : rules.canary->metrics) {
                canary_samples[metric.metric.name] = samples_of(*inputs.canary, metric.metric.name);
                baseline_samples[metric.metric.name] =
                    samples_of(*inputs.baseline, metric.metric.name);
            }
    } else {
        auto sleep = hooks.sleep ? hooks.sleep : [](std::chrono::milliseconds duration) {
            std::this_thread::sleep_for(duration);
        };
        for (int i = 0; i < limits.count; ++i) {
            if (i > 0) sleep(limits.interval);
            if (i > 0 && hooks.should_stop && hooks.should_stop())
                return fail(ExitCode::said_no, "analysis stopped before measurement {} of {}",
                            i + 1, limits.count);
            last_values = live_values(rules.metrics, failed_sources);
            record_all(last_values, hooks.now());
            if (rules.canary)
                for (const auto& metric : rules.canary->metrics) {
                    if (reads_range(rules, metric.canary)) continue;
                    for (auto [side, samples] : {std::pair{&metric.canary, &canary_samples},
                                                 std::pair{&metric.baseline, &baseline_samples}}) {
                        auto value = last_values.find(*side);
                        if (value != last_values.end() && value->second)
                            (*samples)[metric.metric.name].push_back(*value->second);
                    }
                }
            if (hooks.on_measurement) hooks.on_measurement(i + 1, limits.count, analyses);
            if (must_stop()) break;
            bool all_decided =
                !analyses.empty() &&
                std::all_of(analyses.begin(), analyses.end(), [](const RuleAnalysis& analysis) {
                    return analysis.phase() != AnalysisPhase::running;
                });
            if (all_decided && !rules.canary) break;
        }
        for (auto& analysis : analyses) analysis.finish();
        if (rules.canary) {
            auto end = std::chrono::duration<double>(hooks.now().time_since_epoch()).count();
            auto window = std::chrono::duration<double>(rules.canary->window).count();
            auto step = std::chrono::duration<double>(rules.canary->step).count();
            for (const auto& metric : rules.canary->metrics) {
                if (!reads_range(rules, metric.canary)) continue;
                for (auto [side, samples] : {std::pair{&metric.canary, &canary_samples},
                                             std::pair{&metric.baseline, &baseline_samples}}) {
                    const auto& definition = rules.metrics.metrics.at(*side);
                    auto values =
                        probe::query_prometheus_range(rules.metrics.sources.at(definition.source),
                                                      definition.query, end - window, end, step);
                    // A failed query is no data for this metric: NODATA, never a pass.
                    if (values)
                        (*samples)[metric.metric.name] = std::move(*values);
                    else if (values.error().code == ExitCode::environment)
                        failed_sources.insert(values.error().message);
                }
            }
        }
    }
    std::optional<CanaryJudgement> judgement;
    if (rules.canary) {
        std::vector<CanaryMetric> metrics;
        for (const auto& metric : rules.canary->metrics) metrics.push_back(metric.metric);
        judgement = judge_canary(metrics, canary_samples, baseline_samples, rules.canary->settings);
    }
    auto decision = make_decision(rules, std::move(analyses), std::move(judgement),
                                  impact_of(rules, inputs, last_values), true,
                                  inputs.on_no_data.value_or(rules.on_no_data));
    decision.failed_sources.assign(failed_sources.begin(), failed_sources.end());
    return decision;
}

}  // namespace launchkit::decide

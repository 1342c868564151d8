// The rules file, one format for every command that takes rules (`release-manager analyze
// --rules`, a playbook gate's `rules:`, `diagnose slo`): where metrics come from, threshold rules
// (`thresholds:`, or the SLO shorthand `rules: [error_rate < 0.01]`) with their analysis limits,
// the canary judge's metrics, the decision matrix, and `compare:` tolerances for baselines.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "decide/analysis_run.h"
#include "decide/canary_judge.h"
#include "decide/decision_matrix.h"
#include "decide/threshold_rule.h"
#include "probe/slo.h"

namespace launchkit::decide {

// What a gate says when it has no data to judge (a source that does not answer, a metric that is
// missing, a canary judge with no samples): never a pass. Inconclusive by default, as Argo
// Rollouts' analysis is; a rules file or a gate may ask for a pause or a rollback instead.
enum class NoDataAction { inconclusive, pause, rollback };
std::string_view to_string(NoDataAction action);
std::optional<NoDataAction> parse_no_data_action(std::string_view text);

// A judged metric and, for live analysis, the metrics (under `metrics:`) read for each side.
struct CanaryMetricRule {
    CanaryMetric metric{};
    std::string canary{};    // empty: only from --canary files
    std::string baseline{};  // empty: only from --baseline files
};

struct CanaryAnalysis {
    CanaryJudgeSettings settings{};
    std::vector<CanaryMetricRule> metrics{};
    // Prometheus metrics are read as range queries over this window ending now.
    std::chrono::milliseconds window{std::chrono::minutes(10)};
    std::chrono::milliseconds step{std::chrono::seconds(30)};
};

struct DecisionRules {
    std::filesystem::path source{};
    probe::SloRules metrics{};  // sources and metrics; empty when only files are analysed
    std::vector<ThresholdRule> thresholds{};  // rules: first, then thresholds:, in file order
    AnalysisLimits analysis{};
    std::optional<CanaryAnalysis> canary{};
    std::optional<DecisionMatrix> matrix{};
    NoDataAction on_no_data = NoDataAction::inconclusive;

    bool has_live_sources() const { return !metrics.sources.empty(); }
};

Result<DecisionRules> parse_decision_rules(std::string_view yaml_text,
                                           const std::filesystem::path& source);
Result<DecisionRules> read_decision_rules(const std::filesystem::path& path);

}  // namespace launchkit::decide

// Runs one analysis: threshold rules measured `count` times (live, every `interval`) or over a
// series file, and the canary judge over files, live samples or Prometheus range queries; the
// result is a Decision. Used by `release-manager analyze` and by playbook gates.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "base/error.h"
#include "decide/decision.h"
#include "decide/decision_rules.h"
#include "decide/metric_series.h"

namespace launchkit::decide {

struct AnalysisInputs {
    std::optional<MeasurementSeries> canary{};    // measurements to judge; none: read live
    std::optional<MeasurementSeries> baseline{};  // "2x baseline", "grows > 20%", judge baseline
    std::optional<double> impact{};               // share of users affected, for the matrix
    std::optional<std::chrono::milliseconds> interval{};  // override analysis.interval
    std::optional<int> count{};                           // override analysis.count
};

struct AnalysisHooks {
    std::function<util::TimePoint()> now = [] { return std::chrono::system_clock::now(); };
    std::function<void(std::chrono::milliseconds)> sleep{};  // default: this thread sleeps
    // After each live measurement: its number, the total, and the rules' progress.
    std::function<void(int, int, const std::vector<RuleAnalysis>&)> on_measurement{};
    // Asked after each wait between measurements: true stops the analysis there, and
    // run_analysis returns an error saying so (a playbook run that was told to stop).
    std::function<bool()> should_stop{};
};

// Checks that the inputs can answer every rule (exit 2 saying what is missing) before measuring.
Result<void> check_inputs(const DecisionRules& rules, const AnalysisInputs& inputs);

Result<Decision> run_analysis(const DecisionRules& rules, const AnalysisInputs& inputs,
                              const AnalysisHooks& hooks = {});

}  // namespace launchkit::decide

// Runs one analysis: threshold rules measured `count` times (live, every `interval`) or over a
// series file, and the canary judge over files, live samples or Prometheus range queries; the
// result is a Decision. Used by `release-manager analyze` and by playbook gates.
//
// The decision engine. Three judges look at the same release and one verdict comes out:
//   - threshold rules ("error rate > 5 %", "p95 > 2x baseline"), each measured up to `count`
//     times with Argo Rollouts' limits (failure_limit, consecutive_error_limit,
//     inconclusive_limit, consecutive_successes), as RuleAnalysis does;
//   - the canary judge, Kayenta's: canary against baseline samples per metric (Mann-Whitney
//     and the Hodges-Lehmann interval), scored by group into pass, marginal, fail or no data;
//   - the runbook's decision matrix, which turns the worst failing rule's severity and the share
//     of users it touches into rollback now, assess first, hotfix or fix next cycle.
// make_decision() ranks verdicts promote < continue < inconclusive < pause < rollback and keeps
// the worst any judge asks for, with its reason; the order in which rules are listed never
// changes the outcome.
//
// Invariants. Fail closed: a rule that never measured never passes, a source that does not
// answer or a range query that fails is no data (an error or NODATA, never a pass), and a failing
// rule with no matrix row for its severity means rollback. A warning-severity rule is reported
// but never moves the verdict. A critical rule that has failed ends the measuring at once: nothing
// later can undo a rollback, and waiting costs users. Every number that led to the verdict (each
// measurement, threshold, baseline, p-value, matrix row) stays in the Decision, because a person
// at 3 a.m. must be able to see why, and the runner journals it in its gate_decided event.
//
// Why it is built this way. A decision is a value computed from measurements, not a side effect:
// offline (`analyze --canary FILE`) and live (a gate reading its sources) go through the same
// code, so a gate's decision can be replayed from the numbers it journaled; the clock, the wait
// between measurements and the stop check are hooks, so tests run a gate on a fake clock and the
// runner can stop it between measurements (abort, pause, promote, a signal), never in the middle
// of one.
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
    std::optional<NoDataAction> on_no_data{};             // override the rules' on_no_data
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

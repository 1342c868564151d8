// Repeated measurements of threshold rules with Argo Rollouts' analysis semantics: a rule fails
// when its failures exceed `failure_limit`, errors (no data) after more than
// `consecutive_error_limit` in a row, is inconclusive past `inconclusive_limit`, and succeeds after
// `count` measurements or `consecutive_successes` in a row. Unlike Argo, a rule that never once
// measured successfully does not pass when its count runs out: no data fails closed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decide/threshold_rule.h"
#include "util/time.h"

namespace launchkit::decide {

struct AnalysisLimits {
    std::chrono::milliseconds interval{0};  // between measurements of a live analysis
    int count = 1;                          // measurements to take
    int failure_limit = 0;
    int consecutive_error_limit = 4;
    int inconclusive_limit = 0;
    int consecutive_successes = 0;  // 0: take all `count` measurements
};

enum class AnalysisPhase { running, successful, failed, inconclusive, error };
std::string_view to_string(AnalysisPhase phase);

// One rule's progress through an analysis. A class because the counters and the phase must stay
// consistent with the measurements recorded.
class RuleAnalysis {
  public:
    RuleAnalysis(ThresholdRule rule, AnalysisLimits limits)
        : rule_(std::move(rule)), limits_(limits) {}

    // Records one measurement taken at `at` and updates the phase (a decided phase is final).
    void record(RuleMeasurement measurement, util::TimePoint at);
    // The count ran out or the deadline passed: decides a rule still running.
    void finish();

    const ThresholdRule& rule() const { return rule_; }
    AnalysisPhase phase() const { return phase_; }
    const std::string& reason() const { return reason_; }
    int measurements() const { return measurements_; }
    int successes() const { return successes_; }
    int failures() const { return failures_; }
    int inconclusives() const { return inconclusives_; }
    int errors() const { return errors_; }
    const std::optional<RuleMeasurement>& last() const { return last_; }

    // Every measurement with its time, oldest first (at most max_history: the latest kept), for
    // a report to draw against the threshold.
    struct Point {
        util::TimePoint at;
        std::optional<double> value;
        std::optional<double> threshold;
        MeasurementPhase phase;
    };
    static constexpr size_t max_history = 1000;
    const std::vector<Point>& history() const { return history_; }

  private:
    void decide_phase();

    ThresholdRule rule_;
    AnalysisLimits limits_;
    AnalysisPhase phase_ = AnalysisPhase::running;
    std::string reason_{};
    int measurements_ = 0;
    int successes_ = 0;
    int failures_ = 0;
    int inconclusives_ = 0;
    int errors_ = 0;
    int consecutive_errors_ = 0;
    int consecutive_successes_ = 0;
    std::optional<util::TimePoint> failing_since_{};
    std::optional<RuleMeasurement> last_{};
    std::vector<Point> history_{};
};

nlohmann::json to_json(const RuleAnalysis& analysis);

}  // namespace launchkit::decide

#include "decide/analysis_run.h"

#include <cmath>

#include <fmt/format.h>

#include "util/duration.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::decide {

std::string_view to_string(AnalysisPhase phase) {
    switch (phase) {
        case AnalysisPhase::running:
            return "running";
        case AnalysisPhase::successful:
            return "successful";
        case AnalysisPhase::failed:
            return "failed";
        case AnalysisPhase::inconclusive:
            return "inconclusive";
        case AnalysisPhase::error:
            return "error";
    }
    return "error";
}

void RuleAnalysis::record(RuleMeasurement measurement, util::TimePoint at) {
    if (phase_ != AnalysisPhase::running) return;
    ++measurements_;
    if (measurement.phase == MeasurementPhase::failed && rule_.for_duration.count() > 0) {
        // Failing, but not yet for long enough: pending, as an alert before its `for` elapses.
        if (!failing_since_) failing_since_ = at;
        // A series may hold times centuries apart: `at - *failing_since_` would overflow.
        auto failing_for = util::milliseconds_between(*failing_since_, at);
        if (failing_for < rule_.for_duration) {
            measurement.phase = MeasurementPhase::pending;
            measurement.detail +=
                fmt::format(" (failing for {} of {})", util::format_duration(failing_for),
                            util::format_duration(rule_.for_duration));
        } else {
            measurement.detail += fmt::format(" for {}", util::format_duration(failing_for));
        }
    } else if (measurement.phase != MeasurementPhase::failed &&
               measurement.phase != MeasurementPhase::error) {
        failing_since_.reset();
    }
    switch (measurement.phase) {
        case MeasurementPhase::successful:
            ++successes_;
            ++consecutive_successes_;
            consecutive_errors_ = 0;
            break;
        case MeasurementPhase::failed:
            ++failures_;
            consecutive_successes_ = 0;
            consecutive_errors_ = 0;
            break;
        case MeasurementPhase::inconclusive:
            ++inconclusives_;
            consecutive_successes_ = 0;
            consecutive_errors_ = 0;
            break;
        case MeasurementPhase::error:
            ++errors_;
            ++consecutive_errors_;
            consecutive_successes_ = 0;
            break;
        case MeasurementPhase::pending:
            consecutive_successes_ = 0;
            consecutive_errors_ = 0;
            break;
    }
    if (history_.size() == max_history) history_.erase(history_.begin());
    history_.push_back({at, measurement.value, measurement.threshold, measurement.phase});
    last_ = std::move(measurement);
    decide_phase();
}

void RuleAnalysis::decide_phase() {
    if (failures_ > limits_.failure_limit) {
        phase_ = AnalysisPhase::failed;
        reason_ = fmt::format("{} (limit {}): {}", util::count_of(failures_, "failed measurement"),
                              limits_.failure_limit, last_->detail);
    } else if (consecutive_errors_ > limits_.consecutive_error_limit) {
        phase_ = AnalysisPhase::error;
        reason_ = fmt::format("{} in a row without data (limit {}): {}",
                              util::count_of(consecutive_errors_, "measurement"),
                              limits_.consecutive_error_limit, last_->detail);
    } else if (inconclusives_ > limits_.inconclusive_limit) {
        phase_ = AnalysisPhase::inconclusive;
        reason_ = fmt::format("{} (limit {}): {}",
                              util::count_of(inconclusives_, "inconclusive measurement"),
                              limits_.inconclusive_limit, last_->detail);
    } else if (limits_.consecutive_successes > 0 &&
               consecutive_successes_ >= limits_.consecutive_successes) {
        phase_ = AnalysisPhase::successful;
        reason_ = fmt::format("{} in a row",
                              util::count_of(consecutive_successes_, "successful measurement"));
    } else if (measurements_ >= limits_.count) {
        finish();
    }
}

void RuleAnalysis::finish() {
    if (phase_ != AnalysisPhase::running) return;
    if (last_ && last_->phase == MeasurementPhase::pending) {
        // Failing, but not for its `for:` yet when the data ended: pending, neither a pass nor a
        // failure, as an Argo Rollouts analysis or a Prometheus alert would say.
        phase_ = AnalysisPhase::inconclusive;
        reason_ = fmt::format("pending: still failing when the data ended: {}", last_->detail);
    } else if (successes_ == 0) {
        // Fail closed: a gate that never saw a good value must not let a release through.
        phase_ = AnalysisPhase::error;
        reason_ =
            last_ ? fmt::format("no successful measurement in {}: {}", measurements_, last_->detail)
                  : std::string("no measurement was taken");
    } else {
        phase_ = AnalysisPhase::successful;
        reason_ = fmt::format("{} of {} successful", successes_,
                              util::count_of(measurements_, "measurement"));
    }
}

namespace {

template <typename Number>
nlohmann::json history_json(const RuleAnalysis& analysis, const Number& number) {
    auto points = nlohmann::json::array();
    for (const auto& point : analysis.history())
        points.push_back({{"at", util::format_rfc3339_ms(point.at)},
                          {"value", number(point.value)},
                          {"threshold", number(point.threshold)},
                          {"phase", to_string(point.phase)}});
    return points;
}

}  // namespace

nlohmann::json to_json(const RuleAnalysis& analysis) {
    const auto& rule = analysis.rule();
    const auto& last = analysis.last();
    auto number = [](const std::optional<double>& value) {
        return value && std::isfinite(*value) ? nlohmann::json(*value) : nlohmann::json(nullptr);
    };
    return {{"rule", rule.name},
            {"metric", rule.metric},
            {"fail_when", rule.fail_when ? nlohmann::json(rule.fail_when->text) : nullptr},
            {"pass_when", rule.pass_when ? nlohmann::json(rule.pass_when->text) : nullptr},
            {"for", util::format_duration_spec(rule.for_duration)},
            {"severity", to_string(rule.severity)},
            {"phase", to_string(analysis.phase())},
            {"reason", analysis.reason()},
            {"value", last ? number(last->value) : nullptr},
            {"threshold", last ? number(last->threshold) : nullptr},
            {"last_measurement", last ? nlohmann::json(to_string(last->phase)) : nullptr},
            {"measurements", analysis.measurements()},
            {"successes", analysis.successes()},
            {"failures", analysis.failures()},
            {"inconclusive", analysis.inconclusives()},
            {"errors", analysis.errors()},
            {"history", history_json(analysis, number)}};
}

}  // namespace launchkit::decide

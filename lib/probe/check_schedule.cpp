#include "probe/check_schedule.h"

#include <algorithm>
#include <thread>

#include "util/duration.h"

namespace launchkit::probe {
namespace {

using Clock = std::chrono::steady_clock;

enum class Verdict { pending, passing, failing };

struct CheckState {
    const Check* check = nullptr;
    Verdict verdict = Verdict::pending;
    int successes = 0;  // consecutive
    int failures = 0;   // consecutive, counting a retried attempt once
    int retries_used = 0;
    int attempts = 0;
    std::optional<Clock::time_point> passing_since{};
    Clock::time_point next_due{};
    ProbeResult last{};
};

std::chrono::milliseconds elapsed(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
}

void record(CheckState& state, ProbeResult result, Clock::time_point probed_at) {
    const auto& timing = state.check->timing;
    ++state.attempts;
    state.last = std::move(result);
    if (state.last.passed) {
        state.failures = 0;
        state.retries_used = 0;
        ++state.successes;
        if (!state.passing_since) state.passing_since = probed_at;
        bool stable =
            !timing.stable_for || elapsed(*state.passing_since, probed_at) >= *timing.stable_for;
        // Once passing, a check stays so while it passes (Kubernetes' readiness).
        if (state.verdict == Verdict::passing ||
            (state.successes >= timing.success_threshold && stable)) {
            state.verdict = Verdict::passing;
        } else {
            state.verdict = Verdict::pending;
            if (!stable)
                state.last.detail =
                    fmt::format("passing for {} of {}",
                                util::format_duration(elapsed(*state.passing_since, probed_at)),
                                util::format_duration(*timing.stable_for));
            else
                state.last.detail = fmt::format("{} of {} passes needed", state.successes,
                                                timing.success_threshold);
        }
        state.next_due = probed_at + timing.period;
        return;
    }
    state.successes = 0;
    state.passing_since.reset();
    if (state.retries_used < timing.retries) {
        state.next_due = probed_at + timing.backoff * (1 << state.retries_used);
        ++state.retries_used;
        return;
    }
    state.retries_used = 0;
    ++state.failures;
    // A passing check keeps passing until failure_threshold consecutive failures, as Kubernetes
    // keeps a probe successful: one lost answer must not undo a wait's progress.
    if (state.failures >= timing.failure_threshold)
        state.verdict = Verdict::failing;
    else if (state.verdict == Verdict::passing)
        state.last.detail =
            fmt::format("still passing, {} of {} failures tolerated: {}", state.failures,
                        timing.failure_threshold, state.last.detail);
    state.next_due = probed_at + timing.period;
}

bool finished(const std::vector<CheckState>& states, ScheduleGoal goal) {
    if (goal == ScheduleGoal::decide)
        return std::all_of(states.begin(), states.end(), [](const CheckState& state) {
            return state.verdict != Verdict::pending;
        });
    return std::all_of(states.begin(), states.end(), [](const CheckState& state) {
        return state.check->severity != Severity::critical || state.verdict == Verdict::passing;
    });
}

}  // namespace

ScheduledReport run_scheduled(const std::vector<const Check*>& checks,
                              const ScheduleOptions& options) {
    auto start = Clock::now();
    std::optional<Clock::time_point> deadline;
    if (options.timeout) deadline = start + *options.timeout;
    std::vector<CheckState> states;
    for (const auto* check : checks) {
        CheckState state;
        state.check = check;
        state.next_due = start + check->timing.initial_delay;
        state.last = result_for(*check);
        state.last.detail = "not probed yet";
        states.push_back(std::move(state));
    }

    ScheduledReport scheduled;
    while (!finished(states, options.goal)) {
        auto now = Clock::now();
        if (deadline && now >= *deadline) {
            scheduled.timed_out = true;
            break;
        }
        std::vector<const Check*> due;
        std::vector<size_t> positions;
        std::optional<Clock::time_point> next_wake;
        for (size_t i = 0; i < states.size(); ++i) {
            auto& state = states[i];
            // In `decide`, a decided check is done; in a wait, every check keeps being watched.
            if (options.goal == ScheduleGoal::decide && state.verdict != Verdict::pending) continue;
            if (state.next_due <= now) {
                due.push_back(state.check);
                positions.push_back(i);
            } else if (!next_wake || state.next_due < *next_wake) {
                next_wake = state.next_due;
            }
        }
        if (due.empty()) {
            auto wake = next_wake.value_or(now + std::chrono::milliseconds(100));
            if (deadline) wake = std::min(wake, *deadline);
            std::this_thread::sleep_until(wake);
            continue;
        }
        auto round = run_checks(due, options.run);
        for (size_t i = 0; i < positions.size(); ++i)
            record(states[positions[i]], std::move(round.results[i]), now);
        if (options.on_progress && deadline && !finished(states, options.goal)) {
            WaitProgress progress;
            for (const auto& state : states)
                if (state.check->severity == Severity::critical &&
                    state.verdict != Verdict::passing)
                    progress.failing.push_back(
                        fmt::format("{}: {}", state.check->name, state.last.detail));
            progress.remaining = elapsed(Clock::now(), *deadline);
            options.on_progress(progress);
        }
    }

    auto& report = scheduled.report;
    for (auto& state : states) {
        auto result = std::move(state.last);
        result.attempts = state.attempts;
        result.passed = state.verdict == Verdict::passing;
        if (scheduled.timed_out && state.verdict == Verdict::pending && state.attempts > 0 &&
            options.goal == ScheduleGoal::decide)
            result.detail = fmt::format("undecided at the deadline: {}", result.detail);
        if (!result.passed) {
            (result.severity == Severity::critical ? report.failed_critical
                                                   : report.failed_warning)++;
        }
        report.results.push_back(std::move(result));
    }
    report.duration = elapsed(start, Clock::now());
    return scheduled;
}

}  // namespace launchkit::probe

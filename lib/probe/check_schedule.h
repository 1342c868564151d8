// Repeated probing with Kubernetes' semantics: initial delay, period, success and failure
// thresholds, a stable_for window, and retries with exponential backoff. `diagnose run` probes
// until every check is decided; `diagnose wait` until every critical check passes at once.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "probe/checklist_runner.h"

namespace launchkit::probe {

enum class ScheduleGoal {
    decide,               // stop when each check is passing or failing by its thresholds
    all_critical_passing  // stop when every critical check passes (wait), or at the deadline
};

// What is still keeping a wait from finishing, for progress lines.
struct WaitProgress {
    std::vector<std::string> failing{};  // "name: detail" of critical checks not passing yet
    std::chrono::milliseconds remaining{0};
};

struct ScheduleOptions {
    RunOptions run{};
    ScheduleGoal goal = ScheduleGoal::decide;
    std::optional<std::chrono::milliseconds> timeout{};  // give up then; undecided checks fail
    std::function<void(const WaitProgress&)> on_progress{};
};

// Each result is the check's last probe, with `passed` meaning its verdict and `attempts` the
// probes made. With a timeout, `timed_out` says the deadline came first.
struct ScheduledReport {
    ChecklistReport report{};
    bool timed_out = false;
};

ScheduledReport run_scheduled(const std::vector<const Check*>& checks,
                              const ScheduleOptions& options);

}  // namespace launchkit::probe

// Runs a checklist's checks concurrently (HTTP on curl's multi loop, TCP and commands on a small
// thread pool) and sums up: a run passes when every critical check passes.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "probe/check.h"
#include "probe/probe_result.h"

namespace launchkit::probe {

struct RunOptions {
    std::vector<std::string> tags{};  // only checks carrying one of these; empty: all
    int parallel = 64;                // requests and commands in flight at once
};

struct ChecklistReport {
    std::vector<ProbeResult> results{};  // in checklist order
    std::chrono::milliseconds duration{0};
    int failed_critical = 0;
    int failed_warning = 0;
    bool passed() const { return failed_critical == 0; }
};

// The checks `options.tags` selects; exit code 2 when a tag selects nothing.
Result<std::vector<const Check*>> select_checks(const Checklist& checklist,
                                                const RunOptions& options);

ChecklistReport run_checks(const std::vector<const Check*>& checks, const RunOptions& options);

nlohmann::json to_json(const ChecklistReport& report);

}  // namespace launchkit::probe

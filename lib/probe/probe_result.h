// The outcome of one check: passed or not, how long it took, and in one line why it failed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/check.h"

namespace launchkit::probe {

// Milliseconds from `start` until now: a probe's latency.
inline std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
}

struct ProbeResult {
    std::string name{};
    std::string kind{};  // http, tcp, command
    Severity severity = Severity::critical;
    std::vector<std::string> tags{};
    bool passed = false;
    std::chrono::milliseconds latency{0};
    std::string detail{};              // why it failed; on success a short summary ("HTTP 200")
    std::optional<int> http_status{};  // http checks that got a response
    int attempts = 1;                  // probes made (thresholds, stable_for and retries)
};

// A result for `check` with its identity filled in and nothing else.
ProbeResult result_for(const Check& check);

nlohmann::json to_json(const ProbeResult& result);

}  // namespace launchkit::probe

#include "probe/probe_result.h"

namespace launchkit::probe {

ProbeResult result_for(const Check& check) {
    ProbeResult result;
    result.name = check.name;
    result.kind = std::string(probe_kind(check));
    result.severity = check.severity;
    result.tags = check.tags;
    return result;
}

nlohmann::json to_json(const ProbeResult& result) {
    return {{"name", result.name},
            {"kind", result.kind},
            {"severity", to_string(result.severity)},
            {"tags", result.tags},
            {"passed", result.passed},
            {"latency_ms", result.latency.count()},
            {"detail", result.detail},
            {"attempts", result.attempts},
            {"http_status",
             result.http_status ? nlohmann::json(*result.http_status) : nlohmann::json(nullptr)}};
}

}  // namespace launchkit::probe

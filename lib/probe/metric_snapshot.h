// Baselines (`diagnose snapshot`) and growth checks against them (`diagnose compare`): "no
// unexpected backlog growth" as a command, with tolerances from the rules file's `compare:`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/slo.h"

namespace launchkit::probe {

inline constexpr std::string_view snapshot_format = "launchkit-snapshot/1";

struct MetricSnapshot {
    std::string taken_at{};  // RFC 3339
    std::string rules{};     // the rules file the metrics were defined in
    std::map<std::string, std::optional<double>> values{};  // null: no data then
};

MetricSnapshot take_snapshot(const SloRules& rules,
                             const std::map<std::string, MetricReading>& readings,
                             const std::string& taken_at);
nlohmann::json to_json(const MetricSnapshot& snapshot);
Result<MetricSnapshot> parse_snapshot(std::string_view text, std::string_view source);

struct GrowthResult {
    std::string metric{};
    std::optional<double> baseline{};
    std::optional<double> now{};
    std::optional<GrowthTolerance> tolerance{};  // none: shown, not judged
    std::optional<double> allowed{};             // the most `now` may be
    bool passed = true;
    std::string detail{};
};

std::vector<GrowthResult> compare_to_baseline(const SloRules& rules, const MetricSnapshot& baseline,
                                              const std::map<std::string, MetricReading>& now);

nlohmann::json to_json(const std::vector<GrowthResult>& results);

}  // namespace launchkit::probe

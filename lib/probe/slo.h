// A rules file's metrics: where they come from (`sources:`), how each is read (`metrics:`), and
// how much each may grow over a baseline (`compare:`). The rules themselves are judged by the
// decision engine (decide/decision_rules.h), for `diagnose slo`, `analyze` and gates alike.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "core/yaml_reader.h"
#include "probe/check.h"
#include "probe/metric_source.h"

namespace launchkit::probe {

struct MetricDefinition {
    std::string name{};
    std::string source{};
    std::string select{};   // prometheus_text: a selector such as errors_ratio{service="api"}
    std::string pointer{};  // json: a JSON Pointer such as /backlog
    std::string query{};    // prometheus: a PromQL instant query
};

// How much a metric may grow over its baseline (`diagnose compare`): an absolute amount, or a
// percentage of the baseline.
struct GrowthTolerance {
    double amount = 0;
    bool percent = false;
};

struct SloRules {
    std::filesystem::path source{};
    std::map<std::string, MetricSource> sources{};
    std::map<std::string, MetricDefinition> metrics{};
    std::map<std::string, GrowthTolerance> compare{};  // the `compare:` section
};

// One metric's current value, or why there is none.
struct MetricReading {
    std::optional<double> value{};
    std::string problem{};
    // The source did not answer, or not usably (unreachable, an HTTP error, an invalid body): no
    // one can say yes or no, which is an environment failure (exit 3), not a "no".
    bool source_failed = false;
};

// Fetches each source once and reads every metric.
std::map<std::string, MetricReading> read_metrics(const SloRules& rules);

// Reads the `sources:` and `metrics:` sections of `root` into `rules`, for every file that
// defines metrics this way.
Result<void> read_metric_sections(const YamlReader& reader, const YamlNode& root, SloRules& rules);

Result<SloRules> parse_slo_rules(std::string_view yaml_text, const std::filesystem::path& source);

// Points named sources at other URLs (`--source app=URL`, a playbook gate's `sources:`): one rules
// file serves staging and production. NAME=URL texts; an unknown NAME is exit 2.
Result<void> override_source_urls(SloRules& rules, const std::vector<std::string>& assignments);

}  // namespace launchkit::probe

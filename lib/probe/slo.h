// SLO rules (`diagnose slo`, the runbooks' `ops:lint`): metrics read from their sources and
// compared with thresholds. A metric without data fails its rule: no data is never a pass.
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

struct SloRule {
    std::string text{};  // as written: "error_rate < 0.01"
    std::string metric{};
    Comparison comparison = Comparison::less;
    double threshold = 0;
    Severity severity = Severity::critical;
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
    std::vector<SloRule> rules{};                      // may be empty in a snapshot-only file
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
// defines metrics this way (SLO rules, decision rules).
Result<void> read_metric_sections(const YamlReader& reader, const YAML::Node& root,
                                  SloRules& rules);

Result<SloRules> parse_slo_rules(std::string_view yaml_text, const std::filesystem::path& source);

// Points named sources at other URLs (`--source app=URL`, a playbook gate's `sources:`): one rules
// file serves staging and production. NAME=URL texts; an unknown NAME is exit 2.
Result<void> override_source_urls(SloRules& rules, const std::vector<std::string>& assignments);

struct SloResult {
    SloRule rule{};
    std::optional<double> value{};
    bool passed = false;
    bool source_failed = false;  // no value because its source did not answer
    std::string detail{};        // why there is no value, or how far off it is
};

struct SloReport {
    std::vector<SloResult> results{};
    bool passed() const;
    // 0 when every critical rule passed; 1 when one was not met by a value; else 3 when the
    // only failures are critical rules whose source did not answer.
    ExitCode exit_code() const;
};

// Evaluates every rule on readings from read_metrics.
SloReport evaluate_slo(const SloRules& rules, const std::map<std::string, MetricReading>& readings);

nlohmann::json to_json(const SloReport& report);

}  // namespace launchkit::probe

// `diagnose slo` (the runbooks' `ops:lint`): every rule of a rules file judged once, on metrics
// read now (and a `diagnose snapshot` baseline for rules relative to one). The same rules and the
// same judgement as a gate's measurement; no data is never a pass.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/context.h"
#include "decide/decision_rules.h"

namespace launchkit::decide {

struct SloCheckOptions {
    std::filesystem::path rules{};       // empty: the config's `slo_rules:`
    std::vector<std::string> sources{};  // --source NAME=URL
    std::filesystem::path baseline{};    // --baseline SNAPSHOT.json, for rules relative to one
};

struct SloRuleResult {
    const ThresholdRule* rule = nullptr;
    RuleMeasurement measurement{};
    bool source_failed = false;  // no value because its source did not answer

    bool passed() const { return measurement.phase == MeasurementPhase::successful; }
};

struct SloCheck {
    std::vector<SloRuleResult> results{};
    // Every rule passed, warnings aside.
    bool passed() const;
    // 0 when every rule passed (warnings aside); 1 when one was not met by a value; else 3 when
    // the only failures are rules whose source did not answer.
    ExitCode exit_code() const;
};

// Judges every rule of `rules` on one reading. `baseline` holds a snapshot's values (empty
// without one).
SloCheck check_slo(const DecisionRules& rules,
                   const std::map<std::string, probe::MetricReading>& readings,
                   const MetricValues& baseline);

nlohmann::json to_json(const SloCheck& check);

// Exit 2 before reading anything when a rule compares with a baseline and none is given.
Result<ExitCode> run_slo(Context& context, const SloCheckOptions& options);

}  // namespace launchkit::decide

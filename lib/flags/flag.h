// A feature flag as stored: metadata shared by all environments, and per environment whether it is
// on and for what share of subjects. Stored as JSON under the store key "flags/<name>".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "flags/flag_evaluation.h"
#include "flags/strategy.h"
#include "flags/variant.h"

namespace launchkit::flags {

inline constexpr std::string_view flag_key_prefix = "flags/";

struct FlagEnvironment {
    bool enabled = false;
    int rollout = 100;  // percent of subjects `eval` answers "on" for, when enabled
    std::string updated_at{};
    std::string updated_by{};
    // Unleash's targeting. Without a list (every flag written before targeting existed) the
    // environment targets by `rollout` alone, evaluated as one flexibleRollout; once a strategy
    // is added the list is explicit and `rollout` follows its plain rollout strategy.
    std::optional<std::vector<Strategy>> strategies{};
    std::vector<Variant> variants{};

    // Whether any subject gets the flag: enabled at 0 % is off for everyone `eval` asks about.
    bool serves_anyone() const;
    // The strategy `rollout` stands for: the first enabled flexibleRollout without constraints
    // or segments; nothing when the list is implicit or has none.
    const Strategy* rollout_strategy() const;
    Strategy* rollout_strategy();
};

struct Flag {
    std::string name{};
    std::string description{};
    std::string owner{};
    std::string expires{};   // "YYYY-MM-DD"; empty: no expiry
    std::string group_id{};  // rollout bucketing group; empty: the flag's name
    std::string created_at{};
    std::string created_by{};
    std::map<std::string, FlagEnvironment> environments{};
    std::vector<FlagDependency> dependencies{};

    // An environment the flag was never set in is off, at the default rollout.
    FlagEnvironment in(const std::string& environment) const;
    const std::string& rollout_group() const { return group_id.empty() ? name : group_id; }
    // The newest change in any environment, or the creation time.
    std::string last_changed_at() const;
};

std::string flag_key(std::string_view name);

// The flag as one environment evaluates it (an implicit rollout becomes its flexibleRollout).
FlagTargeting targeting_of(const Flag& flag, const std::string& environment);
// launchkit's rollout as the strategy Unleash would store for it.
Strategy rollout_as_strategy(int rollout, const std::string& group);

nlohmann::json to_json(const Flag& flag);
// Reads a stored flag; `where` names the store key in errors (a damaged value is exit code 3).
Result<Flag> flag_from_json(const nlohmann::json& json, std::string_view where);

// What changed between two stored versions, for history ("production: off → on", "created").
// Either side may be null (created / deleted).
std::vector<std::string> describe_flag_change(const nlohmann::json& before,
                                              const nlohmann::json& after);

}  // namespace launchkit::flags

// A feature flag as stored: metadata shared by all environments, and per environment whether it is
// on and for what share of subjects. Stored as JSON under the store key "flags/<name>".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit::flags {

inline constexpr std::string_view flag_key_prefix = "flags/";

struct FlagEnvironment {
    bool enabled = false;
    int rollout = 100;  // percent of subjects `eval` answers "on" for, when enabled
    std::string updated_at{};
    std::string updated_by{};

    // Whether any subject gets the flag: enabled at 0 % is off for everyone `eval` asks about.
    bool serves_anyone() const { return enabled && rollout > 0; }
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

    // An environment the flag was never set in is off, at the default rollout.
    FlagEnvironment in(const std::string& environment) const;
    const std::string& rollout_group() const { return group_id.empty() ? name : group_id; }
    // The newest change in any environment, or the creation time.
    std::string last_changed_at() const;
};

std::string flag_key(std::string_view name);

nlohmann::json to_json(const Flag& flag);
// Reads a stored flag; `where` names the store key in errors (a damaged value is exit code 3).
Result<Flag> flag_from_json(const nlohmann::json& json, std::string_view where);

// What changed between two stored versions, for history ("production: off → on", "created").
// Either side may be null (created / deleted).
std::vector<std::string> describe_flag_change(const nlohmann::json& before,
                                              const nlohmann::json& after);

}  // namespace launchkit::flags

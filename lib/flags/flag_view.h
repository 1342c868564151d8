// How a flag is shown: the JSON object scripts read (stable field names, documented in the README)
// and the words humans read.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "flags/flag.h"

namespace launchkit::flags {

// {name, environment, enabled, on, rollout, group_id, description, owner, expires, created_at,
//  updated_at, updated_by, strategies (a count; null while the rollout alone targets), variants
//  (names), depends_on (parent names)}; absent text is null.
nlohmann::json flag_view(const Flag& flag, const std::string& environment);

// "25%"; with strategies, the plain rollout's percent (or "-") and how many strategies.
std::string describe_rollout(const FlagEnvironment& state);

// "on" or "off", plus " for 25% of subjects" when the rollout is partial.
std::string describe_state(const FlagEnvironment& state);

}  // namespace launchkit::flags

// How a flag is shown: the JSON object scripts read (stable field names, documented in the README)
// and the words humans read.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "flags/flag.h"

namespace launchkit::flags {

// {name, environment, enabled, rollout, group_id, description, owner, expires, created_at,
//  updated_at, updated_by}; absent text is null.
nlohmann::json flag_view(const Flag& flag, const std::string& environment);

// "on" or "off", plus " for 25% of subjects" when the rollout is partial.
std::string describe_state(const FlagEnvironment& state);

}  // namespace launchkit::flags

// Names of flags, launch controls and environments: one spelling rule, and "did you mean" for a
// name that does not exist, so a typo at 3 a.m. is caught instead of acted on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace launchkit::flags {

// [a-z0-9][a-z0-9._-]{0,127}; `what` ("flag name", "environment") leads the error message.
Result<void> validate_name(std::string_view name, std::string_view what);

// Rollout group ids follow Unleash, where they are free text: 1-256 printable characters.
Result<void> validate_group_id(std::string_view group_id);

// Exit code 2: "no such flag 'x' (did you mean 'y'?)", plus `hint` when nothing is close.
std::unexpected<Error> unknown_name(std::string_view what, std::string_view name,
                                    const std::vector<std::string>& known, std::string_view hint);

}  // namespace launchkit::flags

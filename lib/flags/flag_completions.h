// Names a shell completes for feature-flags and launchctl arguments, read from the state store.
#pragma once

#include <string>
#include <vector>

#include "core/context.h"

namespace launchkit::flags {

std::vector<std::string> flag_names(const Context& context);
std::vector<std::string> launch_control_names(const Context& context);

}  // namespace launchkit::flags

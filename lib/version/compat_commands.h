// `release-manager compat check`: the compatibility matrix against an ordered upgrade.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/context.h"

namespace launchkit::version {

struct CompatCheckOptions {
    std::filesystem::path matrix{};
    std::vector<std::string> upgrades{};  // COMPONENT=VERSION, in the order they will happen
};

// Exit 0 when every state the upgrade passes through is compatible, 1 when one breaks a pair.
Result<ExitCode> run_compat_check(Context& context, const CompatCheckOptions& options);

}  // namespace launchkit::version

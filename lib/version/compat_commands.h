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
    std::vector<std::string> current{};   // COMPONENT=VERSION: what runs now, overriding all else
    std::string environment = "production";  // whose ledger deploys say what runs now
};

// What runs now, per component: --current, else the ledger's latest deploy or rollback of the
// component's tag_prefix in the environment, else the matrix's version:. Exit 0 when every state
// the upgrade passes through is compatible and no step skips versions a component may not skip,
// 1 when one does.
Result<ExitCode> run_compat_check(Context& context, const CompatCheckOptions& options);

}  // namespace launchkit::version

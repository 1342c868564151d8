// `release.branches:` in launchkit.yaml: the branches releases may be cut from, in
// semantic-release's form (release, maintenance `N.x`/`N.N.x` and pre-release branches).
#pragma once

#include <filesystem>

#include "core/config.h"
#include "core/yaml_node.h"

namespace launchkit {

// A maintenance range as written in a branch name or `range:`: "1.x", "1.x.x" or "1.4.x".
bool is_maintenance_range(std::string_view text);

Result<std::vector<ReleaseBranchConfig>> parse_release_branches(
    const YamlNode& branches, const std::filesystem::path& source);

}  // namespace launchkit

// The `environments:` section of launchkit.yaml: the promotion path (the Release Management
// Playbook's stages), e.g. `production: {requires: [staging], approval: true}` — a version must
// have been deployed to staging first, and a person approves the deploy.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/config.h"
#include "core/yaml_node.h"

namespace launchkit {

// An environment name: letters, digits, '-', '_' and '.', at most 63 (it names lock files).
bool is_environment_name(const std::string& name);

// Validates every entry; a required environment must itself be declared, and requirements may
// not form a cycle.
Result<std::map<std::string, EnvironmentConfig>> parse_environments_section(
    const YamlNode& node, const std::filesystem::path& source);

}  // namespace launchkit

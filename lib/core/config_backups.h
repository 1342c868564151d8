// The `backups:` section of launchkit.yaml: named sources (`config: {dir: ./config}`, `db:
// {postgres: …}`) so that playbooks and operators say `backup create db` instead of repeating
// connection details.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/config.h"
#include "core/yaml_node.h"

namespace launchkit {

// Validates every entry; relative paths are resolved against the configuration file's directory.
Result<std::map<std::string, BackupSourceConfig>> parse_backups_section(
    const YamlNode& node, const std::filesystem::path& source);

}  // namespace launchkit

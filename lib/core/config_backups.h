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
// `offsite` is not a source: it names where backups are copied (parse_offsite_section).
Result<std::map<std::string, BackupSourceConfig>> parse_backups_section(
    const YamlNode& node, const std::filesystem::path& source);

// `backups.offsite`: `{restic: {repository, password_file | password_env}}`. A repository that
// is a plain path is resolved against the configuration file's directory.
Result<ResticOffsiteConfig> parse_offsite_section(const YamlNode& node,
                                                  const std::filesystem::path& source);

// Whether `repository` names a restic backend by its scheme (sftp:, rest:, s3:, ...) rather than
// a local path.
bool is_restic_backend_url(std::string_view repository);

}  // namespace launchkit

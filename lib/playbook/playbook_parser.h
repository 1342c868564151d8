// Loads a playbook and validates all of it before the first step runs: the schema, step kinds and
// their settings, `needs` (no cycles, no unknown steps) and every ${...} reference.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "playbook/playbook.h"

namespace launchkit::playbook {

Result<Playbook> parse_playbook(std::string_view yaml_text, const std::filesystem::path& source);
Result<Playbook> load_playbook(const std::filesystem::path& path);

// `--var NAME=VALUE` for a run: NAME must be one of the playbook's vars (a typo must not silently
// leave the default in place); VALUE may use the builtin variables, as vars may.
Result<std::map<std::string, std::string>> parse_var_assignments(
    const Playbook& playbook, const std::vector<std::string>& assignments);
void override_vars(Playbook& playbook, const std::map<std::string, std::string>& values);

}  // namespace launchkit::playbook

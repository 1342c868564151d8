// Loads a playbook and validates all of it before the first step runs: the schema, step kinds and
// their settings, `needs` (no cycles, no unknown steps) and every ${...} reference.
#pragma once

#include <filesystem>

#include "core/error.h"
#include "playbook/playbook.h"

namespace launchkit::playbook {

Result<Playbook> parse_playbook(std::string_view yaml_text, const std::filesystem::path& source);
Result<Playbook> load_playbook(const std::filesystem::path& path);

}  // namespace launchkit::playbook

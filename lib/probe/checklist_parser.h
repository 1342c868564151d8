// Reads a checklist YAML file into Checks, validating all of it before anything is probed: every
// error names the file, line and field.
#pragma once

#include <filesystem>
#include <string_view>

#include "base/error.h"
#include "probe/check.h"

namespace launchkit::probe {

Result<Checklist> parse_checklist(std::string_view yaml_text, const std::filesystem::path& source);
Result<Checklist> load_checklist(const std::filesystem::path& path);

}  // namespace launchkit::probe

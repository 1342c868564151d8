// Tar-slip defence: which archive entry names and symlink targets stay inside the restore target.
// Pure functions, so every malicious shape is unit-tested without writing an archive.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace launchkit::backup {

// The entry's path relative to the target, normalised ("./a//b/" → "a/b", "." → ""). Absolute
// paths and any ".." component are refused (exit 3: the archive is not trustworthy).
Result<std::string> safe_entry_path(std::string_view pathname);

// Whether a symlink stored at `entry` (normalised, relative) pointing at `target` resolves inside
// the restore root: relative, and never climbing above it.
bool symlink_stays_inside(std::string_view entry, std::string_view target);

}  // namespace launchkit::backup

// `sqlite:` backups through SQLite's online backup API: a consistent copy while the application
// keeps writing, checked with PRAGMA integrity_check, restored page by page inside the target's
// own transaction so readers never see a half-restored database.
#pragma once

#include <filesystem>
#include <string>

#include "base/error.h"

namespace launchkit::backup {

// Copies the database at `source` (which must exist) into the new file `destination`.
Result<void> copy_sqlite_database(const std::filesystem::path& source,
                                  const std::filesystem::path& destination);

// "ok", or the first problems PRAGMA integrity_check reports (exit 1 style: a check said no).
Result<std::string> check_sqlite_integrity(const std::filesystem::path& database);

// Replaces the contents of `target` (created when missing) with the database in `backup_file`.
Result<void> restore_sqlite_database(const std::filesystem::path& backup_file,
                                     const std::filesystem::path& target);

std::string sqlite_library_version();

}  // namespace launchkit::backup

// `command:` backups for projects that already have `make db-backup` / `make db-restore`: launchkit
// runs the user's argv (never through a shell) and then manages the file it leaves like any other.
#pragma once

#include <filesystem>

#include "backup/backup_source.h"
#include "base/error.h"

namespace launchkit::backup {

// Runs the backup argv and copies its output file to `destination`.
Result<void> run_backup_command(const BackupSource& source,
                                const std::filesystem::path& destination);

// Runs the restore argv with ${file} replaced by `backup_file`, which is also passed in
// $LAUNCHKIT_BACKUP_FILE and in the source's file_env variable (the Artifortress Upgrade and
// Rollback Runbook's RESTORE_PATH).
Result<void> run_restore_command(const BackupSource& source,
                                 const std::filesystem::path& backup_file);

}  // namespace launchkit::backup

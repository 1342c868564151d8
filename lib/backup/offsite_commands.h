// The off-site side of `release-manager backup …`: which repository a command uses, `sync`, and
// the parts of `create`, `list`, `verify` and `prune` that reach the repository.
#pragma once

#include <optional>
#include <vector>

#include "backup/backup_commands.h"
#include "backup/backup_manifest.h"
#include "backup/restic_repository.h"
#include "core/context.h"

namespace launchkit::backup {

// The repository a command uses: `--offsite REPO`, else (with `--offsite` alone, or when
// `by_default`) launchkit.yaml's backups.offsite; nullopt when it names none. Exit 2 for
// `--offsite` alone with none configured, or a repository without a password.
Result<std::optional<ResticRepository>> offsite_repository(const Context& context,
                                                           const OffsiteOption& option,
                                                           bool by_default);

// After `backup create`: copies `manifest` off-site and says so in `json` ("offsite"). A copy
// that fails leaves the local backup, marked pending, and is exit 3 with the reason on stderr.
// `severity` opens that line: "error" for `backup create`, "warning" for a playbook's step.
ExitCode copy_new_backup(Context& context, const ResticRepository& repository,
                         const BackupManifest& manifest, nlohmann::json& json,
                         std::string_view severity = "error");

Result<ExitCode> run_offsite_list(Context& context, const BackupListOptions& options,
                                  const ResticRepository& repository);
Result<ExitCode> run_offsite_verify(Context& context, const BackupVerifyOptions& options,
                                    const ResticRepository& repository);

// Where each backup id is off-site in `repository`: every snapshot of it (a copy may have been
// made twice).
Result<std::map<std::string, std::vector<std::string>>> offsite_snapshots(
    const ResticRepository& repository);

}  // namespace launchkit::backup

// `release-manager backup …` (and the runbook's `verify-backup`): options in, tables or JSON out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backup/backup_operations.h"
#include "backup/retention.h"
#include "core/context.h"

namespace launchkit::backup {

// `--offsite [REPO]` of every backup command: nullopt when not given, "" for the configured
// repository (launchkit.yaml's backups.offsite), else a repository restic accepts.
using OffsiteOption = std::optional<std::string>;

struct BackupCreateOptions {
    std::string source;
    std::string tag;
    std::vector<std::string> labels;  // "k=v"
    OffsiteOption offsite{};
    bool no_offsite = false;
};

struct BackupListOptions {
    std::string source;       // only this source
    std::string tag;          // only this tag
    OffsiteOption offsite{};  // also what the repository holds
};

struct BackupVerifyOptions {
    std::string id;  // empty with all
    bool all = false;
    OffsiteOption offsite{};       // verify the off-site copies instead
    std::string read_data_subset;  // restic check --read-data-subset
};

struct BackupRestoreOptions {
    std::string id;
    std::string environment;  // latest and latest:TAG among this environment's backups only
    std::string to;
    bool yes = false;
    bool no_safety_backup = false;
    bool allow_external_symlinks = false;
    OffsiteOption offsite{};  // fetch from there when the backup is not here
};

struct BackupPruneOptions {
    // Each a count, or "unlimited"; empty: the rule is off.
    std::string keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly;
    std::string source;
    std::string tag;
    bool dry_run = false;
    OffsiteOption offsite{};
};

struct BackupSyncOptions {
    OffsiteOption offsite{};
    bool init = false;  // create the repository when there is none
};

Result<ExitCode> run_backup_create(Context& context, const BackupCreateOptions& options);

// For shell completion: every backup id, newest first, then `latest` and `latest:TAG` per tag.
std::vector<std::string> backup_ids(const Context& context);
Result<ExitCode> run_backup_list(Context& context, const BackupListOptions& options);
Result<ExitCode> run_backup_show(Context& context, const std::string& id);
Result<ExitCode> run_backup_verify(Context& context, const BackupVerifyOptions& options);
// verify's answer, of local or off-site copies: JSON {ok, backups: [{id, ok, check, problems,
// seconds}]} with `extra`'s fields beside, or the ID/RESULT/CHECK/PROBLEM table (`when_none`
// instead of an empty one, when given). Exit 1 when any failed.
ExitCode report_verification(Context& context, const std::vector<VerifyReport>& reports,
                             const nlohmann::json& extra, const std::string& when_none);
Result<ExitCode> run_backup_restore(Context& context, const BackupRestoreOptions& options);
Result<ExitCode> run_backup_prune(Context& context, const BackupPruneOptions& options);
// Copies every local backup not yet in the off-site repository.
Result<ExitCode> run_backup_sync(Context& context, const BackupSyncOptions& options);

// Parses the --keep-* options; an empty policy is refused (it would remove every backup).
Result<RetentionPolicy> parse_retention_policy(const BackupPruneOptions& options);

}  // namespace launchkit::backup

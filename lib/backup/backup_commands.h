// `release-manager backup …` (and the runbook's `verify-backup`): options in, tables or JSON out.
#pragma once

#include <string>
#include <vector>

#include "backup/retention.h"
#include "core/context.h"

namespace launchkit::backup {

struct BackupCreateOptions {
    std::string source;
    std::string tag;
    std::vector<std::string> labels;  // "k=v"
};

struct BackupListOptions {
    std::string source;  // only this source
    std::string tag;     // only this tag
};

struct BackupVerifyOptions {
    std::string id;  // empty with all
    bool all = false;
};

struct BackupRestoreOptions {
    std::string id;
    std::string environment;  // latest and latest:TAG among this environment's backups only
    std::string to;
    bool yes = false;
    bool no_safety_backup = false;
    bool allow_external_symlinks = false;
};

struct BackupPruneOptions {
    // Each a count, or "unlimited"; empty: the rule is off.
    std::string keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly;
    std::string source;
    std::string tag;
    bool dry_run = false;
};

Result<ExitCode> run_backup_create(Context& context, const BackupCreateOptions& options);

// For shell completion: every backup id, newest first, then `latest` and `latest:TAG` per tag.
std::vector<std::string> backup_ids(const Context& context);
Result<ExitCode> run_backup_list(Context& context, const BackupListOptions& options);
Result<ExitCode> run_backup_show(Context& context, const std::string& id);
Result<ExitCode> run_backup_verify(Context& context, const BackupVerifyOptions& options);
Result<ExitCode> run_backup_restore(Context& context, const BackupRestoreOptions& options);
Result<ExitCode> run_backup_prune(Context& context, const BackupPruneOptions& options);

// Parses the --keep-* options; an empty policy is refused (it would remove every backup).
Result<RetentionPolicy> parse_retention_policy(const BackupPruneOptions& options);

}  // namespace launchkit::backup

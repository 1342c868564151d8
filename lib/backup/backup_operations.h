// Taking, verifying and restoring one backup of any kind: the steps every kind shares (staging,
// manifest, checksums, safety backup before a restore) around the kind's own tool.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backup/backup_manifest.h"
#include "backup/backup_repository.h"
#include "backup/backup_source.h"
#include "core/context.h"
#include "util/progress_meter.h"

namespace launchkit::backup {

// Byte progress of long backup work on stderr (silent under --json unless stderr is a TTY).
util::ProgressMeter progress_for(const Context& context, std::string label);

struct CreateOptions {
    std::string tag;
    std::map<std::string, std::string> labels;
};

struct CreateOutcome {
    BackupManifest manifest;
    std::vector<std::string> warnings;
};

Result<CreateOutcome> create_backup(Context& context, const BackupSource& source,
                                    const CreateOptions& options);

struct VerifyReport {
    std::string id;
    bool ok = true;
    std::string check;                  // what the kind's own check said ("integrity_check: ok")
    std::vector<std::string> problems;  // each names the file at fault
    double seconds = 0;
};

// Recomputes every checksum and runs the kind's check. Problems are findings, not errors.
// `vouched`: the manifest came out of an authenticated off-site repository, so a store with no
// record of it is not a problem (a record that differs still is).
VerifyReport verify_backup(Context& context, const BackupRepository& repository,
                           const BackupManifest& manifest, bool vouched = false);

struct RestoreOptions {
    std::string to;  // another path (dir, sqlite) or connection string (postgres)
    bool safety_backup = true;
    bool allow_external_symlinks = false;
};

struct RestoreTarget {
    BackupSource source;    // the kind and where it goes
    bool replaces = false;  // something is there now and will be replaced
};

// Where a restore of `manifest` would go, and whether it would replace something.
Result<RestoreTarget> restore_target(const Context& context, const BackupManifest& manifest,
                                     const RestoreOptions& options);

struct RestoreOutcome {
    std::string id;
    std::string target;  // the path or database; a command source's name
    std::string how;     // BackupSource::describe_restore
    std::optional<std::string> safety_backup_id;
    double seconds = 0;
};

// Checks the backup's checksums, takes the safety backup, then restores. A directory is extracted
// into a hidden sibling and swapped in with one rename, so a failure leaves the target untouched.
Result<RestoreOutcome> restore_backup(Context& context, const BackupManifest& manifest,
                                      const RestoreOptions& options);

}  // namespace launchkit::backup

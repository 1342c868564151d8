// Which backups `backup prune` keeps, with restic's `forget` semantics: per source, newest first,
// keep the N most recent, and the newest backup of each of the last N hours/days/weeks/months/years
// that have one (UTC calendar buckets, ISO weeks). A backup kept by any rule stays; when a rule
// still has room after the oldest backup, that oldest one is kept too. The reasons are reported.
#pragma once

#include <string>
#include <vector>

#include "backup/backup_manifest.h"
#include "util/time.h"

namespace launchkit::backup {

// -1 means unlimited ("keep all"), 0 means the rule is off.
struct RetentionPolicy {
    int last = 0;
    int hourly = 0;
    int daily = 0;
    int weekly = 0;
    int monthly = 0;
    int yearly = 0;

    bool empty() const { return !last && !hourly && !daily && !weekly && !monthly && !yearly; }
};

struct RetentionDecision {
    const BackupManifest* backup = nullptr;
    bool keep = false;
    std::vector<std::string>
        reasons;  // "last snapshot", "daily snapshot", "oldest weekly snapshot"
};

// `backups` of one group (one source), in any order; decisions come back newest first.
std::vector<RetentionDecision> apply_retention(const std::vector<const BackupManifest*>& backups,
                                               const RetentionPolicy& policy);

}  // namespace launchkit::backup

// What restic prints, read: its config, its list of snapshots and its `backup --json` messages,
// and where `restic restore` puts a snapshot's path. A repository is shared with other hosts and
// its snapshots' tags and paths are whatever they wrote, so nothing here trusts their shape.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace launchkit::backup {

// `restic cat config`: the repository's own id and format version (2 stores data compressed).
struct ResticConfig {
    std::string id;
    int version = 0;  // 0 when the config does not say (or says something absurd)
};

struct ResticSnapshot {
    std::string id;  // the full id
    std::string short_id;
    std::string time;  // RFC 3339
    std::string hostname;
    std::vector<std::string> paths;
    std::vector<std::string> tags;

    // The value of tag `NAME=VALUE`; empty when there is none.
    std::string tag_value(std::string_view name) const;
};

// What `restic backup --json` said when it finished.
struct ResticBackupSummary {
    std::string snapshot_id;
    std::uint64_t data_added = 0;  // bytes the repository grew by (after deduplication)
    std::uint64_t files_new = 0;
    std::uint64_t bytes_processed = 0;
    double seconds = 0;
};

// One progress report of a running backup or restore.
struct ResticProgress {
    double fraction = 0;  // 0..1
    std::uint64_t bytes_done = 0;
    std::uint64_t total_bytes = 0;
};

// One line of `restic backup --json`: a status report, the summary, or something else (an
// error message, a line that is not JSON), which is neither.
struct ResticBackupMessage {
    std::optional<ResticProgress> progress;
    std::optional<ResticBackupSummary> summary;
};

// Exit 3 naming `where` when the config is not JSON or names no repository id.
Result<ResticConfig> parse_restic_config(std::string_view text, std::string_view where);
// `restic snapshots --json` (empty or null: none). Entries that are not objects or have no id
// are skipped; exit 3 naming `where` when the answer is not a list.
Result<std::vector<ResticSnapshot>> parse_restic_snapshots(std::string_view text,
                                                           std::string_view where);
ResticBackupMessage parse_restic_backup_message(std::string_view line);

// Where `restic restore --target TARGET` puts the snapshot's `path` (restic keeps the absolute
// path below the target). Exit 3 when the path is not absolute or has a ".." component: a
// snapshot that says so would reach outside the target.
Result<std::filesystem::path> restored_path(const std::filesystem::path& target,
                                            std::string_view path);

}  // namespace launchkit::backup

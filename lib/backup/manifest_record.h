// Each backup's manifest digest, kept in the store, whose audit chain makes an edit evident: a
// manifest is the only thing saying where a backup restores to, so one edited by hand (another
// `target`, another environment's label) must stop `verify` and `restore` rather than redirect
// them. A checksum beside the manifest would be edited along with it.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/context.h"

namespace launchkit::backup {

// The store key of backup `id`'s record ("backups/ID").
std::string manifest_record_key(const std::string& id);

// Records the SHA-256 of `manifest_text` for backup `id` (before the backup is published: a
// published backup always has its record).
Result<void> record_manifest(const Context& context, const std::string& id,
                             std::string_view manifest_text, const std::string& reason);

// Forgets backup `id`'s record (the backup was deleted).
Result<void> forget_manifest(const Context& context, const std::string& id,
                             const std::string& reason);

// Every recorded digest, by backup id, read once.
Result<std::map<std::string, std::string>> recorded_manifests(const Context& context);

// Backup `id` has a copy in the restic repository `repository_id` as snapshot `snapshot`: kept
// in the same record, so a backup's off-site state is shared wherever the store is.
Result<void> record_offsite_copy(const Context& context, const std::string& id,
                                 const std::string& repository_id, const std::string& snapshot);

// For every backup with a record, its off-site copies: repository id → snapshot.
using OffsiteCopies = std::map<std::string, std::map<std::string, std::string>>;
Result<OffsiteCopies> recorded_offsite_copies(const Context& context);

// Why `manifest_text` of backup `id` cannot be trusted (exit 3 naming it), given the recorded
// digests: not recorded, or not the text that was recorded.
Result<void> check_manifest(const std::map<std::string, std::string>& records,
                            const std::string& id, std::string_view manifest_text,
                            const std::string& manifest_path);

}  // namespace launchkit::backup

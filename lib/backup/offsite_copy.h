// Backups that survive the machine: each local backup copied to a restic repository once it
// verifies, found there again by its tags, and fetched back into the local folder when the local
// copy is gone (a new machine pointed at the same repository).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backup/backup_manifest.h"
#include "backup/restic_repository.h"
#include "core/context.h"

namespace launchkit::backup {

// The tag every launchkit snapshot carries, and the NAME=VALUE tags beside it.
inline constexpr std::string_view offsite_tag = "launchkit";
std::vector<std::string> offsite_tags(const BackupManifest& manifest);

// How a backup sits in its snapshot. `archive`: its local folder (manifest and data files).
// `tree`: a `dir:` backup's directory itself beside its manifest, so that restic deduplicates
// file by file against the source's previous snapshot, as its own backups do; fetched, the
// archive is rebuilt from the restored tree and must hold the same content (the manifest's
// tree content digest).
enum class OffsiteForm { archive, tree };
std::string_view form_name(OffsiteForm form);

// A launchkit backup in the repository, as its snapshot's tags describe it: enough to list and
// choose it (as a manifest with id, source, tag, env label and creation time) without fetching.
struct OffsiteBackup {
    std::string snapshot;  // restic's snapshot id
    std::string copied_at;
    OffsiteForm form = OffsiteForm::archive;
    std::vector<std::string> paths;  // what the snapshot holds, as restic lists it
    BackupManifest described;
};
Result<std::vector<OffsiteBackup>> list_offsite(const ResticRepository& repository);

struct OffsiteCopy {
    std::string id;
    std::string snapshot;
    OffsiteForm form = OffsiteForm::archive;
    std::uint64_t data_added = 0;  // bytes the repository grew by
    bool already_there = false;  // a snapshot of it was there (an earlier copy not yet recorded)
};

// Verifies backup `manifest` here (its checksums and the kind's own check), copies it unless
// `present` (backup id → snapshot, from list_offsite) has it already, and records the copy in
// the store. A `dir:` backup whose directory is still the tree it archived goes in the tree
// form, any other in the archive form. Progress on the context's stderr. `repository_id` is
// asked for only once the copy is made, so that it may be read meanwhile.
using RepositoryIdSource = std::function<Result<std::string>()>;
Result<OffsiteCopy> copy_offsite(Context& context, const ResticRepository& repository,
                                 const RepositoryIdSource& repository_id,
                                 const BackupManifest& manifest,
                                 const std::map<std::string, std::string>& present);

// A snapshot restored into `folder` as a backup folder: manifest.json (as the backup wrote it)
// and its data file. A tree form's archive is rebuilt from the restored tree: its content must
// match the manifest's; its bytes match too unless libarchive, libzstd or the files' owners
// differ here, and then `manifest` lists the rebuilt archive while `manifest_text` stays the
// original.
struct RestoredOffsite {
    std::string manifest_text;
    BackupManifest manifest;
    bool rebuilt_differs = false;
};
Result<RestoredOffsite> restore_offsite(Context& context, const ResticRepository& repository,
                                        const OffsiteBackup& backup,
                                        const std::filesystem::path& folder);

// Fetches `backup` into the local backup folder under its own id. Its manifest is trusted as
// restic authenticated it (only the password's holder writes the repository): recorded in the
// store when this store has no record of it, else checked against that record (exit 3 when it
// differs). Then its checksums are verified as any local backup's are.
Result<BackupManifest> fetch_offsite(Context& context, const ResticRepository& repository,
                                     const std::string& repository_id, const OffsiteBackup& backup);

// The backup `id` names (BackupRepository::find: an id, a prefix, latest, latest:TAG within
// `environment`) here; when none here matches and `offsite` names a repository, the one it
// names among the repository's, fetched first (a new machine pointed at the same repository
// restores from it). `offsite` is asked only then: a backup that is here needs no password.
using OffsiteLookup = std::function<Result<std::optional<ResticRepository>>()>;
Result<BackupManifest> find_or_fetch_backup(Context& context, const std::string& id,
                                            const std::string& environment,
                                            const OffsiteLookup& offsite);

}  // namespace launchkit::backup

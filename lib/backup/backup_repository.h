// The backup repository: one folder per backup under <state>/backups, each holding its data files
// and manifest.json. A backup is built in a hidden staging folder and renamed into place only when
// complete, so a crashed or failed backup never shows in `list`.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/backup_manifest.h"
#include "base/error.h"
#include "util/file_lock.h"
#include "util/time.h"

namespace launchkit::backup {

// The tag of the backup a restore takes of what it replaces.
inline constexpr std::string_view safety_backup_tag = "pre-restore";

// "20261125T181950.123Z-3f9a2c": sorts by creation time; the random suffix keeps concurrent ones
// apart.
std::string new_backup_id(util::TimePoint now);

// Whether `id` may name a backup's folder: what new_backup_id makes or another host's launchkit
// made, never a path ('/', a leading '.'), a control character, a name over 128 bytes or
// `latest…` (a selector). An off-site snapshot's id is whatever the repository's writers tagged.
bool is_backup_id(std::string_view id);

// A backup being written. Removes its folder on destruction unless published. While it lives it
// holds a lock beside its folder, so that abandoned folders (a killed backup) can be told apart
// from ones still being written.
class StagedBackup {
  public:
    StagedBackup(std::filesystem::path folder, std::string id, util::FileLock lock)
        : folder_(std::move(folder)), id_(std::move(id)), lock_(std::move(lock)) {}
    StagedBackup(StagedBackup&& other) noexcept;
    StagedBackup(const StagedBackup&) = delete;
    StagedBackup& operator=(const StagedBackup&) = delete;
    StagedBackup& operator=(StagedBackup&&) = delete;
    ~StagedBackup();

    const std::filesystem::path& folder() const { return folder_; }
    const std::string& id() const { return id_; }
    void mark_published() { published_ = true; }

  private:
    std::filesystem::path folder_;
    std::string id_;
    util::FileLock lock_;
    bool published_ = false;
};

// A backup folder whose manifest is missing or unreadable: listed as damaged, never left out.
struct DamagedBackup {
    std::string id;  // the folder's name
    std::string problem;
};

struct BackupListing {
    std::vector<BackupManifest> backups;  // oldest first
    std::vector<DamagedBackup> damaged;
};

class BackupRepository {
  public:
    explicit BackupRepository(std::filesystem::path root) : root_(std::move(root)) {}
    // <state>/backups.
    static BackupRepository in_state_dir(const std::filesystem::path& state_dir);

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path folder(const std::string& id) const { return root_ / id; }

    Result<BackupListing> list() const;
    // A full id, a unique prefix of one, or "latest": the newest that is not a safety backup, or
    // "latest:TAG": the newest with that tag. With `environment`, latest and latest:TAG only
    // consider backups labelled env=ENVIRONMENT (what a run takes): a production rollback never
    // restores a staging drill's backup. Without it, latest:TAG whose candidates belong to more
    // than one environment is refused (exit 2) until one is named.
    Result<BackupManifest> find(const std::string& id, const std::string& environment = {}) const;

    Result<StagedBackup> stage(util::TimePoint now);
    // A backup made elsewhere (fetched from off-site) keeps its id; exit 2 when one with that id
    // is here already.
    Result<StagedBackup> stage_as(const std::string& id);
    // Fills in the size and SHA-256 of every file of `manifest` still without one, and makes
    // each durable.
    Result<void> seal_files(StagedBackup& staged, BackupManifest& manifest) const;
    // Writes manifest.json, has `record` keep its text's digest, then makes the backup visible.
    using ManifestRecorder = std::function<Result<void>(std::string_view manifest_text)>;
    Result<void> publish(StagedBackup& staged, const BackupManifest& manifest,
                         const ManifestRecorder& record);
    // The same for a staged folder whose manifest.json is already written (`manifest_text`).
    Result<void> publish_as_written(StagedBackup& staged, std::string_view manifest_text,
                                    const ManifestRecorder& record);
    Result<void> remove(const std::string& id);
    // Deletes staging folders whose writer is gone (killed mid-backup) and half-deleted backups.
    // Returns how many it removed.
    Result<int> remove_abandoned();

  private:
    std::filesystem::path root_;
};

// The backup `id` names among `backups` (oldest first), as BackupRepository::find resolves it:
// a full id, a unique prefix, latest or latest:TAG (within `environment` when given). `where`
// names the collection in errors.
Result<BackupManifest> select_backup(const std::vector<BackupManifest>& backups,
                                     const std::string& id, const std::string& environment,
                                     const std::string& where);

// Size and SHA-256 of a file, read in large blocks.
Result<BackupFile> digest_file(const std::filesystem::path& path, const std::string& name);

}  // namespace launchkit::backup

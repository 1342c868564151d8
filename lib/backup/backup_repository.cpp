#include "backup/backup_repository.h"

#include <set>

#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/bounded_json.h"
#include "util/crash_point.h"
#include "util/file_descriptor.h"
#include "util/file_io.h"
#include "util/file_lock.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace launchkit::backup {
namespace {

constexpr std::string_view staging_prefix = ".incomplete-";
constexpr std::string_view deleting_prefix = ".deleting-";

Result<void> fsync_path(const std::filesystem::path& path) {
    util::FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return fail(ExitCode::environment, "cannot open {} to sync it: {}", path.string(),
                    std::strerror(errno));
    if (::fsync(fd.get()) != 0)
        return fail(ExitCode::environment, "cannot sync {}: {}", path.string(),
                    std::strerror(errno));
    return {};
}

}  // namespace

bool is_backup_id(std::string_view id) {
    if (id.empty() || id.size() > 128 || id.starts_with('.') || id.starts_with("latest"))
        return false;
    for (unsigned char c : id)
        if (c == '/' || c < 0x20 || c == 0x7f) return false;
    return true;
}

std::string new_backup_id(util::TimePoint now) {
    auto stamp = util::format_rfc3339(now);  // 2026-11-25T18:19:50Z
    std::string compact;
    for (char c : stamp)
        if (c != '-' && c != ':' && c != 'Z') compact += c;
    // Milliseconds, so a restore's safety backup sorts after the backup taken a moment before.
    auto milliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::random_device random;
    return fmt::format("{}.{:03}Z-{:06x}", compact, milliseconds, random() & 0xffffff);
}

StagedBackup::StagedBackup(StagedBackup&& other) noexcept
    : folder_(std::move(other.folder_)),
      id_(std::move(other.id_)),
      lock_(std::move(other.lock_)),
      published_(other.published_) {
    other.folder_.clear();  // the moved-from object owns nothing
}

StagedBackup::~StagedBackup() {
    if (folder_.empty()) return;
    std::error_code ignored;
    if (!published_) ignored = util::remove_tree(folder_);
    std::filesystem::remove(folder_.string() + ".lock", ignored);
}

BackupRepository BackupRepository::in_state_dir(const std::filesystem::path& state_dir) {
    return BackupRepository(state_dir / "backups");
}

Result<BackupListing> BackupRepository::list() const {
    BackupListing listing;
    std::error_code error;
    if (!std::filesystem::exists(root_, error)) return listing;
    std::vector<std::filesystem::path> folders;
    for (const auto& entry : std::filesystem::directory_iterator(root_, error)) {
        auto name = entry.path().filename().string();
        if (name.starts_with('.') || !entry.is_directory()) continue;
        folders.push_back(entry.path());
    }
    if (error)
        return fail(ExitCode::environment, "cannot read backup repository {}: {}", root_.string(),
                    error.message());
    for (const auto& folder : folders) {
        auto manifest_path = folder / "manifest.json";
        auto text = util::read_file(manifest_path);
        if (!text) {
            listing.damaged.push_back(
                {folder.filename().string(), fmt::format("{}: no readable manifest.json: {}",
                                                         folder.string(), text.error().message)});
            continue;
        }
        auto manifest = parse_manifest(*text, manifest_path.string());
        if (!manifest) {
            listing.damaged.push_back({folder.filename().string(), manifest.error().message});
            continue;
        }
        listing.backups.push_back(std::move(*manifest));
    }
    std::sort(listing.backups.begin(), listing.backups.end(),
              [](const BackupManifest& a, const BackupManifest& b) {
                  return a.id < b.id;  // ids begin with the creation time, to the millisecond
              });
    return listing;
}

Result<BackupManifest> select_backup(const std::vector<BackupManifest>& backups,
                                     const std::string& id, const std::string& environment,
                                     const std::string& where) {
    bool selector = id == "latest" || id.starts_with("latest:");
    if (!selector && !is_backup_id(id))
        return fail(ExitCode::invalid_input, "backup id '{}' is not a valid id",
                    util::printable(id, 200));
    if (selector) {
        // Not a restore's safety backup: running `restore latest` twice must not undo itself.
        // `latest:TAG` is the newest with that tag, so a rollback playbook can name "the
        // pre-upgrade database backup" without knowing its id.
        auto tag = id == "latest" ? std::string() : id.substr(7);
        auto environment_of = [](const BackupManifest& manifest) {
            auto found = manifest.labels.find("env");
            return found == manifest.labels.end() ? std::string() : found->second;
        };
        std::vector<const BackupManifest*> candidates;
        std::set<std::string> elsewhere;
        for (const auto& manifest : backups) {
            if (tag.empty() ? manifest.tag == safety_backup_tag : manifest.tag != tag) continue;
            if (!environment.empty() && environment_of(manifest) != environment) {
                elsewhere.insert(environment_of(manifest).empty() ? "no environment"
                                                                  : environment_of(manifest));
                continue;
            }
            candidates.push_back(&manifest);
        }
        if (environment.empty() && !tag.empty()) {
            std::set<std::string> environments;
            for (const auto* manifest : candidates) environments.insert(environment_of(*manifest));
            if (environments.size() > 1)
                return fail(ExitCode::invalid_input,
                            "backups tagged '{}' belong to more than one environment ({}); name "
                            "one with --env",
                            tag, fmt::join(environments, ", "));
        }
        if (!candidates.empty()) return *candidates.back();
        auto scope = environment.empty() ? std::string() : " for " + environment;
        auto others = elsewhere.empty() ? std::string()
                                        : fmt::format(
                                              " (there are some of {}, which a rollback of "
                                              "{} must not restore)",
                                              fmt::join(elsewhere, ", "), environment);
        if (!tag.empty())
            return fail(ExitCode::invalid_input, "no backup tagged '{}'{} in {}{}", tag, scope,
                        where, others);
        return fail(ExitCode::invalid_input, "no backups{} in {}{}", scope, where, others);
    }
    std::vector<const BackupManifest*> matches;
    for (const auto& manifest : backups) {
        if (manifest.id == id) return manifest;
        if (manifest.id.starts_with(id)) matches.push_back(&manifest);
    }
    if (matches.size() == 1) return *matches.front();
    if (matches.empty())
        return fail(ExitCode::invalid_input, "no backup '{}' in {} (see `backup list`)", id, where);
    return fail(ExitCode::invalid_input, "backup id '{}' is ambiguous: {} backups start with it",
                id, matches.size());
}

Result<BackupManifest> BackupRepository::find(const std::string& id,
                                              const std::string& environment) const {
    LAUNCHKIT_TRY_ASSIGN(auto listing, list());
    auto found = select_backup(listing.backups, id, environment, root_.string());
    // The backup is there but its manifest is damaged: say that, not "no backup".
    if (!found && !id.empty() && id.find('/') == std::string::npos && !id.starts_with('.')) {
        if (auto manifest_path = root_ / id / "manifest.json";
            std::filesystem::exists(manifest_path)) {
            LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(manifest_path));
            LAUNCHKIT_TRY(parse_manifest(text, manifest_path.string()));
        }
    }
    return found;
}

Result<StagedBackup> BackupRepository::stage(util::TimePoint now) {
    return stage_as(new_backup_id(now));
}

Result<StagedBackup> BackupRepository::stage_as(const std::string& id) {
    if (!is_backup_id(id))
        return fail(ExitCode::invalid_input, "backup id '{}' is not a valid id",
                    util::printable(id, 200));
    if (std::filesystem::exists(folder(id)))
        return fail(ExitCode::invalid_input, "backup {} is already in {}", id, root_.string());
    LAUNCHKIT_TRY(util::create_directories(root_, 0700));
    LAUNCHKIT_TRY(remove_abandoned());
    auto folder = root_ / (std::string(staging_prefix) + id);
    // Locked before the folder exists, so a cleaner never sees the folder without its writer.
    LAUNCHKIT_TRY_ASSIGN(auto lock, util::FileLock::acquire(folder.string() + ".lock"));
    if (::mkdir(folder.c_str(), 0700) != 0)
        return fail(ExitCode::environment, "cannot create {}: {}", folder.string(),
                    std::strerror(errno));
    return StagedBackup(folder, id, std::move(lock));
}

Result<int> BackupRepository::remove_abandoned() {
    std::error_code error;
    std::vector<std::filesystem::path> candidates;
    for (const auto& entry : std::filesystem::directory_iterator(root_, error)) {
        auto name = entry.path().filename().string();
        if (entry.is_directory() &&
            (name.starts_with(staging_prefix) || name.starts_with(deleting_prefix)))
            candidates.push_back(entry.path());
    }
    int removed = 0;
    for (const auto& folder : candidates) {
        auto lock_path = folder.string() + ".lock";
        if (folder.filename().string().starts_with(staging_prefix)) {
            LAUNCHKIT_TRY_ASSIGN(auto lock, util::FileLock::try_acquire(lock_path));
            if (!lock) continue;  // its backup is still being written
            // What cannot be removed (someone else's files) is left, not a reason to fail.
            if (util::remove_tree(folder)) continue;
            std::filesystem::remove(lock_path, error);
        } else {
            auto lock = util::FileLock::acquire(root_ / ".lock");
            if (!lock) return std::unexpected(lock.error());
            error = util::remove_tree(folder);
        }
        if (error)
            return fail(ExitCode::environment, "cannot remove abandoned {}: {}", folder.string(),
                        error.message());
        ++removed;
    }
    return removed;
}

Result<void> BackupRepository::seal_files(StagedBackup& staged, BackupManifest& manifest) const {
    for (auto& file : manifest.files) {
        auto path = staged.folder() / file.path;
        if (file.sha256.empty()) {
            LAUNCHKIT_TRY_ASSIGN(file, digest_file(path, file.path));
        }
        LAUNCHKIT_TRY(fsync_path(path));
    }
    return {};
}

Result<void> BackupRepository::publish(StagedBackup& staged, const BackupManifest& manifest,
                                       const ManifestRecorder& record) {
    auto text = util::dump_json(manifest_json(manifest), 2) + "\n";
    LAUNCHKIT_TRY(util::write_file_atomically(staged.folder() / "manifest.json", text, 0600));
    return publish_as_written(staged, text, record);
}

Result<void> BackupRepository::publish_as_written(StagedBackup& staged,
                                                  std::string_view manifest_text,
                                                  const ManifestRecorder& record) {
    auto text = manifest_text;
    LAUNCHKIT_TRY(util::fsync_directory(staged.folder()));
    // Recorded before the backup appears: a published backup always has its record. A crash in
    // between leaves a record of a backup that never appeared, which nothing restores from.
    LAUNCHKIT_TRY(record(text));
    util::crash_point("backup-before-publish");
    auto final_folder = folder(staged.id());
    if (::rename(staged.folder().c_str(), final_folder.c_str()) != 0)
        return fail(ExitCode::environment, "cannot publish backup {}: {}", final_folder.string(),
                    std::strerror(errno));
    staged.mark_published();
    return util::fsync_directory(root_);
}

Result<void> BackupRepository::remove(const std::string& id) {
    // Renamed away first, so a crash mid-delete leaves a hidden folder rather than a half backup.
    auto lock = util::FileLock::acquire(root_ / ".lock");
    if (!lock) return std::unexpected(lock.error());
    auto doomed = root_ / (std::string(deleting_prefix) + id);
    if (::rename(folder(id).c_str(), doomed.c_str()) != 0)
        return fail(ExitCode::environment, "cannot remove backup {}: {}", folder(id).string(),
                    std::strerror(errno));
    LAUNCHKIT_TRY(util::fsync_directory(root_));
    std::error_code error;
    error = util::remove_tree(doomed);
    if (error)
        return fail(ExitCode::environment, "cannot delete {}: {}", doomed.string(),
                    error.message());
    return {};
}

Result<BackupFile> digest_file(const std::filesystem::path& path, const std::string& name) {
    util::FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return fail(ExitCode::environment, "cannot read {}: {}", path.string(),
                    std::strerror(errno));
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    util::Sha256 hash;
    std::vector<char> buffer(1 << 20);
    std::uint64_t size = 0;
    while (true) {
        auto got = ::read(fd.get(), buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0)
            return fail(ExitCode::environment, "cannot read {}: {}", path.string(),
                        std::strerror(errno));
        if (got == 0) break;
        hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
        size += static_cast<std::uint64_t>(got);
    }
    return BackupFile{name, size, hash.hex_digest()};
}

}  // namespace launchkit::backup

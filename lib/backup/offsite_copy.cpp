#include "backup/offsite_copy.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "backup/backup_operations.h"
#include "backup/backup_repository.h"
#include "backup/directory_archive.h"
#include "backup/directory_tree.h"
#include "backup/manifest_record.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/file_lock.h"
#include "util/sha256.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::backup {
namespace {

// restic splits a --tag on commas: a value holding one is left out of the tags (the manifest
// inside the snapshot still says it).
void add_tag(std::vector<std::string>& tags, std::string_view name, const std::string& value) {
    if (value.empty() || value.find(',') != std::string::npos) return;
    tags.push_back(fmt::format("{}-{}={}", offsite_tag, name, value));
}

std::string label_of(const BackupManifest& manifest, const std::string& name) {
    auto found = manifest.labels.find(name);
    return found == manifest.labels.end() ? std::string() : found->second;
}

std::string form_tag() {
    return fmt::format("{}-form", offsite_tag);
}

// Where a tree form's manifest waits for restic: the same path for every backup of a source, so
// that restic takes the source's previous snapshot (same paths, same host) as its parent and reads
// only the files that changed since.
std::filesystem::path tree_manifest_path(const BackupRepository& local, const std::string& source) {
    return local.root() / ".offsite" / util::sha256_hex(source).substr(0, 16) / "manifest.json";
}

// The directory a `dir:` backup archived, when it may go off-site as itself: its manifest has
// the tree's digests, the directory is still in the state it was archived in, holds only files,
// directories and symlinks (what restic restores as any user), and does not hold the backup
// repository (which restic would copy too).
std::optional<std::filesystem::path> unchanged_tree(const BackupManifest& manifest,
                                                    const BackupRepository& local) {
    if (manifest.kind != BackupKind::directory || manifest.tree_state_sha256.empty() ||
        manifest.files.size() != 1)
        return std::nullopt;
    std::error_code error;
    auto tree = std::filesystem::canonical(std::filesystem::absolute(manifest.target), error);
    if (error) return std::nullopt;
    auto repository = std::filesystem::weakly_canonical(local.root(), error);
    if (error) return std::nullopt;
    auto [end, ignored] =
        std::mismatch(tree.begin(), tree.end(), repository.begin(), repository.end());
    if (end == tree.end()) return std::nullopt;
    auto state = read_tree_state(tree, {});
    if (!state || !state->only_plain_entries || state->sha256 != manifest.tree_state_sha256)
        return std::nullopt;
    return tree;
}

// nullopt when the tree changed before restic had read it all: that snapshot is forgotten.
Result<std::optional<ResticBackupSummary>> copy_tree(const ResticRepository& repository,
                                                     const BackupRepository& local,
                                                     const BackupManifest& manifest,
                                                     const std::filesystem::path& tree,
                                                     const ResticProgressHandler& progress) {
    auto manifest_path = tree_manifest_path(local, manifest.source);
    std::error_code error;
    std::filesystem::create_directories(manifest_path.parent_path(), error);
    if (error)
        return fail(ExitCode::environment, "cannot create {}: {}",
                    manifest_path.parent_path().string(), error.message());
    // One copy of a source at a time: another would replace the manifest under this one.
    LAUNCHKIT_TRY_ASSIGN(auto lock, util::FileLock::acquire(manifest_path.parent_path() / ".lock"));
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(local.folder(manifest.id) / "manifest.json"));
    LAUNCHKIT_TRY(util::write_file_atomically(manifest_path, text, 0600));
    ResticBackupRequest request{.directory = local.root(),
                                .paths = {tree.string(), manifest_path.string()},
                                .tags = offsite_tags(manifest)};
    request.tags.push_back(fmt::format("{}=tree", form_tag()));
    LAUNCHKIT_TRY_ASSIGN(auto summary, repository.backup(request, progress));
    // restic read the tree after the archive did: the copy is this backup only if nothing was
    // written in between (and while restic read it).
    auto after = read_tree_state(tree, {});
    if (!after || after->sha256 != manifest.tree_state_sha256) {
        LAUNCHKIT_TRY(repository.forget({summary.snapshot_id}, false));
        return std::optional<ResticBackupSummary>();
    }
    return std::optional(summary);
}

}  // namespace

std::string_view form_name(OffsiteForm form) {
    return form == OffsiteForm::tree ? "tree" : "archive";
}

std::vector<std::string> offsite_tags(const BackupManifest& manifest) {
    std::vector<std::string> tags{std::string(offsite_tag)};
    add_tag(tags, "id", manifest.id);
    add_tag(tags, "source", manifest.source);
    add_tag(tags, "kind", std::string(kind_name(manifest.kind)));
    add_tag(tags, "tag", manifest.tag);
    add_tag(tags, "env", label_of(manifest, "env"));
    add_tag(tags, "version", label_of(manifest, "version"));
    add_tag(tags, "created", manifest.created_at);
    return tags;
}

Result<std::vector<OffsiteBackup>> list_offsite(const ResticRepository& repository) {
    LAUNCHKIT_TRY_ASSIGN(auto snapshots, repository.snapshots({std::string(offsite_tag)}));
    std::vector<OffsiteBackup> backups;
    auto tag = [](const ResticSnapshot& snapshot, std::string_view name) {
        return snapshot.tag_value(fmt::format("{}-{}", offsite_tag, name));
    };
    for (const auto& snapshot : snapshots) {
        OffsiteBackup backup;
        backup.snapshot = snapshot.short_id.empty() ? snapshot.id : snapshot.short_id;
        backup.copied_at = snapshot.time;
        backup.form = tag(snapshot, "form") == "tree" ? OffsiteForm::tree : OffsiteForm::archive;
        backup.paths = snapshot.paths;
        auto& described = backup.described;
        described.id = tag(snapshot, "id");
        // Not one of launchkit's: none has no id, and none has an id that is not a folder's
        // name ("../../x" would send `verify --offsite --all` to read it back outside its
        // scratch folder).
        if (!is_backup_id(described.id)) continue;
        described.source = tag(snapshot, "source");
        if (auto kind = parse_kind(tag(snapshot, "kind"))) described.kind = *kind;
        described.tag = tag(snapshot, "tag");
        described.created_at = tag(snapshot, "created");
        if (auto environment = tag(snapshot, "env"); !environment.empty())
            described.labels["env"] = environment;
        if (auto version = tag(snapshot, "version"); !version.empty())
            described.labels["version"] = version;
        described.host = snapshot.hostname;
        backups.push_back(std::move(backup));
    }
    // Oldest first, as local listings are; a backup copied twice (two snapshots) is one backup,
    // its latest copy.
    std::sort(backups.begin(), backups.end(), [](const auto& a, const auto& b) {
        return a.described.id != b.described.id ? a.described.id < b.described.id
                                                : a.copied_at > b.copied_at;
    });
    backups.erase(
        std::unique(backups.begin(), backups.end(),
                    [](const auto& a, const auto& b) { return a.described.id == b.described.id; }),
        backups.end());
    return backups;
}

Result<OffsiteCopy> copy_offsite(Context& context, const ResticRepository& repository,
                                 const RepositoryIdSource& repository_id,
                                 const BackupManifest& manifest,
                                 const std::map<std::string, std::string>& present) {
    auto local = BackupRepository::in_state_dir(context.state_dir);
    OffsiteCopy copy;
    copy.id = manifest.id;
    // What goes off-site is what verifies here: a damaged backup is not copied as if it were good.
    auto verified = verify_backup(context, local, manifest);
    if (!verified.ok)
        return fail(ExitCode::environment, "backup {} does not verify, so it was not copied: {}",
                    manifest.id,
                    verified.problems.empty() ? std::string("?") : verified.problems.front());
    std::optional<std::string> id_of_repository;
    if (auto found = present.find(manifest.id); found != present.end()) {
        copy.snapshot = found->second;
        copy.already_there = true;
    } else {
        auto progress = progress_for(context, fmt::format("copy {} off-site", manifest.id));
        std::uint64_t reported = 0;
        auto report = [&](const ResticProgress& said) {
            if (said.bytes_done > reported) progress.advance(said.bytes_done - reported);
            reported = std::max(reported, said.bytes_done);
        };
        std::optional<ResticBackupSummary> summary;
        if (auto tree = unchanged_tree(manifest, local)) {
            LAUNCHKIT_TRY_ASSIGN(summary, copy_tree(repository, local, manifest, *tree, report));
            if (summary)
                copy.form = OffsiteForm::tree;
            else
                *context.err << fmt::format(
                    "note: {} changed while it was being copied; copying backup {}'s archive "
                    "instead\n",
                    tree->string(), manifest.id);
        }
        if (!summary) {
            // The repository's format says whether restic compresses: the archive is already.
            LAUNCHKIT_TRY_ASSIGN(id_of_repository, repository_id());
            LAUNCHKIT_TRY_ASSIGN(summary, repository.backup({.directory = local.root(),
                                                             .paths = {manifest.id},
                                                             .tags = offsite_tags(manifest),
                                                             .compressed = true},
                                                            report));
        }
        progress.finish();
        copy.snapshot = summary->snapshot_id;
        copy.data_added = summary->data_added;
    }
    if (!id_of_repository) {
        LAUNCHKIT_TRY_ASSIGN(id_of_repository, repository_id());
    }
    LAUNCHKIT_TRY(record_offsite_copy(context, manifest.id, *id_of_repository, copy.snapshot));
    return copy;
}

Result<RestoredOffsite> restore_offsite(Context& context, const ResticRepository& repository,
                                        const OffsiteBackup& backup,
                                        const std::filesystem::path& folder) {
    const auto& id = backup.described.id;
    auto fetched = folder / ".restic";
    LAUNCHKIT_TRY(repository.restore(backup.snapshot, fetched));
    std::error_code error;
    std::filesystem::path tree;
    if (backup.form == OffsiteForm::archive) {
        // The snapshot's one folder (named by the id): its files move up into `folder` itself.
        auto inner = fetched / id;
        if (!std::filesystem::is_directory(inner))
            return fail(ExitCode::environment, "snapshot {} in {} does not hold the folder {}",
                        backup.snapshot, repository.describe(), id);
        for (const auto& entry : std::filesystem::directory_iterator(inner, error)) {
            // A backup's folder holds its manifest and archives: a symlink, FIFO or device
            // there (whoever wrote the snapshot) would be read through, or block the reader.
            if (!entry.is_regular_file() || entry.is_symlink())
                return fail(ExitCode::environment,
                            "snapshot {} in {} holds {}, which is not a regular file",
                            backup.snapshot, repository.describe(),
                            util::printable(entry.path().filename().string(), 200));
            std::filesystem::rename(entry.path(), folder / entry.path().filename(), error);
            if (error) break;
        }
    } else {
        // The directory and the manifest beside it, each under its full path.
        std::filesystem::path manifest_inside;
        for (const auto& path : backup.paths) {
            auto restored = restored_path(fetched, path);
            if (!restored)
                return fail(ExitCode::environment, "snapshot {} in {}: {}", backup.snapshot,
                            repository.describe(), restored.error().message);
            auto inside = std::move(*restored);
            if (std::filesystem::path(path).filename() == "manifest.json" &&
                manifest_inside.empty())
                manifest_inside = inside;
            else
                tree = inside;
        }
        if (backup.paths.size() != 2 || manifest_inside.empty() ||
            !std::filesystem::is_regular_file(std::filesystem::symlink_status(manifest_inside)) ||
            !std::filesystem::is_directory(std::filesystem::symlink_status(tree)))
            return fail(ExitCode::environment,
                        "snapshot {} in {} does not hold a directory and its manifest",
                        backup.snapshot, repository.describe());
        std::filesystem::rename(manifest_inside, folder / "manifest.json", error);
    }
    if (error)
        return fail(ExitCode::environment, "cannot move the fetched backup {} into {}: {}", id,
                    folder.string(), error.message());
    auto manifest_path = folder / "manifest.json";
    RestoredOffsite restored;
    LAUNCHKIT_TRY_ASSIGN(restored.manifest_text,
                         util::read_file_at_most(manifest_path, 16 << 20, "a fetched manifest"));
    LAUNCHKIT_TRY_ASSIGN(restored.manifest,
                         parse_manifest(restored.manifest_text, manifest_path.string()));
    auto& manifest = restored.manifest;
    if (manifest.id != id)
        return fail(ExitCode::environment,
                    "snapshot {} in {}: its manifest is of backup {}, its tags say {}",
                    backup.snapshot, repository.describe(), manifest.id, id);
    if (backup.form == OffsiteForm::tree) {
        if (manifest.kind != BackupKind::directory || manifest.files.size() != 1 ||
            manifest.tree_content_sha256.empty())
            return fail(ExitCode::environment,
                        "snapshot {} in {}: a directory's copy, but backup {} is not a `dir:` "
                        "backup with a tree digest",
                        backup.snapshot, repository.describe(), id);
        const auto& name = manifest.files.front().path;
        auto progress = progress_for(context, "rebuild " + id);
        LAUNCHKIT_TRY_ASSIGN(auto rebuilt,
                             write_directory_archive(tree, folder / name, name, &progress));
        progress.finish();
        if (rebuilt.content_sha256 != manifest.tree_content_sha256)
            return fail(ExitCode::environment,
                        "snapshot {} in {}: the directory it holds is not the one backup {} "
                        "archived (content SHA-256 {}, the manifest says {})",
                        backup.snapshot, repository.describe(), id, rebuilt.content_sha256,
                        manifest.tree_content_sha256);
        if (rebuilt.file.sha256 != manifest.files.front().sha256 ||
            rebuilt.file.size != manifest.files.front().size) {
            restored.rebuilt_differs = true;
            manifest.files.front() = rebuilt.file;
            LAUNCHKIT_TRY_ASSIGN(manifest.tools["libarchive"], archive_library_version());
        }
    }
    if (auto left = util::remove_tree(fetched))
        return fail(ExitCode::environment, "cannot remove {}: {}", fetched.string(),
                    left.message());
    return restored;
}

Result<BackupManifest> fetch_offsite(Context& context, const ResticRepository& repository,
                                     const std::string& repository_id,
                                     const OffsiteBackup& backup) {
    auto local = BackupRepository::in_state_dir(context.state_dir);
    const auto& id = backup.described.id;
    LAUNCHKIT_TRY_ASSIGN(auto staged, local.stage_as(id));
    *context.err << fmt::format("fetching backup {} from {} (snapshot {})\n", id,
                                repository.describe(), backup.snapshot)
                 << std::flush;
    LAUNCHKIT_TRY_ASSIGN(auto restored,
                         restore_offsite(context, repository, backup, staged.folder()));
    auto manifest_path = staged.folder() / "manifest.json";
    LAUNCHKIT_TRY_ASSIGN(auto records, recorded_manifests(context));
    bool known = records.contains(id);
    auto text = restored.manifest_text;
    if (restored.rebuilt_differs) {
        // Same content, other bytes: the archive now here is the rebuilt one, which this
        // store's record of the original cannot vouch for.
        if (known) {
            auto written = parse_manifest(restored.manifest_text, manifest_path.string());
            auto version = [](const BackupManifest& manifest) {
                auto found = manifest.tools.find("libarchive");
                return found == manifest.tools.end() ? std::string("?") : found->second;
            };
            return fail(ExitCode::environment,
                        "backup {}: the archive rebuilt here from its off-site copy holds the same "
                        "files but not the same bytes as the one recorded (libarchive {} here, {} "
                        "when it was written)",
                        id, version(restored.manifest),
                        written ? version(*written) : std::string("?"));
        }
        text = util::dump_json(manifest_json(restored.manifest), 2) + "\n";
        LAUNCHKIT_TRY(util::write_file_atomically(manifest_path, text, 0600));
    }
    LAUNCHKIT_TRY(local.publish_as_written(staged, text, [&](std::string_view written) {
        if (known) return check_manifest(records, id, written, manifest_path.string());
        return record_manifest(context, id, written,
                               fmt::format("backup {} fetched from {} (snapshot {})", id,
                                           repository.describe(), backup.snapshot));
    }));
    LAUNCHKIT_TRY(record_offsite_copy(context, id, repository_id, backup.snapshot));
    auto verified = verify_backup(context, local, restored.manifest);
    if (!verified.ok) {
        // Nothing restores from a copy that does not verify; the off-site one stays as it is.
        (void)local.remove(id);
        return fail(ExitCode::environment, "backup {} fetched from {} does not verify: {}", id,
                    repository.describe(),
                    verified.problems.empty() ? std::string("?") : verified.problems.front());
    }
    return restored.manifest;
}

Result<BackupManifest> find_or_fetch_backup(Context& context, const std::string& id,
                                            const std::string& environment,
                                            const OffsiteLookup& lookup) {
    auto local = BackupRepository::in_state_dir(context.state_dir);
    auto found = local.find(id, environment);
    if (found || found.error().code != ExitCode::invalid_input) return found;
    LAUNCHKIT_TRY_ASSIGN(auto offsite, lookup());
    if (!offsite) return found;
    LAUNCHKIT_TRY_ASSIGN(auto listed, list_offsite(*offsite));
    std::vector<BackupManifest> described;
    for (const auto& backup : listed) described.push_back(backup.described);
    auto chosen = select_backup(described, id, environment, offsite->describe());
    if (!chosen)
        return fail(ExitCode::invalid_input, "{}; and off-site: {}", found.error().message,
                    chosen.error().message);
    LAUNCHKIT_TRY_ASSIGN(auto repository_id, offsite->repository_id());
    for (const auto& backup : listed)
        if (backup.described.id == chosen->id)
            return fetch_offsite(context, *offsite, repository_id, backup);
    return found;
}

}  // namespace launchkit::backup

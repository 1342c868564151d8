#include "backup/offsite_copy.h"

#include <algorithm>

#include <fmt/format.h>

#include "backup/backup_operations.h"
#include "backup/backup_repository.h"
#include "backup/manifest_record.h"
#include "util/file_io.h"
#include "util/sha256.h"
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

}  // namespace

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
        auto& described = backup.described;
        described.id = tag(snapshot, "id");
        if (described.id.empty()) continue;  // not one of launchkit's
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
    // Oldest first, as local listings are; a backup copied twice (two snapshots) is one backup.
    std::sort(backups.begin(), backups.end(), [](const auto& a, const auto& b) {
        return a.described.id != b.described.id ? a.described.id < b.described.id
                                                : a.copied_at < b.copied_at;
    });
    backups.erase(
        std::unique(backups.begin(), backups.end(),
                    [](const auto& a, const auto& b) { return a.described.id == b.described.id; }),
        backups.end());
    return backups;
}

Result<OffsiteCopy> copy_offsite(Context& context, const ResticRepository& repository,
                                 const std::string& repository_id, const BackupManifest& manifest,
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
    if (auto found = present.find(manifest.id); found != present.end()) {
        copy.snapshot = found->second;
        copy.already_there = true;
    } else {
        auto progress = progress_for(context, fmt::format("copy {} off-site", manifest.id));
        std::uint64_t reported = 0;
        LAUNCHKIT_TRY_ASSIGN(auto summary,
                             repository.backup(
                                 local.root(), manifest.id, offsite_tags(manifest),
                                 [&](const ResticProgress& report) {
                                     if (report.bytes_done > reported)
                                         progress.advance(report.bytes_done - reported);
                                     reported = std::max(reported, report.bytes_done);
                                 },
                                 manifest.kind == BackupKind::directory));
        progress.finish();
        copy.snapshot = summary.snapshot_id;
        copy.data_added = summary.data_added;
        copy.seconds = summary.seconds;
    }
    LAUNCHKIT_TRY(record_offsite_copy(context, manifest.id, repository_id, copy.snapshot));
    return copy;
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
    // restic restores the snapshot's one folder (named by the id) inside the staging folder;
    // its files move up into the staging folder itself.
    auto fetched = staged.folder() / ".restic";
    LAUNCHKIT_TRY(repository.restore(backup.snapshot, fetched));
    auto inner = fetched / id;
    if (!std::filesystem::is_directory(inner))
        return fail(ExitCode::environment, "snapshot {} in {} does not hold the folder {}",
                    backup.snapshot, repository.describe(), id);
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(inner, error)) {
        std::filesystem::rename(entry.path(), staged.folder() / entry.path().filename(), error);
        if (error) break;
    }
    if (error)
        return fail(ExitCode::environment, "cannot move the fetched backup {} into {}: {}", id,
                    staged.folder().string(), error.message());
    std::filesystem::remove_all(fetched, error);
    auto manifest_path = staged.folder() / "manifest.json";
    LAUNCHKIT_TRY_ASSIGN(
        auto text, util::read_file_at_most(manifest_path, 16 * 1024 * 1024, "a fetched manifest"));
    LAUNCHKIT_TRY_ASSIGN(auto manifest, parse_manifest(text, manifest_path.string()));
    if (manifest.id != id)
        return fail(ExitCode::environment,
                    "snapshot {} in {}: its manifest is of backup {}, its tags say {}",
                    backup.snapshot, repository.describe(), manifest.id, id);
    LAUNCHKIT_TRY_ASSIGN(auto records, recorded_manifests(context));
    bool known = records.contains(id);
    LAUNCHKIT_TRY(local.publish_as_written(staged, text, [&](std::string_view written) {
        if (known) return check_manifest(records, id, written, manifest_path.string());
        return record_manifest(context, id, written,
                               fmt::format("backup {} fetched from {} (snapshot {})", id,
                                           repository.describe(), backup.snapshot));
    }));
    LAUNCHKIT_TRY(record_offsite_copy(context, id, repository_id, backup.snapshot));
    auto verified = verify_backup(context, local, manifest);
    if (!verified.ok) {
        // Nothing restores from a copy that does not verify; the off-site one stays as it is.
        (void)local.remove(id);
        return fail(ExitCode::environment, "backup {} fetched from {} does not verify: {}", id,
                    repository.describe(),
                    verified.problems.empty() ? std::string("?") : verified.problems.front());
    }
    return manifest;
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

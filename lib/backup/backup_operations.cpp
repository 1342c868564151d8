#include "backup/backup_operations.h"

#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup/command_backup.h"
#include "backup/directory_archive.h"
#include "backup/manifest_record.h"
#include "backup/postgres_backup.h"
#include "backup/sqlite_backup.h"
#include "launchkit_version.h"
#include "util/bounded_json.h"
#include "util/crash_point.h"
#include "util/file_io.h"

namespace launchkit::backup {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "";
    return name;
}

// A file-size limit (RLIMIT_FSIZE) must surface as EFBIG and a clean error, not kill us mid-write.
void ignore_file_size_signal() {
    std::signal(SIGXFSZ, SIG_IGN);
}

bool stderr_is_terminal(const Context& context) {
    return context.err == &std::cerr && ::isatty(STDERR_FILENO) != 0;
}

std::string data_file_name(BackupKind kind, const BackupSource& source) {
    switch (kind) {
        case BackupKind::directory:
            return "data.tar.zst";
        case BackupKind::sqlite:
            return "database.sqlite";
        case BackupKind::postgres:
            return "database.dump";
        case BackupKind::command: {
            auto name = source.output.filename().string();
            return name.empty() || name == "manifest.json" ? "output" : name;
        }
    }
    return "data";
}

std::string target_of(const BackupSource& source) {
    switch (source.kind) {
        case BackupKind::directory:
        case BackupKind::sqlite:
            return source.path.string();
        case BackupKind::postgres:
            return source.conninfo;
        case BackupKind::command:
            return source.describe();
    }
    return "";
}

// Exit 1 (a check said no) naming the file when what was read is not what the manifest recorded.
Result<void> compare_digest(const std::filesystem::path& path, const BackupFile& actual,
                            const BackupFile& expected) {
    if (actual.size != expected.size || actual.sha256 != expected.sha256)
        return fail(ExitCode::said_no,
                    "{}: SHA-256 {} ({} bytes) differs from the manifest's {} ({} bytes)",
                    path.string(), actual.sha256, actual.size, expected.sha256, expected.size);
    return {};
}

Result<void> check_file_digest(const std::filesystem::path& folder, const BackupFile& expected) {
    LAUNCHKIT_TRY_ASSIGN(auto actual, digest_file(folder / expected.path, expected.path));
    return compare_digest(folder / expected.path, actual, expected);
}

// Progress on stderr, except when a script asked for JSON and no one watches a terminal.

bool path_exists(const std::filesystem::path& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0;
}

Result<void> swap_into_place(const std::filesystem::path& staged,
                             const std::filesystem::path& target) {
    if (path_exists(target)) {
        // One atomic exchange: readers see the old tree or the new one, never a gap.
        if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0)
            return fail(ExitCode::environment, "cannot swap {} into place: {}", target.string(),
                        std::strerror(errno));
    } else if (::rename(staged.c_str(), target.c_str()) != 0) {
        return fail(ExitCode::environment, "cannot move the restored tree to {}: {}",
                    target.string(), std::strerror(errno));
    }
    return util::fsync_directory(target.parent_path());
}

Result<void> restore_directory(const BackupManifest& manifest, const std::filesystem::path& folder,
                               const std::filesystem::path& target, const RestoreOptions& options,
                               util::ProgressMeter& progress) {
    std::error_code error;
    if (path_exists(target) && !std::filesystem::is_directory(target, error))
        return fail(ExitCode::invalid_input, "restore target {} exists and is not a directory",
                    target.string());
    auto parent = target.parent_path();
    LAUNCHKIT_TRY(util::create_directories(parent));
    auto staged =
        parent / fmt::format(".{}.launchkit-restore-{}", target.filename().string(), manifest.id);
    error = util::remove_tree(staged);  // left by a restore that was killed
    if (::mkdir(staged.c_str(), 0700) != 0)
        return fail(ExitCode::environment, "cannot create {}: {}", staged.string(),
                    std::strerror(errno));
    auto cleanup = [&] { error = util::remove_tree(staged); };
    const auto& expected = manifest.files.front();
    auto extracted = read_directory_archive(folder / expected.path, expected.path, staged,
                                            {options.allow_external_symlinks, &progress});
    if (!extracted) {
        cleanup();
        return std::unexpected(extracted.error());
    }
    if (auto digest = compare_digest(folder / expected.path, extracted->file, expected); !digest) {
        cleanup();
        return fail(ExitCode::said_no, "{}; nothing was restored", digest.error().message);
    }
    util::crash_point("restore-before-swap");
    if (auto swapped = swap_into_place(staged, target); !swapped) {
        cleanup();
        return swapped;
    }
    cleanup();  // now holds the tree that was replaced
    return {};
}

// Whether backup `id`'s manifest, as it is on disk now, is the one recorded when it was made.
Result<void> check_recorded_manifest(const Context& context, const BackupRepository& repository,
                                     const std::string& id, bool vouched) {
    auto path = repository.folder(id) / "manifest.json";
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
    LAUNCHKIT_TRY_ASSIGN(auto records, recorded_manifests(context));
    if (vouched && !records.contains(id)) return {};
    return check_manifest(records, id, text, path.string());
}

}  // namespace

util::ProgressMeter progress_for(const Context& context, std::string label) {
    bool terminal = stderr_is_terminal(context);
    return util::ProgressMeter(context.json && !terminal ? nullptr : context.err, std::move(label),
                               terminal);
}

Result<CreateOutcome> create_backup(Context& context, const BackupSource& source,
                                    const CreateOptions& options) {
    ignore_file_size_signal();
    auto started = Clock::now();
    auto repository = BackupRepository::in_state_dir(context.state_dir);
    LAUNCHKIT_TRY_ASSIGN(auto staged, repository.stage(context.now()));
    CreateOutcome outcome;
    auto& manifest = outcome.manifest;
    manifest.id = staged.id();
    manifest.source = source.name;
    manifest.kind = source.kind;
    manifest.target = target_of(source);
    manifest.tag = options.tag;
    manifest.labels = options.labels;
    manifest.created_at = util::format_rfc3339(context.now());
    manifest.host = host_name();
    manifest.actor = context.actor;
    manifest.tools["launchkit"] = LAUNCHKIT_VERSION;
    auto file_name = data_file_name(source.kind, source);
    auto data_path = staged.folder() / file_name;
    auto progress = progress_for(context, "backup " + source.name);
    switch (source.kind) {
        case BackupKind::directory: {
            LAUNCHKIT_TRY_ASSIGN(
                auto stats, write_directory_archive(source.path, data_path, file_name, &progress,
                                                    repository.root()));
            LAUNCHKIT_TRY_ASSIGN(manifest.tools["libarchive"], archive_library_version());
            manifest.files.push_back(stats.file);
            manifest.entries = stats.entries;
            manifest.source_bytes = stats.content_bytes;
            manifest.tree_content_sha256 = stats.content_sha256;
            manifest.tree_state_sha256 = stats.state_sha256;
            outcome.warnings = std::move(stats.warnings);
            break;
        }
        case BackupKind::sqlite:
            LAUNCHKIT_TRY(copy_sqlite_database(source.path, data_path));
            manifest.tools["sqlite"] = sqlite_library_version();
            manifest.files.push_back({file_name, 0, ""});
            break;
        case BackupKind::postgres:
            LAUNCHKIT_TRY(dump_postgres(source.conninfo, data_path));
            manifest.tools["pg_dump"] = pg_dump_version();
            manifest.files.push_back({file_name, 0, ""});
            break;
        case BackupKind::command:
            LAUNCHKIT_TRY(run_backup_command(source, data_path));
            manifest.tools["command"] = source.backup_argv.front();
            manifest.files.push_back({file_name, 0, ""});
            break;
    }
    progress.finish();
    LAUNCHKIT_TRY(repository.seal_files(staged, manifest));
    if (manifest.source_bytes == 0) manifest.source_bytes = manifest.stored_bytes();
    manifest.seconds = seconds_since(started);
    LAUNCHKIT_TRY(repository.publish(staged, manifest, [&](std::string_view text) {
        return record_manifest(context, manifest.id, text,
                               fmt::format("backup {} of {}", manifest.id, manifest.source));
    }));
    return outcome;
}

VerifyReport verify_backup(Context& context, const BackupRepository& repository,
                           const BackupManifest& manifest, bool vouched) {
    auto started = Clock::now();
    VerifyReport report;
    report.id = manifest.id;
    auto folder = repository.folder(manifest.id);
    auto progress = progress_for(context, "verify " + manifest.id);
    auto problem = [&](std::string text) {
        report.ok = false;
        report.problems.push_back(std::move(text));
    };
    if (auto trusted = check_recorded_manifest(context, repository, manifest.id, vouched); !trusted)
        problem(trusted.error().message);
    if (manifest.files.empty())
        problem(fmt::format("{}: the manifest lists no files", folder.string()));
    for (const auto& file : manifest.files) {
        auto path = folder / file.path;
        if (manifest.kind == BackupKind::directory) {
            // One pass: the checksum and the archive's own structure, every byte decompressed.
            auto read = read_directory_archive(path, file.path, std::nullopt, {false, &progress});
            if (!read) {
                problem(read.error().message);
                continue;
            }
            if (auto digest = compare_digest(path, read->file, file); !digest)
                problem(digest.error().message);
            else if (manifest.entries != 0 && read->entries != manifest.entries)
                problem(fmt::format("{}: {} entries, the manifest says {}", path.string(),
                                    read->entries, manifest.entries));
            else
                report.check = fmt::format("archive readable, {} entries", read->entries);
            continue;
        }
        if (auto digest = check_file_digest(folder, file); !digest) {
            problem(digest.error().message);
            continue;
        }
        if (manifest.kind == BackupKind::sqlite) {
            auto integrity = check_sqlite_integrity(path);
            if (!integrity)
                problem(integrity.error().message);
            else if (*integrity != "ok")
                problem(fmt::format("{}: PRAGMA integrity_check: {}", path.string(), *integrity));
            else
                report.check = "integrity_check: ok";
        } else if (manifest.kind == BackupKind::postgres) {
            auto entries = list_postgres_dump(path);
            if (!entries)
                problem(entries.error().message);
            else
                report.check = fmt::format("pg_restore --list: {} entries", *entries);
        } else {
            report.check = "checksums";
        }
    }
    if (!report.ok) report.check.clear();
    report.seconds = seconds_since(started);
    return report;
}

Result<RestoreTarget> restore_target(const Context& context, const BackupManifest& manifest,
                                     const RestoreOptions& options) {
    RestoreTarget target;
    auto& source = target.source;
    source.kind = manifest.kind;
    source.name = manifest.source;
    switch (manifest.kind) {
        case BackupKind::directory:
        case BackupKind::sqlite: {
            source.path =
                std::filesystem::absolute(options.to.empty() ? manifest.target : options.to)
                    .lexically_normal();
            if (!source.path.has_filename()) source.path = source.path.parent_path();
            source.name = fmt::format("{}:{}", kind_name(manifest.kind), source.path.string());
            if (source.path == source.path.root_path())
                return fail(ExitCode::invalid_input,
                            "cannot restore over {}: it cannot be swapped out; use --to DIR and "
                            "move what you need from there",
                            source.path.string());
            target.replaces = path_exists(source.path);
            break;
        }
        case BackupKind::postgres:
            source.conninfo = options.to.empty() ? manifest.target : options.to;
            LAUNCHKIT_TRY(check_conninfo_has_no_password(source.conninfo, "--to"));
            source.name = "postgres:" + source.conninfo;
            target.replaces = true;
            break;
        case BackupKind::command: {
            if (!options.to.empty())
                return fail(ExitCode::invalid_input,
                            "--to does not apply to command backups: the restore command decides "
                            "where the data goes");
            LAUNCHKIT_TRY_ASSIGN(source, resolve_backup_source(manifest.source, context.config));
            if (source.kind != BackupKind::command)
                return fail(ExitCode::invalid_input,
                            "backup {} was taken by the command source '{}', which the "
                            "configuration no longer defines as a command",
                            manifest.id, manifest.source);
            target.replaces = true;
            break;
        }
    }
    return target;
}

Result<RestoreOutcome> restore_backup(Context& context, const BackupManifest& manifest,
                                      const RestoreOptions& options) {
    ignore_file_size_signal();
    auto started = Clock::now();
    auto repository = BackupRepository::in_state_dir(context.state_dir);
    auto folder = repository.folder(manifest.id);
    // The manifest says where to restore to: one edited since the backup was made is refused
    // before its target is even looked at.
    LAUNCHKIT_TRY(check_recorded_manifest(context, repository, manifest.id, false));
    LAUNCHKIT_TRY_ASSIGN(auto target, restore_target(context, manifest, options));
    if (manifest.files.empty())
        return fail(ExitCode::environment, "backup {} lists no files", manifest.id);
    // Checked before anything changes; a directory archive is checked while it is extracted into
    // the hidden sibling instead, which is just as harmless and reads it once.
    if (manifest.kind != BackupKind::directory)
        for (const auto& file : manifest.files) LAUNCHKIT_TRY(check_file_digest(folder, file));

    RestoreOutcome outcome;
    outcome.id = manifest.id;
    outcome.target =
        target.source.kind == BackupKind::command ? target.source.name : target.source.describe();
    outcome.how = target.source.describe_restore();
    if (options.safety_backup && target.replaces) {
        CreateOptions safety{.tag = std::string(safety_backup_tag),
                             .labels = {{"restoring", manifest.id}}};
        auto taken = create_backup(context, target.source, safety);
        if (!taken)
            return fail(taken.error().code,
                        "the safety backup of {} failed, so nothing was restored "
                        "(--no-safety-backup skips it): {}",
                        outcome.target, taken.error().message);
        outcome.safety_backup_id = taken->manifest.id;
    }
    auto progress = progress_for(context, "restore " + manifest.id);
    auto data = folder / manifest.files.front().path;
    switch (manifest.kind) {
        case BackupKind::directory: {
            // A symlinked target (`current` → releases/5) keeps its link: the directory it points
            // at is what gets replaced.
            auto directory = target.source.path;
            std::error_code error;
            if (std::filesystem::is_symlink(directory, error) &&
                std::filesystem::is_directory(directory, error))
                directory = std::filesystem::canonical(directory, error);
            LAUNCHKIT_TRY(restore_directory(manifest, folder, directory, options, progress));
            break;
        }
        case BackupKind::sqlite:
            LAUNCHKIT_TRY(restore_sqlite_database(data, target.source.path));
            break;
        case BackupKind::postgres:
            LAUNCHKIT_TRY(restore_postgres(data, target.source.conninfo));
            break;
        case BackupKind::command:
            LAUNCHKIT_TRY(run_restore_command(target.source, data));
            break;
    }
    outcome.seconds = seconds_since(started);
    return outcome;
}

}  // namespace launchkit::backup

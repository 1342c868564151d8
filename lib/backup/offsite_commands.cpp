#include "backup/offsite_commands.h"

#include <algorithm>
#include <future>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "backup/backup_commands.h"
#include "backup/backup_operations.h"
#include "backup/backup_repository.h"
#include "backup/manifest_record.h"
#include "backup/offsite_copy.h"
#include "core/output.h"
#include "util/file_io.h"
#include "util/progress_meter.h"
#include "util/strings.h"

namespace launchkit::backup {
namespace {

std::string id_tag() {
    return fmt::format("{}-id", offsite_tag);
}

// A scratch folder beside the backups for what `verify --offsite` reads back; removed after.
class ScratchFolder {
  public:
    explicit ScratchFolder(std::filesystem::path path) : path_(std::move(path)) {}
    ~ScratchFolder() {
        std::error_code ignored;
        ignored = util::remove_tree(path_);
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

bool looks_like_backup_id(const std::string& text) {
    if (text == "latest" || text.starts_with("latest:")) return true;
    // "20261125T181950.123Z-3f9a2c", or a prefix of one down to its date.
    if (text.size() < 9 || text[8] != 'T' || text.find('/') != std::string::npos) return false;
    return std::all_of(text.begin(), text.begin() + 8, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<std::optional<ResticRepository>> offsite_repository(const Context& context,
                                                           const OffsiteOption& option,
                                                           bool by_default) {
    if (!option && !by_default) return std::optional<ResticRepository>();
    // `--offsite` takes an optional value, so `verify --offsite latest` reads the id as the
    // repository: said plainly rather than as "no repository at latest".
    if (option && looks_like_backup_id(*option))
        return fail(ExitCode::invalid_input,
                    "--offsite {}: that is a backup id, not a restic repository; name the backup "
                    "before --offsite (`backup verify {} --offsite`), or give the repository as "
                    "--offsite=REPO",
                    *option, *option);
    LAUNCHKIT_TRY_ASSIGN(auto repository,
                         ResticRepository::configured(context, option.value_or("")));
    if (!repository && option)
        return fail(ExitCode::invalid_input,
                    "--offsite: no repository given and none configured (backups.offsite.restic "
                    "in launchkit.yaml); pass --offsite REPO");
    return repository;
}

Result<std::map<std::string, std::vector<std::string>>> offsite_snapshots(
    const ResticRepository& repository) {
    LAUNCHKIT_TRY_ASSIGN(auto snapshots, repository.snapshots({std::string(offsite_tag)}));
    std::map<std::string, std::vector<std::string>> by_id;
    for (const auto& snapshot : snapshots)
        if (auto id = snapshot.tag_value(id_tag()); !id.empty())
            by_id[id].push_back(snapshot.short_id.empty() ? snapshot.id : snapshot.short_id);
    return by_id;
}

ExitCode copy_new_backup(Context& context, const ResticRepository& repository,
                         const BackupManifest& manifest, nlohmann::json& json,
                         std::string_view severity) {
    // restic derives its key for every command (about half a second): the repository's id is
    // read while the backup verifies and copies.
    auto reading_id = std::async(std::launch::async, [&] { return repository.repository_id(); });
    std::optional<Result<std::string>> read_id;
    auto repository_id = [&]() -> Result<std::string> {
        if (!read_id) read_id = reading_id.get();
        return *read_id;
    };
    auto copied = copy_offsite(context, repository, repository_id, manifest, {});
    if (reading_id.valid()) reading_id.wait();
    if (!copied) {
        json["offsite"] = {{"repository", repository.describe()},
                           {"pending", true},
                           {"error", copied.error().message}};
        *context.err << fmt::format(
            "{}: backup {} is here but not yet off-site: {}\n"
            "`release-manager backup sync` copies it once {} answers\n",
            severity, manifest.id, util::printable(copied.error().message), repository.describe());
        return ExitCode::environment;
    }
    json["offsite"] = {{"repository", repository.describe()},
                       {"pending", false},
                       {"snapshot", copied->snapshot},
                       {"form", form_name(copied->form)},
                       {"data_added", copied->data_added}};
    return ExitCode::ok;
}

Result<ExitCode> run_backup_sync(Context& context, const BackupSyncOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto offsite, offsite_repository(context, options.offsite, true));
    if (!offsite)
        return fail(ExitCode::invalid_input,
                    "no off-site repository: configure backups.offsite.restic in launchkit.yaml "
                    "or pass --offsite REPO");
    auto repository_id = offsite->repository_id();
    if (!repository_id && options.init) {
        LAUNCHKIT_TRY(offsite->init());
        *context.err << "created the restic repository " << offsite->describe() << '\n';
        repository_id = offsite->repository_id();
    }
    if (!repository_id)
        return fail(ExitCode::environment, "{} (create it with `backup sync --init`)",
                    repository_id.error().message);
    auto local = BackupRepository::in_state_dir(context.state_dir);
    LAUNCHKIT_TRY_ASSIGN(auto listing, local.list());
    LAUNCHKIT_TRY_ASSIGN(auto recorded, recorded_offsite_copies(context));
    LAUNCHKIT_TRY_ASSIGN(auto there, offsite_snapshots(*offsite));
    std::map<std::string, std::string> present;
    for (const auto& [id, snapshots] : there) present[id] = snapshots.back();
    auto json = nlohmann::json::array();
    Table table({"ID", "SOURCE", "RESULT", "SNAPSHOT", "ADDED"});
    bool all_copied = true;
    for (const auto& manifest : listing.backups) {
        auto copies = recorded.find(manifest.id);
        bool recorded_there = copies != recorded.end() && copies->second.contains(*repository_id);
        // Recorded and still there: nothing to do. Recorded but gone (someone forgot it with
        // restic itself) is copied again.
        if (recorded_there && present.contains(manifest.id)) continue;
        auto copy = copy_offsite(
            context, *offsite, [&]() -> Result<std::string> { return *repository_id; }, manifest,
            present);
        if (!copy) {
            all_copied = false;
            json.push_back(
                {{"id", manifest.id}, {"copied", false}, {"error", copy.error().message}});
            table.add_row({manifest.id, manifest.source,
                           colorize("FAILED", Color::red, context.color), "",
                           copy.error().message});
            continue;
        }
        json.push_back({{"id", manifest.id},
                        {"copied", true},
                        {"snapshot", copy->snapshot},
                        {"already_there", copy->already_there},
                        {"form", form_name(copy->form)},
                        {"data_added", copy->data_added}});
        table.add_row({manifest.id, manifest.source,
                       copy->already_there ? "already there (recorded)" : "copied", copy->snapshot,
                       util::format_bytes(copy->data_added)});
    }
    if (context.json)
        print_json(*context.out,
                   {{"repository", offsite->describe()}, {"ok", all_copied}, {"backups", json}});
    else
        table.render_or(*context.out, context.color,
                        fmt::format("every backup is in {} already", offsite->describe()));
    return all_copied ? ExitCode::ok : ExitCode::environment;
}

Result<ExitCode> run_offsite_list(Context& context, const BackupListOptions& options,
                                  const ResticRepository& repository) {
    auto local = BackupRepository::in_state_dir(context.state_dir);
    LAUNCHKIT_TRY_ASSIGN(auto listing, local.list());
    LAUNCHKIT_TRY_ASSIGN(auto remote, list_offsite(repository));
    struct Row {
        BackupManifest manifest;
        bool here = false;
        std::string snapshot;
        std::optional<OffsiteForm> form;
    };
    std::map<std::string, Row> rows;
    for (const auto& manifest : listing.backups) rows[manifest.id] = {manifest, true, "", {}};
    for (const auto& backup : remote) {
        auto& row = rows[backup.described.id];
        if (!row.here) row.manifest = backup.described;
        row.snapshot = backup.snapshot;
        row.form = backup.form;
    }
    auto json = nlohmann::json::array();
    Table table({"ID", "CREATED", "SOURCE", "KIND", "TAG", "WHERE", "SNAPSHOT"});
    for (const auto& [id, row] : rows) {
        const auto& manifest = row.manifest;
        if (!options.source.empty() && manifest.source != options.source) continue;
        if (!options.tag.empty() && manifest.tag != options.tag) continue;
        auto where = row.here && !row.snapshot.empty() ? "both" : row.here ? "local" : "off-site";
        auto entry = row.here ? manifest_json(manifest)
                              : nlohmann::json{{"id", id},
                                               {"source", manifest.source},
                                               {"kind", kind_name(manifest.kind)},
                                               {"tag", manifest.tag},
                                               {"labels", manifest.labels},
                                               {"created_at", manifest.created_at}};
        entry["location"] = where;
        entry["offsite_snapshot"] = string_or_null(row.snapshot);
        entry["offsite_form"] =
            row.form ? nlohmann::json(form_name(*row.form)) : nlohmann::json(nullptr);
        json.push_back(std::move(entry));
        table.add_row({id, manifest.created_at, manifest.source,
                       std::string(kind_name(manifest.kind)), manifest.tag,
                       row.here ? where : colorize(where, Color::yellow, context.color),
                       row.snapshot});
    }
    if (context.json)
        print_json(*context.out, json);
    else
        table.render_or(*context.out, context.color,
                        fmt::format("no backups here or in {}", repository.describe()));
    return ExitCode::ok;
}

Result<ExitCode> run_offsite_verify(Context& context, const BackupVerifyOptions& options,
                                    const ResticRepository& repository) {
    // restic's own check first: the repository's structure, and the data it was asked to read.
    *context.err << fmt::format("checking {}{}\n", repository.describe(),
                                options.read_data_subset.empty()
                                    ? std::string()
                                    : " (reading " + options.read_data_subset + " of the data)")
                 << std::flush;
    LAUNCHKIT_TRY_ASSIGN(auto repository_problems, repository.check(options.read_data_subset));
    LAUNCHKIT_TRY_ASSIGN(auto remote, list_offsite(repository));
    std::vector<const OffsiteBackup*> chosen;
    if (options.all == !options.id.empty())
        return fail(ExitCode::invalid_input, "name one backup id (or 'latest'), or pass --all");
    if (options.all) {
        for (const auto& backup : remote) chosen.push_back(&backup);
    } else {
        std::vector<BackupManifest> described;
        for (const auto& backup : remote) described.push_back(backup.described);
        LAUNCHKIT_TRY_ASSIGN(auto manifest,
                             select_backup(described, options.id, "", repository.describe()));
        for (const auto& backup : remote)
            if (backup.described.id == manifest.id) chosen.push_back(&backup);
    }
    // Each copy read back whole and checked as a local backup is: the manifest against its
    // record, every file's SHA-256, the kind's own check.
    std::vector<VerifyReport> reports;
    if (!repository_problems.empty())
        reports.push_back({.id = "(repository)",
                           .ok = false,
                           .check = "restic check",
                           .problems = repository_problems});
    auto scratch_root = BackupRepository::in_state_dir(context.state_dir).root() /
                        fmt::format(".offsite-verify-{}", ::getpid());
    for (const auto* backup : chosen) {
        ScratchFolder scratch(scratch_root);
        VerifyReport report;
        report.id = backup->described.id;
        auto read = [&]() -> Result<void> {
            auto folder = scratch.path() / backup->described.id;
            std::error_code error;
            std::filesystem::create_directories(folder, error);
            if (error)
                return fail(ExitCode::environment, "cannot create {}: {}", folder.string(),
                            error.message());
            LAUNCHKIT_TRY_ASSIGN(auto restored,
                                 restore_offsite(context, repository, *backup, folder));
            // The manifest as written is checked against this store's record; a rebuilt
            // archive, against what was rebuilt (its content matched the manifest's).
            report =
                verify_backup(context, BackupRepository(scratch.path()), restored.manifest, true);
            if (backup->form == OffsiteForm::tree)
                report.check = fmt::format(
                    "directory restored, its content as archived; {}{}", report.check,
                    restored.rebuilt_differs ? " (rebuilt here: other bytes, same files)" : "");
            return {};
        }();
        if (!read) {
            report.ok = false;
            report.problems.push_back(read.error().message);
        }
        report.check = report.ok ? fmt::format("snapshot {}: {}", backup->snapshot, report.check)
                                 : report.check;
        reports.push_back(std::move(report));
    }
    return report_verification(
        context, reports, {{"repository", repository.describe()}},
        fmt::format("{}: restic check ok, no launchkit backups in it", repository.describe()));
}

}  // namespace launchkit::backup

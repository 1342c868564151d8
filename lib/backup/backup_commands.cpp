#include "backup/backup_commands.h"

#include <set>

#include <charconv>
#include <iostream>
#include <map>

#include <unistd.h>

#include "backup/backup_operations.h"
#include "backup/backup_repository.h"
#include "backup/manifest_record.h"
#include "backup/offsite_commands.h"
#include "backup/offsite_copy.h"
#include "core/output.h"
#include "util/duration.h"
#include "util/file_io.h"
#include "util/progress_meter.h"
#include "util/strings.h"

namespace launchkit::backup {
namespace {

Result<std::map<std::string, std::string>> parse_labels(const std::vector<std::string>& labels) {
    std::map<std::string, std::string> parsed;
    for (const auto& label : labels) {
        auto equals = label.find('=');
        if (equals == std::string::npos || equals == 0)
            return fail(ExitCode::invalid_input, "--label '{}': expected KEY=VALUE", label);
        parsed[label.substr(0, equals)] = label.substr(equals + 1);
    }
    return parsed;
}

std::string labels_text(const std::map<std::string, std::string>& labels) {
    std::string text;
    for (const auto& [key, value] : labels) text += (text.empty() ? "" : ",") + key + "=" + value;
    return text;
}

void print_warnings(Context& context, const std::vector<std::string>& warnings) {
    for (const auto& warning : warnings) *context.err << "warning: " << warning << '\n';
}

Result<BackupListing> listing_with_warnings(Context& context) {
    auto repository = BackupRepository::in_state_dir(context.state_dir);
    LAUNCHKIT_TRY_ASSIGN(auto listing, repository.list());
    for (const auto& damaged : listing.damaged)
        *context.err << "warning: " << util::printable(damaged.problem) << '\n';
    return listing;
}

Result<int> parse_keep(const std::string& text, std::string_view option) {
    if (text.empty()) return 0;
    if (text == "unlimited") return -1;
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0)
        return fail(ExitCode::invalid_input, "{} '{}': expected a count >= 0 or 'unlimited'",
                    option, text);
    return value;
}

}  // namespace

Result<ExitCode> run_backup_create(Context& context, const BackupCreateOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto labels, parse_labels(options.labels));
    LAUNCHKIT_TRY_ASSIGN(auto source, resolve_backup_source(options.source, context.config));
    if (options.no_offsite && options.offsite)
        return fail(ExitCode::invalid_input, "--offsite and --no-offsite contradict each other");
    // The off-site repository's password is checked before anything is backed up.
    std::optional<ResticRepository> offsite;
    if (!options.no_offsite) {
        LAUNCHKIT_TRY_ASSIGN(offsite, offsite_repository(context, options.offsite, true));
    }
    LAUNCHKIT_TRY_ASSIGN(auto outcome,
                         create_backup(context, source, {.tag = options.tag, .labels = labels}));
    print_warnings(context, outcome.warnings);
    const auto& manifest = outcome.manifest;
    auto json = manifest_json(manifest);
    json["warnings"] = outcome.warnings;
    json["offsite"] = nullptr;
    auto exit = offsite ? copy_new_backup(context, *offsite, manifest, json) : ExitCode::ok;
    if (context.json) {
        print_json(*context.out, json);
        return exit;
    }
    *context.out << fmt::format(
        "backup {} of {}: {} → {} in {}{}\n", manifest.id, source.name,
        util::format_bytes(manifest.source_bytes), util::format_bytes(manifest.stored_bytes()),
        util::format_seconds(manifest.seconds),
        manifest.kind == BackupKind::directory
            ? fmt::format(" ({})", util::count_of(manifest.entries, "entry", "entries"))
            : "");
    if (exit == ExitCode::ok && offsite)
        *context.out << fmt::format("copied off-site to {} as snapshot {} ({} added)\n",
                                    offsite->describe(), json["offsite"].value("snapshot", ""),
                                    util::format_bytes(json["offsite"].value("data_added", 0)));
    return exit;
}

Result<ExitCode> run_backup_list(Context& context, const BackupListOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto offsite, offsite_repository(context, options.offsite, false));
    if (offsite) return run_offsite_list(context, options, *offsite);
    auto repository = BackupRepository::in_state_dir(context.state_dir);
    LAUNCHKIT_TRY_ASSIGN(auto listing, repository.list());
    std::optional<std::string> source_name;
    if (!options.source.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto source, resolve_backup_source(options.source, context.config));
        source_name = source.name;
    }
    // A manifest edited since its backup was made is listed as damaged, as one that no longer
    // parses is: a list that left them out would hide exactly the backups to worry about.
    auto records = recorded_manifests(context);
    if (!records)
        *context.err << "warning: manifests not checked against their records: "
                     << util::printable(records.error().message) << '\n';
    auto damage_of = [&](const BackupManifest& manifest) -> std::string {
        if (!records) return "";
        auto path = repository.folder(manifest.id) / "manifest.json";
        auto text = util::read_file(path);
        if (!text) return text.error().message;
        auto checked = check_manifest(*records, manifest.id, *text, path.string());
        return checked ? "" : checked.error().message;
    };
    // Where each lives, as far as this store knows without asking the repository (`--offsite`
    // asks it).
    auto copies = recorded_offsite_copies(context);
    auto where = [&](const std::string& id) -> std::string {
        if (!copies) return "?";
        auto found = copies->find(id);
        return found != copies->end() && !found->second.empty() ? "both" : "local";
    };
    auto json = nlohmann::json::array();
    Table table({"ID", "CREATED", "SOURCE", "KIND", "TAG", "SIZE", "LABELS", "WHERE", "STATUS"});
    for (const auto& damaged : listing.damaged) {
        json.push_back({{"id", damaged.id}, {"damaged", damaged.problem}});
        table.add_row({damaged.id, "", "", "", "", "", "", "",
                       colorize("DAMAGED: " + damaged.problem, Color::red, context.color)});
    }
    for (const auto& manifest : listing.backups) {
        if (source_name && manifest.source != *source_name) continue;
        if (!options.tag.empty() && manifest.tag != options.tag) continue;
        auto damage = damage_of(manifest);
        auto entry = manifest_json(manifest);
        entry["damaged"] = string_or_null(damage);
        entry["location"] = where(manifest.id);
        json.push_back(std::move(entry));
        table.add_row({manifest.id, manifest.created_at, manifest.source,
                       std::string(kind_name(manifest.kind)), manifest.tag,
                       util::format_bytes(manifest.stored_bytes()), labels_text(manifest.labels),
                       where(manifest.id),
                       damage.empty() ? std::string(records ? "ok" : "?")
                                      : colorize("DAMAGED: " + damage, Color::red, context.color)});
    }
    if (context.json)
        print_json(*context.out, json);
    else
        table.render_or(*context.out, context.color, "no backups in " + repository.root().string());
    return ExitCode::ok;
}

Result<ExitCode> run_backup_show(Context& context, const std::string& id) {
    auto repository = BackupRepository::in_state_dir(context.state_dir);
    LAUNCHKIT_TRY_ASSIGN(auto manifest, repository.find(id));
    if (context.json) {
        print_json(*context.out, manifest_json(manifest));
        return ExitCode::ok;
    }
    auto& out = *context.out;
    out << fmt::format("id:          {}\n", manifest.id)
        << fmt::format("source:      {} ({})\n", manifest.source, kind_name(manifest.kind))
        << fmt::format("target:      {}\n", manifest.target)
        << fmt::format("created:     {} on {} by {}\n", manifest.created_at, manifest.host,
                       manifest.actor)
        << fmt::format("tag:         {}\n", manifest.tag.empty() ? "-" : manifest.tag)
        << fmt::format("labels:      {}\n",
                       manifest.labels.empty() ? "-" : labels_text(manifest.labels))
        << fmt::format("size:        {} read, {} stored{}\n",
                       util::format_bytes(manifest.source_bytes),
                       util::format_bytes(manifest.stored_bytes()),
                       manifest.entries ? fmt::format(", {} entries", manifest.entries) : "")
        << fmt::format("folder:      {}\n", repository.folder(manifest.id).string());
    std::string tools;
    for (const auto& [tool, version] : manifest.tools)
        tools += (tools.empty() ? "" : ", ") + tool + " " + version;
    out << fmt::format("tools:       {}\n\n", tools);
    Table files({"FILE", "SIZE", "SHA-256"});
    for (const auto& file : manifest.files)
        files.add_row({file.path, std::to_string(file.size), file.sha256});
    files.render(out, context.color);
    return ExitCode::ok;
}

Result<ExitCode> run_backup_verify(Context& context, const BackupVerifyOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto offsite, offsite_repository(context, options.offsite, false));
    if (offsite) return run_offsite_verify(context, options, *offsite);
    if (!options.read_data_subset.empty())
        return fail(ExitCode::invalid_input, "--read-data-subset goes with --offsite");
    auto repository = BackupRepository::in_state_dir(context.state_dir);
    if (options.all == !options.id.empty())
        return fail(ExitCode::invalid_input, "name one backup id (or 'latest'), or pass --all");
    std::vector<BackupManifest> targets;
    std::vector<VerifyReport> reports;
    if (options.all) {
        LAUNCHKIT_TRY_ASSIGN(auto listing, repository.list());
        // A folder without a readable manifest fails verification; it is not just a warning.
        for (const auto& damaged : listing.damaged)
            reports.push_back(
                {.id = damaged.id, .ok = false, .check = "", .problems = {damaged.problem}});
        targets = std::move(listing.backups);
        if (targets.empty() && reports.empty())
            return fail(ExitCode::invalid_input, "no backups to verify in {}",
                        repository.root().string());
    } else {
        LAUNCHKIT_TRY_ASSIGN(auto manifest, repository.find(options.id));
        targets.push_back(std::move(manifest));
    }
    for (const auto& manifest : targets)
        reports.push_back(verify_backup(context, repository, manifest));
    return report_verification(context, reports, nlohmann::json::object(), "");
}

ExitCode report_verification(Context& context, const std::vector<VerifyReport>& reports,
                             const nlohmann::json& extra, const std::string& when_none) {
    bool all_ok = std::all_of(reports.begin(), reports.end(), [](auto& r) { return r.ok; });
    if (context.json) {
        auto list = nlohmann::json::array();
        for (const auto& report : reports)
            list.push_back({{"id", report.id},
                            {"ok", report.ok},
                            {"check", string_or_null(report.check)},
                            {"problems", report.problems},
                            {"seconds", report.seconds}});
        auto answer = extra;
        answer["ok"] = all_ok;
        answer["backups"] = std::move(list);
        print_json(*context.out, answer);
    } else {
        Table table({"ID", "RESULT", "CHECK", "PROBLEM"});
        for (const auto& report : reports) {
            auto result = report.ok ? colorize("ok", Color::green, context.color)
                                    : colorize("FAILED", Color::red, context.color);
            table.add_row({report.id, result, report.check,
                           report.problems.empty() ? "" : report.problems.front()});
            for (std::size_t i = 1; i < report.problems.size(); ++i)
                table.add_row({"", "", "", report.problems[i]});
        }
        table.render_or(*context.out, context.color, when_none);
    }
    return all_ok ? ExitCode::ok : ExitCode::said_no;
}

Result<ExitCode> run_backup_restore(Context& context, const BackupRestoreOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto manifest,
                         find_or_fetch_backup(context, options.id, options.environment, [&] {
                             return offsite_repository(context, options.offsite, true);
                         }));
    RestoreOptions restore{.to = options.to,
                           .safety_backup = !options.no_safety_backup,
                           .allow_external_symlinks = options.allow_external_symlinks};
    LAUNCHKIT_TRY_ASSIGN(auto target, restore_target(context, manifest, restore));
    if (target.replaces && !options.yes &&
        !context.confirm(fmt::format("Replace {} with backup {} from {}?", target.source.describe(),
                                     manifest.id, manifest.created_at)))
        return fail(ExitCode::invalid_input,
                    "restoring backup {} replaces {}; pass --yes to confirm", manifest.id,
                    target.source.describe());
    LAUNCHKIT_TRY_ASSIGN(auto outcome, restore_backup(context, manifest, restore));
    if (context.json) {
        print_json(*context.out, {{"id", outcome.id},
                                  {"target", outcome.target},
                                  {"safety_backup", outcome.safety_backup_id
                                                        ? nlohmann::json(*outcome.safety_backup_id)
                                                        : nlohmann::json(nullptr)},
                                  {"seconds", outcome.seconds}});
        return ExitCode::ok;
    }
    *context.out << fmt::format("restored backup {} {} in {}\n", outcome.id, outcome.how,
                                util::format_seconds(outcome.seconds));
    if (outcome.safety_backup_id)
        *context.out << fmt::format("the previous state is backup {} (tag pre-restore)\n",
                                    *outcome.safety_backup_id);
    return ExitCode::ok;
}

Result<RetentionPolicy> parse_retention_policy(const BackupPruneOptions& options) {
    RetentionPolicy policy;
    LAUNCHKIT_TRY_ASSIGN(policy.last, parse_keep(options.keep_last, "--keep-last"));
    LAUNCHKIT_TRY_ASSIGN(policy.hourly, parse_keep(options.keep_hourly, "--keep-hourly"));
    LAUNCHKIT_TRY_ASSIGN(policy.daily, parse_keep(options.keep_daily, "--keep-daily"));
    LAUNCHKIT_TRY_ASSIGN(policy.weekly, parse_keep(options.keep_weekly, "--keep-weekly"));
    LAUNCHKIT_TRY_ASSIGN(policy.monthly, parse_keep(options.keep_monthly, "--keep-monthly"));
    LAUNCHKIT_TRY_ASSIGN(policy.yearly, parse_keep(options.keep_yearly, "--keep-yearly"));
    if (policy.empty())
        return fail(ExitCode::invalid_input,
                    "no retention policy: give at least one --keep-* count above 0 (an empty "
                    "policy would remove every backup)");
    return policy;
}

Result<ExitCode> run_backup_prune(Context& context, const BackupPruneOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto policy, parse_retention_policy(options));
    LAUNCHKIT_TRY_ASSIGN(auto offsite, offsite_repository(context, options.offsite, true));
    LAUNCHKIT_TRY_ASSIGN(auto listing, listing_with_warnings(context));
    std::optional<std::string> source_name;
    if (!options.source.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto source, resolve_backup_source(options.source, context.config));
        source_name = source.name;
    }
    // Off-site, the same policy over the same backups: those only there (this machine never had
    // them, or lost them) take their place in their source's history as described by their tags.
    std::map<std::string, std::vector<std::string>> snapshots;
    std::vector<BackupManifest> offsite_only;
    std::set<std::string> local_ids;
    for (const auto& manifest : listing.backups) local_ids.insert(manifest.id);
    if (offsite) {
        LAUNCHKIT_TRY_ASSIGN(snapshots, offsite_snapshots(*offsite));
        LAUNCHKIT_TRY_ASSIGN(auto remote, list_offsite(*offsite));
        for (const auto& backup : remote)
            if (!local_ids.contains(backup.described.id)) offsite_only.push_back(backup.described);
    }
    // Like restic's default grouping: each source keeps its own history.
    std::map<std::string, std::vector<const BackupManifest*>> groups;
    for (const auto* backups : {&listing.backups, &offsite_only})
        for (const auto& manifest : *backups) {
            if (source_name && manifest.source != *source_name) continue;
            if (!options.tag.empty() && manifest.tag != options.tag) continue;
            groups[manifest.source].push_back(&manifest);
        }
    auto repository = BackupRepository::in_state_dir(context.state_dir);
    if (!options.dry_run && std::filesystem::exists(repository.root())) {
        LAUNCHKIT_TRY(repository.remove_abandoned());
    }
    std::vector<RetentionDecision> decisions;
    for (const auto& [source, backups] : groups)
        for (auto& decision : apply_retention(backups, policy))
            decisions.push_back(std::move(decision));
    auto where = [&](const std::string& id) {
        bool here = local_ids.contains(id);
        bool there = snapshots.contains(id);
        return here && there ? "both" : here ? "local" : "off-site";
    };
    if (!options.dry_run) {
        // Off-site first, in one restic run: when it fails, nothing was removed here either.
        std::vector<std::string> forgotten;
        for (const auto& decision : decisions)
            if (!decision.keep)
                if (auto found = snapshots.find(decision.backup->id); found != snapshots.end())
                    forgotten.insert(forgotten.end(), found->second.begin(), found->second.end());
        if (offsite) {
            LAUNCHKIT_TRY(offsite->forget(forgotten));
        }
        for (const auto& decision : decisions) {
            if (decision.keep) continue;
            const auto& id = decision.backup->id;
            if (local_ids.contains(id)) {
                LAUNCHKIT_TRY(repository.remove(id));
            }
            LAUNCHKIT_TRY(forget_manifest(context, id, "pruned: outside the retention policy"));
        }
    }
    auto kept = nlohmann::json::array();
    auto removed = nlohmann::json::array();
    Table table({"ID", "CREATED", "SOURCE", "TAG", "WHERE", "ACTION", "REASONS"});
    for (const auto& decision : decisions) {
        const auto& manifest = *decision.backup;
        nlohmann::json entry{{"id", manifest.id},
                             {"source", manifest.source},
                             {"created_at", manifest.created_at},
                             {"tag", manifest.tag},
                             {"location", where(manifest.id)},
                             {"reasons", decision.reasons}};
        std::string reasons;
        for (const auto& reason : decision.reasons)
            reasons += (reasons.empty() ? "" : ", ") + reason;
        (decision.keep ? kept : removed).push_back(entry);
        std::string action = decision.keep ? "keep" : options.dry_run ? "would remove" : "removed";
        table.add_row(
            {manifest.id, manifest.created_at, manifest.source, manifest.tag, where(manifest.id),
             decision.keep ? action : colorize(action, Color::red, context.color), reasons});
    }
    if (context.json) {
        print_json(*context.out,
                   {{"dry_run", options.dry_run}, {"keep", kept}, {"remove", removed}});
        return ExitCode::ok;
    }
    if (table.empty()) {
        *context.out << "no backups to prune\n";
        return ExitCode::ok;
    }
    table.render(*context.out, context.color);
    *context.out << fmt::format("{} kept, {} {}\n", kept.size(), removed.size(),
                                options.dry_run ? "would be removed (dry run)" : "removed");
    return ExitCode::ok;
}

std::vector<std::string> backup_ids(const Context& context) {
    std::vector<std::string> ids{"latest"};
    auto listing = BackupRepository::in_state_dir(context.state_dir).list();
    if (!listing) return ids;
    std::set<std::string> tags;
    for (const auto& manifest : listing->backups)
        if (!manifest.tag.empty()) tags.insert(manifest.tag);
    for (const auto& tag : tags) ids.push_back("latest:" + tag);
    for (auto it = listing->backups.rbegin(); it != listing->backups.rend(); ++it)
        ids.push_back(it->id);
    return ids;
}

}  // namespace launchkit::backup

// `release-manager status` and `history`: reading the release ledger.
#include <algorithm>

#include "core/output.h"
#include "version/release_commands.h"
#include "version/release_ledger.h"

namespace launchkit::version {
namespace {

std::string prefix_for(const Context& context, const std::optional<std::string>& flag) {
    return flag.value_or(context.config.release.tag_prefix);
}

nlohmann::json deployment_json(const LedgerEntry& entry) {
    return nlohmann::json{{"environment", entry.environment},
                          {"version", entry.version},
                          {"event", to_string(entry.event)},
                          {"time", entry.time},
                          {"actor", entry.actor},
                          {"note", entry.note}};
}

void render_deployments(std::ostream& out, const std::vector<LedgerEntry>& deployments,
                        bool color) {
    Table table({"ENVIRONMENT", "VERSION", "EVENT", "SINCE", "BY", "NOTE"});
    for (const auto& entry : deployments)
        table.add_row({entry.environment, entry.version, std::string(to_string(entry.event)),
                       entry.time, entry.actor, entry.note});
    table.render(out, color);
}

}  // namespace

Result<ExitCode> run_status(Context& context, const StatusOptions& options) {
    std::string tag_prefix = prefix_for(context, options.tag_prefix);
    std::optional<SemVer> wanted;
    if (!options.version.empty()) {
        auto parsed = parse_semver(options.version);
        if (!parsed) return std::unexpected(parsed.error());
        wanted = *parsed;
    }
    LAUNCHKIT_TRY_ASSIGN(auto ledger, ReleaseLedger::open(context));
    LAUNCHKIT_TRY_ASSIGN(auto entries, ledger.read());

    // The release asked about, or the newest created one.
    const LedgerEntry* release = nullptr;
    std::optional<SemVer> release_version;
    for (const auto& entry : entries) {
        if (entry.event != LedgerEvent::created || entry.tag_prefix != tag_prefix) continue;
        auto version = parse_semver(entry.version);
        if (!version) continue;
        bool match = wanted ? compare_precedence(*version, *wanted) == 0
                            : (!release_version || precedes(*release_version, *version));
        if (match) {
            release = &entry;
            release_version = *version;
        }
    }
    if (wanted && !release) {
        bool deployed_anyway =
            std::any_of(entries.begin(), entries.end(), [&](const LedgerEntry& e) {
                return e.tag_prefix == tag_prefix && e.version == wanted->to_string();
            });
        if (!deployed_anyway)
            return fail(ExitCode::invalid_input, "version {} is not in the release ledger {}",
                        options.version, ledger.location());
    }

    auto deployments = current_deployments(entries, tag_prefix);
    if (!options.environment.empty())
        std::erase_if(deployments,
                      [&](const LedgerEntry& e) { return e.environment != options.environment; });
    std::string version_text = wanted ? wanted->to_string() : (release ? release->version : "");
    std::vector<std::string> running_in;
    for (const auto& entry : deployments)
        if (!version_text.empty() && entry.version == version_text)
            running_in.push_back(entry.environment);

    // With --env the answer is a yes/no for scripts: is this version what runs there now?
    ExitCode code = ExitCode::ok;
    if (!options.environment.empty() && wanted && running_in.empty()) code = ExitCode::said_no;

    if (context.json) {
        nlohmann::json json{{"tag_prefix", tag_prefix},
                            {"version", string_or_null(version_text)},
                            {"release", release ? to_json(*release) : nlohmann::json(nullptr)},
                            {"running_in", running_in},
                            {"environments", nlohmann::json::array()}};
        for (const auto& entry : deployments)
            json["environments"].push_back(deployment_json(entry));
        print_json(*context.out, json);
        return code;
    }
    auto& out = *context.out;
    if (!release && version_text.empty()) {
        out << fmt::format("No releases recorded yet in {}\n", ledger.location());
        return code;
    }
    if (release) {
        out << fmt::format("Release {}: created {} by {}", release->version, release->time,
                           release->actor);
        if (!release->tag.empty()) out << fmt::format(", tag {}", release->tag);
        if (!release->commit.empty())
            out << fmt::format(", commit {}", release->commit.substr(0, 12));
        out << '\n';
        if (!release->signing_key_id.empty())
            out << fmt::format("Signed by key {}: {}\n", release->signing_key_id,
                               release->checksums);
    }
    if (running_in.empty())
        out << fmt::format("{} is not the current version in any {}environment\n", version_text,
                           options.environment.empty() ? "" : "selected ");
    else
        out << fmt::format("Running in: {}\n", fmt::join(running_in, ", "));
    if (!deployments.empty()) {
        out << '\n';
        render_deployments(out, deployments, context.color);
    }
    return code;
}

Result<ExitCode> run_history(Context& context, const HistoryOptions& options) {
    std::string tag_prefix = prefix_for(context, options.tag_prefix);
    LAUNCHKIT_TRY_ASSIGN(auto ledger, ReleaseLedger::open(context));
    LAUNCHKIT_TRY_ASSIGN(auto entries, ledger.read());
    std::erase_if(entries, [&](const LedgerEntry& e) {
        return e.tag_prefix != tag_prefix ||
               (!options.environment.empty() && e.environment != options.environment);
    });
    std::reverse(entries.begin(), entries.end());  // newest first
    if (options.limit > 0 && entries.size() > options.limit) entries.resize(options.limit);

    if (context.json) {
        auto json = nlohmann::json::array();
        for (const auto& entry : entries) json.push_back(to_json(entry));
        print_json(*context.out, json);
        return ExitCode::ok;
    }
    if (entries.empty()) {
        *context.out << fmt::format("No ledger entries in {}\n", ledger.location());
        return ExitCode::ok;
    }
    Table table({"TIME", "EVENT", "VERSION", "ENVIRONMENT", "ACTOR", "DETAIL"});
    for (const auto& entry : entries) {
        std::string detail = entry.note;
        if (entry.event == LedgerEvent::created)
            detail = entry.tag.empty() ? "untagged" : "tag " + entry.tag;
        table.add_row({entry.time, std::string(to_string(entry.event)), entry.version,
                       entry.environment.empty() ? "-" : entry.environment, entry.actor, detail});
    }
    table.render(*context.out, context.color);
    return ExitCode::ok;
}

}  // namespace launchkit::version

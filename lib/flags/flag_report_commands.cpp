// history, audit and stale: the commands that read the audit log and the flags' ages.
#include <algorithm>
#include <cmath>
#include <set>

#include "core/output.h"
#include "flags/flag_commands.h"
#include "flags/flag_repository.h"
#include "flags/names.h"
#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/duration.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::flags {
namespace {

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : std::string(separator)) + part;
    return text;
}

nlohmann::json change_json(const store::AuditRecord& record, const store::AuditChange& change) {
    return {{"sequence", record.sequence},
            {"revision", record.revision},
            {"time", record.note.time},
            {"actor", record.note.actor},
            {"command", record.note.command},
            {"reason", string_or_null(record.note.reason)},
            {"key", change.key},
            {"changes", describe_flag_change(change.old_value, change.new_value)},
            {"old", change.old_value},
            {"new", change.new_value}};
}

}  // namespace

Result<ExitCode> run_history(Context& context, const FlagTarget& target) {
    LAUNCHKIT_TRY(validate_name(target.name, "flag name"));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto key = flag_key(target.name);
    LAUNCHKIT_TRY_ASSIGN(auto records, store->audit(key));
    nlohmann::json entries = nlohmann::json::array();
    Table table({"TIME", "BY", "CHANGE", "REASON"});
    for (const auto& record : records) {
        for (const auto& change : record.changes) {
            if (change.key != key) continue;  // the prefix also matches longer names
            entries.push_back(change_json(record, change));
            table.add_row({record.note.time, record.note.actor,
                           join(describe_flag_change(change.old_value, change.new_value), "; "),
                           record.note.reason});
        }
    }
    if (entries.empty()) {
        // No history at all: most likely a typo, so say what exists.
        LAUNCHKIT_TRY(require_flag(*store, target.name));
    }
    if (context.json) {
        print_json(*context.out, {{"name", target.name}, {"history", std::move(entries)}});
    } else {
        table.render(*context.out, context.color);
    }
    return ExitCode::ok;
}

Result<ExitCode> run_audit(Context& context, const AuditOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    if (options.verify) {
        LAUNCHKIT_TRY_ASSIGN(auto verification, store->verify_audit());
        if (context.json) {
            print_json(*context.out, {{"intact", verification.intact},
                                      {"records", verification.records},
                                      {"head", string_or_null(verification.head_hash)},
                                      {"problem", string_or_null(verification.problem)},
                                      {"store", store->location()}});
        } else if (verification.intact) {
            *context.out << fmt::format("{}: audit log intact ({} records, head {})\n",
                                        store->location(), verification.records,
                                        verification.head_hash.substr(0, 12));
        } else {
            *context.out << colorize("audit log damaged: ", Color::red, context.color)
                         << util::printable(verification.problem) << '\n';
        }
        return verification.intact ? ExitCode::ok : ExitCode::said_no;
    }
    LAUNCHKIT_TRY_ASSIGN(auto records, store->audit(flag_key_prefix));
    nlohmann::json entries = nlohmann::json::array();
    Table table({"#", "TIME", "BY", "FLAG", "CHANGE", "REASON"});
    for (const auto& record : records) {
        for (const auto& change : record.changes) {
            entries.push_back(change_json(record, change));
            table.add_row({std::to_string(record.sequence), record.note.time, record.note.actor,
                           change.key.substr(flag_key_prefix.size()),
                           join(describe_flag_change(change.old_value, change.new_value), "; "),
                           record.note.reason});
        }
    }
    if (context.json) {
        print_json(*context.out, {{"audit", std::move(entries)}});
    } else if (entries.empty()) {
        *context.out << "no flag changes recorded yet\n";
    } else {
        table.render(*context.out, context.color);
    }
    return ExitCode::ok;
}

Result<ExitCode> run_watch(Context& context, const WatchFlagsOptions& options) {
    for (const auto& name : options.names) LAUNCHKIT_TRY(validate_name(name, "flag name"));
    std::optional<std::chrono::milliseconds> timeout;
    if (!options.timeout.empty()) {
        LAUNCHKIT_TRY_ASSIGN(timeout, util::parse_duration(options.timeout));
    }
    LAUNCHKIT_TRY_ASSIGN(auto interval, util::parse_duration(options.interval));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    std::set<std::string> keys;
    for (const auto& name : options.names) {
        LAUNCHKIT_TRY(require_flag(*store, name));  // a typo is named now, not waited on
        keys.insert(flag_key(name));
    }
    LAUNCHKIT_TRY_ASSIGN(std::int64_t printed_through, store->revision());
    *context.err << fmt::format(
                        "watching {} in {} from revision {}{}\n",
                        options.names.empty() ? "every flag" : join(options.names, ", "),
                        store->location(), printed_through,
                        timeout ? " for " + util::format_duration(*timeout) : " (Ctrl-C stops)")
                 << std::flush;
    // Deadlines run on the steady clock: a wall-clock step must not end or stretch the watch.
    auto deadline = std::chrono::steady_clock::now() + timeout.value_or(std::chrono::hours(0));
    size_t printed = 0;
    while (true) {
        auto wait = std::chrono::milliseconds(std::chrono::minutes(1));
        if (timeout) {
            auto now = std::chrono::steady_clock::now();
            if (now >= deadline) break;
            wait = std::min(wait,
                            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
        }
        LAUNCHKIT_TRY_ASSIGN(bool changed, store->wait_for_commit(printed_through, wait, interval));
        if (!changed) continue;
        // Everything up to this revision is printed now; later records come next round.
        LAUNCHKIT_TRY_ASSIGN(std::int64_t through, store->revision());
        LAUNCHKIT_TRY_ASSIGN(auto records, store->audit_since(flag_key_prefix, printed_through));
        for (const auto& record : records) {
            if (record.revision <= printed_through || record.revision > through) continue;
            for (const auto& change : record.changes) {
                if (!keys.empty() && !keys.contains(change.key)) continue;
                auto name = change.key.substr(flag_key_prefix.size());
                if (context.json) {
                    auto json = change_json(record, change);
                    json["name"] = name;
                    *context.out << util::dump_json(json) << '\n';
                } else {
                    *context.out
                        << util::printable(fmt::format(
                               "{}  {}  {}: {}{}", record.note.time, record.note.actor, name,
                               join(describe_flag_change(change.old_value, change.new_value), "; "),
                               record.note.reason.empty() ? "" : " (" + record.note.reason + ")"))
                        << '\n';
                }
                *context.out << std::flush;
                if (options.count > 0 && ++printed >= options.count) return ExitCode::ok;
            }
        }
        printed_through = through;
    }
    return options.count > 0 ? ExitCode::said_no : ExitCode::ok;
}

Result<ExitCode> run_stale(Context& context, const StaleFlagsOptions& options) {
    int days = options.days.value_or(context.config.flags.stale_after_days);
    if (days < 1) return fail(ExitCode::invalid_input, "--days must be at least 1, got {}", days);
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto flags, list_flags(*store));
    auto now = context.now();
    auto today = util::format_date(now);
    nlohmann::json stale = nlohmann::json::array();
    Table table({"NAME", "OWNER", "WHY", "LAST CHANGE"});
    for (const auto& flag : flags) {
        std::vector<std::string> reasons;
        if (!flag.expires.empty() && flag.expires < today)
            reasons.push_back(fmt::format("expired on {}", flag.expires));
        auto last_changed = flag.last_changed_at();
        if (auto changed_at = util::parse_rfc3339(last_changed)) {
            // In double: a hand-edited change time of 1678 is further back than nanoseconds reach.
            auto idle = static_cast<long long>(
                std::floor(util::seconds_between(*changed_at, now) / 86'400));
            if (idle >= days)
                reasons.push_back(
                    fmt::format("untouched for {} day{}", idle, idle == 1 ? "" : "s"));
        }
        if (reasons.empty()) continue;
        stale.push_back({{"name", flag.name},
                         {"owner", string_or_null(flag.owner)},
                         {"expires", string_or_null(flag.expires)},
                         {"last_changed_at", string_or_null(last_changed)},
                         {"reasons", reasons}});
        table.add_row({flag.name, flag.owner, join(reasons, "; "), last_changed});
    }
    if (context.json) {
        print_json(*context.out, {{"days", days}, {"stale", stale}});
    } else if (stale.empty()) {
        *context.out << fmt::format("no stale flags (none expired, none untouched for {} day{})\n",
                                    days, days == 1 ? "" : "s");
    } else {
        table.render(*context.out, context.color);
    }
    return stale.empty() ? ExitCode::ok : ExitCode::said_no;
}

}  // namespace launchkit::flags

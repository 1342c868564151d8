#include "version/deploy_stats.h"

#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/output.h"
#include "util/duration.h"

namespace launchkit::version {
namespace {

std::optional<double> seconds_between(const std::string& from, const std::string& to) {
    auto start = util::parse_rfc3339(from);
    auto end = util::parse_rfc3339(to);
    if (!start || !end || *end < *start) return std::nullopt;
    return std::chrono::duration<double>(*end - *start).count();
}

struct Mean {
    double sum = 0;
    int count = 0;
    void add(std::optional<double> value) {
        if (!value) return;
        sum += *value;
        ++count;
    }
    std::optional<double> value() const {
        return count ? std::optional<double>(sum / count) : std::nullopt;
    }
};

nlohmann::json optional_number(const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string duration_text(const std::optional<double>& seconds) {
    if (!seconds) return "-";
    return util::format_duration(
        std::chrono::milliseconds(static_cast<long long>(*seconds * 1000)));
}

std::string percent_text(const std::optional<double>& ratio) {
    return ratio ? fmt::format("{:.1f}%", *ratio * 100) : "-";
}

}  // namespace

DeployStats compute_deploy_stats(const std::vector<LedgerEntry>& entries,
                                 const std::string& tag_prefix, const std::string& environment,
                                 util::TimePoint since, util::TimePoint now) {
    DeployStats stats;
    stats.environment = environment;
    stats.window_days = std::chrono::duration<double>(now - since).count() / 86'400;
    std::map<std::string, std::string> created;  // version → when its release was created
    std::map<std::string, const LedgerEntry*> last_by_run;
    Mean deploy_time;
    Mean restore_time;
    Mean lead_time;
    bool has_production = false;
    for (const auto& entry : entries)
        if (entry.environment == "production") has_production = true;
    auto lead_environment = !environment.empty() ? environment
                            : has_production     ? std::string("production")
                                                 : std::string();
    // A drill's upgrade and rollback are rehearsals: they must not move the real rates.
    std::set<std::string> drill_runs;
    Mean drill_rollback;
    Mean drill_recovery;
    for (const auto& entry : entries) {
        if (entry.event != LedgerEvent::drilled) continue;
        drill_runs.insert(entry.run_id);
        drill_runs.insert(entry.rollback_run_id);
    }
    for (const auto& entry : entries) {
        if (entry.tag_prefix != tag_prefix) continue;
        if (entry.event == LedgerEvent::drilled) {
            auto time = util::parse_rfc3339(entry.time);
            if (!time || *time < since) continue;
            if (!environment.empty() && entry.environment != environment) continue;
            ++stats.drills;
            if (entry.outcome == "passed") ++stats.drills_passed;
            if (entry.rollback_seconds) drill_rollback.add(*entry.rollback_seconds);
            if (entry.recovery_seconds) drill_recovery.add(*entry.recovery_seconds);
            continue;
        }
        if (!entry.run_id.empty() && drill_runs.contains(entry.run_id)) continue;
        if (entry.event == LedgerEvent::created) {
            created.emplace(entry.version, entry.time);
            continue;
        }
        auto time = util::parse_rfc3339(entry.time);
        if (!time || *time < since) continue;
        if (!environment.empty() && entry.environment != environment) continue;
        if (entry.event == LedgerEvent::deployed && !entry.run_id.empty()) {
            ++stats.deployments;
            deploy_time.add(seconds_between(entry.started_at, entry.time));
        }
        if (entry.outcome == "rolled_back")
            restore_time.add(seconds_between(entry.started_at, entry.time));
        if (entry.event == LedgerEvent::deployed &&
            (lead_environment.empty() || entry.environment == lead_environment)) {
            auto release = created.find(entry.version);
            if (release != created.end())
                lead_time.add(seconds_between(release->second, entry.time));
        }
        if (!entry.run_id.empty()) last_by_run[entry.run_id] = &entry;
    }
    for (const auto& [run, entry] : last_by_run) {
        ++stats.runs;
        if (entry->outcome == "succeeded")
            ++stats.succeeded;
        else if (entry->outcome == "rolled_back")
            ++stats.rolled_back;
        else
            ++stats.failed;
    }
    if (stats.runs > 0) {
        stats.success_rate = static_cast<double>(stats.succeeded) / stats.runs;
        stats.rollback_rate = static_cast<double>(stats.rolled_back) / stats.runs;
    }
    stats.mean_time_to_deploy_seconds = deploy_time.value();
    stats.mean_time_to_restore_seconds = restore_time.value();
    stats.lead_time_seconds = lead_time.value();
    stats.lead_time_samples = lead_time.count;
    stats.drill_rollback_seconds = drill_rollback.value();
    stats.drill_recovery_seconds = drill_recovery.value();
    if (stats.window_days > 0) stats.deployments_per_day = stats.deployments / stats.window_days;
    return stats;
}

nlohmann::json to_json(const DeployStats& stats) {
    return {{"environment", string_or_null(stats.environment)},
            {"window_days", stats.window_days},
            {"runs", stats.runs},
            {"succeeded", stats.succeeded},
            {"rolled_back", stats.rolled_back},
            {"failed", stats.failed},
            {"success_rate", optional_number(stats.success_rate)},
            {"rollback_rate", optional_number(stats.rollback_rate)},
            {"mean_time_to_deploy_seconds", optional_number(stats.mean_time_to_deploy_seconds)},
            {"mean_time_to_restore_seconds", optional_number(stats.mean_time_to_restore_seconds)},
            {"deployments", stats.deployments},
            {"deployments_per_day", stats.deployments_per_day},
            {"lead_time_seconds", optional_number(stats.lead_time_seconds)},
            {"lead_time_samples", stats.lead_time_samples},
            {"drills", stats.drills},
            {"drills_passed", stats.drills_passed},
            {"drill_rollback_seconds", optional_number(stats.drill_rollback_seconds)},
            {"drill_recovery_seconds", optional_number(stats.drill_recovery_seconds)}};
}

Result<ExitCode> run_stats(Context& context, const StatsOptions& options) {
    auto window = util::parse_duration(options.since);
    if (!window) return fail(ExitCode::invalid_input, "--since: {}", window.error().message);
    ReleaseLedger ledger(context.state_dir);
    LAUNCHKIT_TRY_ASSIGN(auto entries, ledger.read());
    auto prefix = options.tag_prefix.value_or(context.config.release.tag_prefix);
    auto now = context.now();
    auto stats = compute_deploy_stats(entries, prefix, options.environment, now - *window, now);
    if (context.json) {
        print_json(*context.out, to_json(stats));
        return ExitCode::ok;
    }
    Table table({"METRIC", "VALUE", "FROM"});
    table.add_row({"deployment success rate", percent_text(stats.success_rate),
                   fmt::format("{} of {} runs", stats.succeeded, stats.runs)});
    table.add_row({"rollback rate (change failure rate)", percent_text(stats.rollback_rate),
                   fmt::format("{} rolled back, {} failed", stats.rolled_back, stats.failed)});
    table.add_row({"mean time to deploy", duration_text(stats.mean_time_to_deploy_seconds),
                   "run start → deployed"});
    table.add_row({"mean time to restore", duration_text(stats.mean_time_to_restore_seconds),
                   "rollback start → rolled back"});
    table.add_row({"deployment frequency", fmt::format("{:.2f}/day", stats.deployments_per_day),
                   fmt::format("{} deploys over {} days", stats.deployments,
                               std::lround(stats.window_days))});
    table.add_row(
        {"lead time", duration_text(stats.lead_time_seconds),
         fmt::format("release created → deployed ({} releases)", stats.lead_time_samples)});
    table.add_row({"rollback drills",
                   fmt::format("{} of {} passed", stats.drills_passed, stats.drills),
                   "release-manager drill"});
    table.add_row({"drill rollback time", duration_text(stats.drill_rollback_seconds),
                   "rollback start → rolled back (mean)"});
    table.add_row({"drill recovery time", duration_text(stats.drill_recovery_seconds),
                   "rollback start → healthy (mean)"});
    table.render(*context.out, context.color);
    return ExitCode::ok;
}

}  // namespace launchkit::version

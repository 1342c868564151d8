#include "version/deploy_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/output.h"
#include "report/stats_report_html.h"
#include "util/duration.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::version {
namespace {

std::optional<double> seconds_between(const std::string& from, const std::string& to) {
    auto start = util::parse_rfc3339(from);
    auto end = util::parse_rfc3339(to);
    if (!start || !end || *end < *start) return std::nullopt;
    return util::seconds_between(*start, *end);
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
    return util::format_seconds(*seconds);
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
    std::optional<util::TimePoint> first_record;
    std::set<std::string> attempted;
    for (const auto& entry : entries) {
        if (entry.tag_prefix != tag_prefix) continue;
        if (auto time = util::parse_rfc3339(entry.time);
            time && (!first_record || *time < *first_record))
            first_record = *time;
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
        if (entry.outcome == "rolled_back") {
            auto restore = seconds_between(entry.started_at, entry.time);
            restore_time.add(restore);
            stats.downtime_seconds += restore.value_or(0);
        }
        if (!entry.run_id.empty() &&
            (entry.event == LedgerEvent::deployed || entry.event == LedgerEvent::deploy_failed))
            attempted.insert(entry.version);
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
    auto span_start = first_record ? std::max(since, *first_record) : since;
    stats.span_days =
        std::max(1.0, std::chrono::duration<double>(now - span_start).count() / 86'400);
    stats.span_days = std::min(stats.span_days, std::max(1.0, stats.window_days));
    stats.deployments_per_day = stats.deployments / stats.span_days;
    stats.incidents = stats.rolled_back + stats.failed;
    stats.releases = static_cast<int>(attempted.size());
    if (stats.runs > 0)
        stats.incidents_per_release =
            static_cast<double>(stats.incidents) / std::max(1, stats.releases);
    return stats;
}

std::vector<MetricTarget> success_targets(const DeployStats& stats) {
    auto below = [](const std::optional<double>& value, double limit) -> std::optional<bool> {
        if (!value) return std::nullopt;
        return *value < limit;
    };
    std::optional<bool> success;
    if (stats.success_rate) success = *stats.success_rate > 0.95;
    std::optional<bool> downtime;
    if (stats.runs > 0) downtime = stats.downtime_seconds == 0;
    return {
        {"success_rate", "> 95%", success},
        {"mean_time_to_deploy_seconds", "< 60 min", below(stats.mean_time_to_deploy_seconds, 3600)},
        {"rollback_rate", "< 5%", below(stats.rollback_rate, 0.05)},
        {"incidents_per_release", "< 2", below(stats.incidents_per_release, 2)},
        {"downtime_seconds", "0 min", downtime}};
}

nlohmann::json to_json(const DeployStats& stats) {
    nlohmann::json targets = nlohmann::json::object();
    for (const auto& target : success_targets(stats))
        targets[target.metric] = {
            {"target", target.target},
            {"met", target.met ? nlohmann::json(*target.met) : nlohmann::json(nullptr)}};
    return {{"environment", string_or_null(stats.environment)},
            {"window_days", stats.window_days},
            {"span_days", stats.span_days},
            {"releases", stats.releases},
            {"incidents", stats.incidents},
            {"incidents_per_release", optional_number(stats.incidents_per_release)},
            {"downtime_seconds", stats.downtime_seconds},
            {"targets", targets},
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
    LAUNCHKIT_TRY_ASSIGN(auto ledger, ReleaseLedger::open(context));
    LAUNCHKIT_TRY_ASSIGN(auto entries, ledger.read());
    auto prefix = options.tag_prefix.value_or(context.config.release.tag_prefix);
    auto now = context.now();
    auto stats = compute_deploy_stats(entries, prefix, options.environment, now - *window, now);
    if (!options.html.empty()) {
        auto page = report::render_stats_report(entries, prefix, options.environment, *window, now);
        LAUNCHKIT_TRY(util::write_file_atomically(options.html, page, 0644));
        *context.err << "wrote " << options.html.string() << '\n';
    }
    if (context.json) {
        print_json(*context.out, to_json(stats));
        return ExitCode::ok;
    }
    std::map<std::string, std::string> target_text;
    for (const auto& target : success_targets(stats)) {
        auto mark = !target.met   ? std::string("-")
                    : *target.met ? colorize("✓", Color::green, context.color)
                                  : colorize("✗", Color::red, context.color);
        target_text[target.metric] = target.target + " " + mark;
    }
    Table table({"METRIC", "VALUE", "TARGET", "FROM"});
    table.add_row({"deployment success rate", percent_text(stats.success_rate),
                   target_text["success_rate"],
                   fmt::format("{} of {}", stats.succeeded, util::count_of(stats.runs, "run"))});
    table.add_row({"rollback rate (change failure rate)", percent_text(stats.rollback_rate),
                   target_text["rollback_rate"],
                   fmt::format("{} rolled back, {} failed", stats.rolled_back, stats.failed)});
    table.add_row({"mean time to deploy", duration_text(stats.mean_time_to_deploy_seconds),
                   target_text["mean_time_to_deploy_seconds"], "run start → deployed"});
    table.add_row({"mean time to restore", duration_text(stats.mean_time_to_restore_seconds), "",
                   "rollback start → rolled back"});
    table.add_row({"post-release incidents",
                   stats.incidents_per_release
                       ? fmt::format("{:.1f} per release", *stats.incidents_per_release)
                       : "-",
                   target_text["incidents_per_release"],
                   fmt::format("{} over {}",
                               util::count_of(stats.incidents, "rollback or failure",
                                              "rollbacks and failures"),
                               util::count_of(stats.releases, "release"))});
    table.add_row({"deployment downtime",
                   stats.runs > 0 ? duration_text(stats.downtime_seconds) : "-",
                   target_text["downtime_seconds"], "failed health gate → rolled back (total)"});
    table.add_row(
        {"deployment frequency", fmt::format("{:.2f}/day", stats.deployments_per_day), "",
         fmt::format("{} over {}", util::count_of(stats.deployments, "deploy"),
                     util::count_of(static_cast<size_t>(std::lround(stats.span_days)), "day"))});
    table.add_row({"lead time", duration_text(stats.lead_time_seconds), "",
                   fmt::format("release created → deployed ({})",
                               util::count_of(stats.lead_time_samples, "release"))});
    table.add_row({"rollback drills",
                   fmt::format("{} of {} passed", stats.drills_passed, stats.drills), "",
                   "release-manager drill"});
    table.add_row({"drill rollback time", duration_text(stats.drill_rollback_seconds), "",
                   "rollback start → rolled back (mean)"});
    table.add_row({"drill recovery time", duration_text(stats.drill_recovery_seconds), "",
                   "rollback start → healthy (mean)"});
    table.render(*context.out, context.color);
    return ExitCode::ok;
}

}  // namespace launchkit::version

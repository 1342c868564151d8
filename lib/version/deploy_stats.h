// The Release Management Playbook's success metrics from the release ledger: deployment success
// rate, rollback rate (change failure rate), mean time to deploy, mean time to restore, deployment
// frequency, and lead time from release creation to deploy.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/context.h"
#include "version/release_ledger.h"

namespace launchkit::version {

struct DeployStats {
    std::string environment{};  // empty: every environment (lead time: to production if any)
    double window_days = 0;
    // What the ledger covers of the window (from its first record, if later), at least a day:
    // two deploys in a ledger begun yesterday are not 2/30 a day.
    double span_days = 0;
    int runs = 0;  // playbook runs that ended in the window
    int succeeded = 0;
    int rolled_back = 0;  // ended rolled back, or were rolled back later
    int failed = 0;       // aborted, or their rollback failed
    std::optional<double> success_rate{};
    std::optional<double> rollback_rate{};
    std::optional<double> mean_time_to_deploy_seconds{};
    std::optional<double> mean_time_to_restore_seconds{};
    int deployments = 0;  // successful deploys in the window, even if rolled back later
    double deployments_per_day = 0;
    std::optional<double> lead_time_seconds{};  // mean, release created → deployed
    int lead_time_samples = 0;
    // Rollback drills (the Mycelia Rollback Procedures's monthly drills): their runs are not
    // counted above.
    // The Release Management Playbook's remaining success metrics: post-release incidents (runs
    // rolled back or failed) per release deployed, and downtime (time from a failed health gate's
    // rollback start until rolled back).
    int releases = 0;  // distinct versions deployed or attempted in the window
    int incidents = 0;
    std::optional<double> incidents_per_release{};
    double downtime_seconds = 0;
    int drills = 0;
    int drills_passed = 0;
    std::optional<double> drill_rollback_seconds{};  // mean time to complete the rollback
    std::optional<double> drill_recovery_seconds{};  // mean time until healthy again
};

DeployStats compute_deploy_stats(const std::vector<LedgerEntry>& entries,
                                 const std::string& tag_prefix, const std::string& environment,
                                 util::TimePoint since, util::TimePoint now);

// One success metric's target and whether it was met (none: no data to say).
struct MetricTarget {
    std::string metric;  // the JSON field
    std::string target;  // "> 95%"
    std::optional<bool> met;
};
std::vector<MetricTarget> success_targets(const DeployStats& stats);

nlohmann::json to_json(const DeployStats& stats);

struct StatsOptions {
    std::string environment{};
    std::string since = "30d";
    std::optional<std::string> tag_prefix{};
    std::filesystem::path html{};  // also write the metrics week by week as an HTML page
};

Result<ExitCode> run_stats(Context& context, const StatsOptions& options);

}  // namespace launchkit::version

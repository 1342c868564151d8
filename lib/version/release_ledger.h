// The release ledger: an append-only JSON-lines file in the state directory recording every release
// created and, through the same API, deploys and rollbacks per environment.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit::version {

// deploy_failed: a playbook run that ended neither deployed nor rolled back (aborted, or its
// rollback failed); it changes nothing about what runs where.
// `drilled`: a rehearsal (release-manager drill) of an upgrade and its rollback, with timings.
enum class LedgerEvent { created, deployed, rolled_back, deploy_failed, drilled };

std::string_view to_string(LedgerEvent event);

struct LedgerEntry {
    std::string time{};  // RFC 3339, UTC
    LedgerEvent event = LedgerEvent::created;
    std::string version{};      // SemVer, without the tag prefix
    std::string tag_prefix{};   // which component of a monorepo ("v", "api-v")
    std::string environment{};  // deploys and rollbacks only
    std::string tag{};          // releases only; empty with --no-tag
    std::string commit{};       // releases only
    std::string repository{};   // work tree the release was created in
    std::string actor{};
    std::string note{};        // free text: rollback reason, replaced version, ...
    std::string run_id{};      // the playbook run that deployed or rolled back
    std::string started_at{};  // when that run started (deploy) or its rollback began (RFC 3339)
    std::string outcome{};     // that run's status: succeeded, rolled_back, failed, rollback_failed
    // Drills only: the rollback's run, how long the rollback took and how long until the service
    // passed its health checks again (the Mycelia Rollback Procedures's rollback time and recovery
    // time).
    std::string rollback_run_id{};
    std::optional<double> rollback_seconds{};
    std::optional<double> recovery_seconds{};
};

nlohmann::json to_json(const LedgerEntry& entry);

class ReleaseLedger {
  public:
    explicit ReleaseLedger(const std::filesystem::path& state_dir);

    const std::filesystem::path& path() const { return path_; }

    // Appends one entry under the ledger's lock, fsync'd before returning.
    Result<void> append(const LedgerEntry& entry) const;

    // All entries, oldest first. A line that is not a valid entry is reported with path:line.
    Result<std::vector<LedgerEntry>> read() const;

    // Records that `version` now runs in `environment` (a deploy) or was rolled back to.
    Result<void> record_deploy(const std::string& version, const std::string& tag_prefix,
                               const std::string& environment, const std::string& actor,
                               const std::string& time, const std::string& note = "") const;
    Result<void> record_rollback(const std::string& version, const std::string& tag_prefix,
                                 const std::string& environment, const std::string& actor,
                                 const std::string& time, const std::string& reason) const;

  private:
    std::filesystem::path state_dir_;
    std::filesystem::path path_;
};

// Which version each environment runs now according to `entries` (the latest deploy or rollback).
std::vector<LedgerEntry> current_deployments(const std::vector<LedgerEntry>& entries,
                                             const std::string& tag_prefix);
// The version running in `environment` now, or "" when nothing was deployed there.
std::string running_version(const std::vector<LedgerEntry>& entries, const std::string& tag_prefix,
                            const std::string& environment);

}  // namespace launchkit::version

// The release ledger: an append-only list of JSON entries recording every release created and,
// through the same API, deploys and rollbacks per environment. A JSON-lines file in the state
// directory, or lines under PREFIX/releases/ in etcd when the state is shared.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "core/context.h"
#include "store/etcd_log.h"

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
    // Releases made with `create --sign`: the minisign key that signed the checksums file, where
    // that file was written, and its SHA-256 (what `require_signed` checks before a deploy).
    std::string signing_key_id{};
    std::string checksums{};
    std::string checksums_sha256{};
};

nlohmann::json to_json(const LedgerEntry& entry);

class ReleaseLedger {
  public:
    // The ledger in `state_dir`.
    explicit ReleaseLedger(const std::filesystem::path& state_dir);
    // The shared ledger: lines of `log`.
    explicit ReleaseLedger(store::EtcdLog log);
    // The ledger the context's state lives in (exit 3 when etcd cannot be reached).
    static Result<ReleaseLedger> open(const Context& context);

    // releases.jsonl's path, or "etcd http://... PREFIX/releases/", for messages.
    std::string location() const;
    // releases.jsonl; empty when the ledger is in etcd.
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
    std::shared_ptr<store::EtcdLog> shared_;  // set when the ledger is in etcd
};

// The context's ledger, opened and read / appended to in one call.
Result<std::vector<LedgerEntry>> read_ledger(const Context& context);
Result<void> append_to_ledger(const Context& context, const LedgerEntry& entry);

// Which version each environment runs now according to `entries` (the latest deploy or rollback).
std::vector<LedgerEntry> current_deployments(const std::vector<LedgerEntry>& entries,
                                             const std::string& tag_prefix);
// The version running in `environment` now, or "" when nothing was deployed there.
std::string running_version(const std::vector<LedgerEntry>& entries, const std::string& tag_prefix,
                            const std::string& environment);

}  // namespace launchkit::version

// The demo service's state: which release runs (a stable one and maybe a canary with a share of
// traffic; deployment.json), how each release behaves (config/releases.yaml), and the SQLite
// database the upgrade playbooks back up, migrate and restore (demo.db).
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace demo {

// How a release behaves: what a "bad release" changes.
struct ReleaseBehaviour {
    double error_rate = 0.002;
    double latency_ms = 120;
    int schema = 1;        // the database schema the release needs to be ready
    double cpu = 0.35;     // fraction of a core
    double memory = 0.40;  // fraction of the memory limit
    double connections = 200;
    // The Artifortress runbook's backlog: what this release leaves pending in the outbox and
    // failed in the search jobs (a bad release grows them, and the backlog trigger fires).
    double outbox_pending = 0;
    double failed_search_jobs = 0;
};

struct Deployment {
    std::string stable_version = "1.0.0";
    std::string canary_version{};  // empty: no canary
    int canary_weight = 0;         // % of traffic on the canary
    bool ready_override = true;    // false: /health/ready answers not_ready regardless
    std::map<std::string, ReleaseBehaviour> overrides{};  // set by a deploy call for a version
};

// The newest schema `migrate` knows.
constexpr int latest_schema = 3;

class ServiceState {
  public:
    // Opens (creating if needed) DATA_DIR/demo.db and reads DATA_DIR/config/releases.yaml.
    explicit ServiceState(std::filesystem::path data_dir);

    Deployment deployment() const;
    ReleaseBehaviour behaviour_of(const std::string& version) const;
    int schema_version() const;
    long item_count() const;

    // What clients see right now: traffic split between stable and canary by weight.
    nlohmann::json status() const;
    double error_rate() const;
    double latency_p95_ms() const;
    // Any number of a release's behaviour, blended over stable and canary by traffic weight;
    // `track` "canary" or "stable" reads that release alone (a canary judged on its own).
    double blended(double ReleaseBehaviour::*field, const std::string& track = {}) const;
    std::optional<std::string> not_ready_reason() const;

    void deploy(const std::string& version, const std::string& track,
                std::optional<double> error_rate, std::optional<double> latency_ms);
    void set_weight(int weight);
    void promote();
    void set_ready(bool ready);
    long add_item(const std::string& name);
    std::optional<std::string> item(long id) const;

  private:
    void save(const Deployment& deployment);

    std::filesystem::path data_dir_;
    mutable std::mutex mutex_;
};

// Applies schema migrations up to `target` to DATA_DIR/demo.db; returns the schema before.
int migrate_database(const std::filesystem::path& data_dir, int target);

}  // namespace demo

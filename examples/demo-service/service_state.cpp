#include "service_state.h"

#include <chrono>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <sqlite3.h>
#include <yaml-cpp/yaml.h>

namespace demo {
namespace {

struct ConnectionDeleter {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionDeleter>;

// A connection per operation: a restore that copies pages into the file, or a migration from
// another process, is seen by the next request without a restart.
Connection open_database(const std::filesystem::path& data_dir) {
    sqlite3* raw = nullptr;
    auto path = (data_dir / "demo.db").string();
    int status =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Connection db(raw);
    if (status != SQLITE_OK)
        throw std::runtime_error(fmt::format("{}: cannot open: {}", path, sqlite3_errstr(status)));
    sqlite3_busy_timeout(db.get(), 10'000);
    return db;
}

void execute(sqlite3* db, const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw std::runtime_error(fmt::format("sqlite: {}: {}", sql.substr(0, 60), text));
    }
}

// The first column of the first row, or nullopt when there is no row.
std::optional<std::string> query_text(sqlite3* db, const std::string& sql,
                                      const std::string& parameter = {}) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
        throw std::runtime_error(fmt::format("sqlite: {}: {}", sql, sqlite3_errmsg(db)));
    if (!parameter.empty())
        sqlite3_bind_text(statement, 1, parameter.c_str(), -1, SQLITE_TRANSIENT);
    std::optional<std::string> value;
    if (sqlite3_step(statement) == SQLITE_ROW) {
        auto* text = sqlite3_column_text(statement, 0);
        value = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(statement);
    return value;
}

void ensure_base_tables(sqlite3* db) {
    execute(db,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "applied_at TEXT NOT NULL);");
}

int current_schema(sqlite3* db) {
    return std::stoi(
        query_text(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").value_or("0"));
}

// Each migration is one transaction: a crash leaves the schema at a version, never between.
const char* const migrations[] = {
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE outbox (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, payload TEXT)",
    "ALTER TABLE items ADD COLUMN tags TEXT NOT NULL DEFAULT ''",
};

void apply_migrations(sqlite3* db, int target) {
    for (int version = current_schema(db) + 1; version <= target; ++version) {
        execute(db, "BEGIN IMMEDIATE");
        execute(db, migrations[version - 1]);
        execute(db,
                fmt::format("INSERT INTO schema_migrations VALUES ({}, datetime('now'))", version));
        execute(db, "COMMIT");
    }
}

nlohmann::json to_json(const Deployment& deployment) {
    nlohmann::json overrides = nlohmann::json::object();
    for (const auto& [version, behaviour] : deployment.overrides)
        overrides[version] = {{"error_rate", behaviour.error_rate},
                              {"latency_ms", behaviour.latency_ms},
                              {"schema", behaviour.schema},
                              {"cpu", behaviour.cpu},
                              {"memory", behaviour.memory},
                              {"connections", behaviour.connections},
                              {"outbox_pending", behaviour.outbox_pending},
                              {"failed_search_jobs", behaviour.failed_search_jobs}};
    return {{"stable_version", deployment.stable_version},
            {"canary_version", deployment.canary_version},
            {"canary_weight", deployment.canary_weight},
            {"ready", deployment.ready_override},
            {"overrides", overrides}};
}

Deployment deployment_from(const nlohmann::json& json) {
    Deployment deployment;
    deployment.stable_version = json.value("stable_version", deployment.stable_version);
    deployment.canary_version = json.value("canary_version", "");
    deployment.canary_weight = json.value("canary_weight", 0);
    deployment.ready_override = json.value("ready", true);
    const auto overrides = json.value("overrides", nlohmann::json::object());
    for (const auto& [version, behaviour] : overrides.items())
        deployment.overrides[version] = {
            behaviour.value("error_rate", 0.002),   behaviour.value("latency_ms", 120.0),
            behaviour.value("schema", 1),           behaviour.value("cpu", 0.35),
            behaviour.value("memory", 0.40),        behaviour.value("connections", 200.0),
            behaviour.value("outbox_pending", 0.0), behaviour.value("failed_search_jobs", 0.0)};
    return deployment;
}

double blend(double stable, double canary, int weight) {
    return (stable * (100 - weight) + canary * weight) / 100.0;
}

}  // namespace

ServiceState::ServiceState(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {
    std::filesystem::create_directories(data_dir_ / "config");
    auto db = open_database(data_dir_);
    ensure_base_tables(db.get());
    if (current_schema(db.get()) == 0) apply_migrations(db.get(), 1);
}

// The running release lives in deployment.json beside the database, not in it: restoring the
// data (a rollback's restore step) must not change which binaries run.
Deployment ServiceState::deployment() const {
    std::ifstream in(data_dir_ / "deployment.json");
    if (!in) return Deployment{};
    auto json = nlohmann::json::parse(in, nullptr, false);
    return json.is_object() ? deployment_from(json) : Deployment{};
}

void ServiceState::save(const Deployment& deployment) {
    auto path = data_dir_ / "deployment.json";
    auto temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << to_json(deployment).dump(2) << '\n';
        out.flush();
        if (!out) throw std::runtime_error(fmt::format("{}: cannot write", temporary.string()));
    }
    std::filesystem::rename(temporary, path);
}

ReleaseBehaviour ServiceState::behaviour_of(const std::string& version) const {
    auto deployment = this->deployment();
    if (auto found = deployment.overrides.find(version); found != deployment.overrides.end())
        return found->second;
    // config/releases.yaml is the release catalogue: how each version behaves once deployed.
    ReleaseBehaviour behaviour;
    auto file = data_dir_ / "config" / "releases.yaml";
    if (!std::filesystem::exists(file)) return behaviour;
    auto root = YAML::LoadFile(file.string());
    const auto releases = root["releases"];
    if (!releases || !releases[version]) return behaviour;
    const auto entry = releases[version];
    if (entry["error_rate"]) behaviour.error_rate = entry["error_rate"].as<double>();
    if (entry["latency_ms"]) behaviour.latency_ms = entry["latency_ms"].as<double>();
    if (entry["schema"]) behaviour.schema = entry["schema"].as<int>();
    if (entry["cpu"]) behaviour.cpu = entry["cpu"].as<double>();
    if (entry["memory"]) behaviour.memory = entry["memory"].as<double>();
    if (entry["connections"]) behaviour.connections = entry["connections"].as<double>();
    if (entry["outbox_pending"]) behaviour.outbox_pending = entry["outbox_pending"].as<double>();
    if (entry["failed_search_jobs"])
        behaviour.failed_search_jobs = entry["failed_search_jobs"].as<double>();
    return behaviour;
}

int ServiceState::schema_version() const {
    auto db = open_database(data_dir_);
    ensure_base_tables(db.get());
    return current_schema(db.get());
}

long ServiceState::item_count() const {
    auto db = open_database(data_dir_);
    return std::stol(query_text(db.get(), "SELECT COUNT(*) FROM items").value_or("0"));
}

double ServiceState::blended(double ReleaseBehaviour::*field, const std::string& track) const {
    auto deployment = this->deployment();
    auto stable = behaviour_of(deployment.stable_version).*field;
    if (deployment.canary_version.empty() || track == "stable") return stable;
    if (track == "canary") return behaviour_of(deployment.canary_version).*field;
    return blend(stable, behaviour_of(deployment.canary_version).*field, deployment.canary_weight);
}

double ServiceState::error_rate() const {
    return blended(&ReleaseBehaviour::error_rate);
}

double ServiceState::latency_p95_ms() const {
    return blended(&ReleaseBehaviour::latency_ms);
}

std::optional<std::string> ServiceState::not_ready_reason() const {
    auto deployment = this->deployment();
    if (!deployment.ready_override) return "marked not ready";
    auto needed = behaviour_of(deployment.stable_version).schema;
    auto schema = schema_version();
    if (schema < needed)
        return fmt::format("database schema {} is older than the {} that {} needs", schema, needed,
                           deployment.stable_version);
    return std::nullopt;
}

nlohmann::json ServiceState::status() const {
    auto deployment = this->deployment();
    auto reason = not_ready_reason();
    return {
        {"version", deployment.stable_version},
        {"canary", deployment.canary_version.empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json(deployment.canary_version)},
        {"canary_weight", deployment.canary_weight},
        {"schema_version", schema_version()},
        {"ready", !reason},
        {"not_ready_reason", reason ? nlohmann::json(*reason) : nlohmann::json(nullptr)},
        {"error_rate", error_rate()},
        {"latency_p95_ms", latency_p95_ms()},
        {"items", item_count()}};
}

void ServiceState::deploy(const std::string& version, const std::string& track,
                          std::optional<double> error_rate, std::optional<double> latency_ms) {
    std::lock_guard lock(mutex_);
    auto deployment = this->deployment();
    if (error_rate || latency_ms) {
        auto behaviour = behaviour_of(version);
        if (error_rate) behaviour.error_rate = *error_rate;
        if (latency_ms) behaviour.latency_ms = *latency_ms;
        deployment.overrides[version] = behaviour;
    }
    if (track == "canary") {
        deployment.canary_version = version;
        deployment.canary_weight = 0;
    } else {
        deployment.stable_version = version;
        deployment.canary_version.clear();
        deployment.canary_weight = 0;
    }
    save(deployment);
}

void ServiceState::set_weight(int weight) {
    std::lock_guard lock(mutex_);
    auto deployment = this->deployment();
    deployment.canary_weight = weight;
    save(deployment);
}

void ServiceState::promote() {
    std::lock_guard lock(mutex_);
    auto deployment = this->deployment();
    if (deployment.canary_version.empty()) return;
    deployment.stable_version = deployment.canary_version;
    deployment.canary_version.clear();
    deployment.canary_weight = 0;
    save(deployment);
}

void ServiceState::set_ready(bool ready) {
    std::lock_guard lock(mutex_);
    auto deployment = this->deployment();
    deployment.ready_override = ready;
    save(deployment);
}

long ServiceState::add_item(const std::string& name) {
    auto db = open_database(data_dir_);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db.get(), "INSERT INTO items (name) VALUES (?1)", -1, &statement, nullptr);
    sqlite3_bind_text(statement, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    int status = sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (status != SQLITE_DONE)
        throw std::runtime_error(
            fmt::format("sqlite: adding an item: {}", sqlite3_errmsg(db.get())));
    return static_cast<long>(sqlite3_last_insert_rowid(db.get()));
}

std::optional<std::string> ServiceState::item(long id) const {
    auto db = open_database(data_dir_);
    return query_text(db.get(), fmt::format("SELECT name FROM items WHERE id = {}", id));
}

int migrate_database(const std::filesystem::path& data_dir, int target) {
    if (target < 1 || target > latest_schema)
        throw std::invalid_argument(
            fmt::format("--to {}: expected a schema from 1 to {}", target, latest_schema));
    auto db = open_database(data_dir);
    ensure_base_tables(db.get());
    int before = current_schema(db.get());
    if (target < before)
        throw std::invalid_argument(fmt::format(
            "the database is at schema {}; going back to {} is a restore, not a migration", before,
            target));
    apply_migrations(db.get(), target);
    return before;
}

}  // namespace demo

// Database backups through the real executable: SQLite copied while another process keeps
// writing, and PostgreSQL dumped and restored against a real cluster started for the test.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <thread>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/postgres_server.h"
#include "support/state_fixture.h"

using launchkit::testing::Environment;
using launchkit::testing::PostgresServer;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
namespace fs = std::filesystem;

namespace {

struct DatabaseFixture : StateFixture {
    TempDir work;

    nlohmann::json backup_json(std::vector<std::string> arguments,
                               Environment environment = {}) const {
        return run_json("release-manager", std::move(arguments), std::move(environment));
    }
};

// Rows are written in transactions of ten; a consistent copy never holds a partial batch.
[[noreturn]] void write_forever(const std::string& path, const std::string& journal_mode) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) _exit(2);
    sqlite3_busy_timeout(db, 30000);
    sqlite3_exec(db, ("PRAGMA journal_mode=" + journal_mode).c_str(), nullptr, nullptr, nullptr);
    for (long batch = 0;; ++batch) {
        std::string sql = "BEGIN;";
        for (int row = 0; row < 10; ++row)
            sql += "INSERT INTO events(batch, payload) VALUES (" + std::to_string(batch) +
                   ", randomblob(200));";
        sql += "COMMIT;";
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            usleep(1000);
        }
    }
}

long long query_number(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    // Read-write: a writer killed mid-transaction leaves a hot journal only a writer may undo.
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 30000);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    auto value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
}

}  // namespace

TEST_CASE_METHOD(DatabaseFixture, "SQLite is backed up consistently while another process writes",
                 "[cli][backup][sqlite]") {
    auto journal_mode = GENERATE(std::string("wal"), std::string("delete"));
    INFO("journal_mode=" << journal_mode);
    auto database = work.path() / "app.db";
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(database.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "CREATE TABLE events(id INTEGER PRIMARY KEY, batch, payload)",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    pid_t writer = ::fork();
    REQUIRE(writer >= 0);
    if (writer == 0) write_forever(database.string(), journal_mode);
    while (query_number(database, "SELECT count(*) FROM events") < 200)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));

    std::vector<std::string> ids;
    long long previous = 0;
    for (int i = 0; i < 3; ++i) {
        auto created = backup_json({"backup", "create", "sqlite:" + database.string()});
        ids.push_back(created["id"]);
        auto copy = state.path() / "backups" / ids.back() / "database.sqlite";
        auto rows = query_number(copy, "SELECT count(*) FROM events");
        CHECK(rows % 10 == 0);  // whole transactions only
        CHECK(query_number(copy,
                           "SELECT count(*) FROM (SELECT batch FROM events GROUP BY batch "
                           "HAVING count(*) != 10)") == 0);
        CHECK(rows >= previous);
        previous = rows;
        CHECK_FALSE(fs::exists(copy.string() + "-wal"));
    }
    // The writer has gone on past the last backup before it is stopped, so the restore below
    // visibly turns the clock back.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (query_number(database, "SELECT count(*) FROM events") <= previous &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ::kill(writer, SIGKILL);
    ::waitpid(writer, nullptr, 0);

    auto verified = backup_json({"backup", "verify", ids.back()});
    CHECK(verified["ok"] == true);
    CHECK(verified["backups"][0]["check"] == "integrity_check: ok");

    auto expected = query_number(state.path() / "backups" / ids.back() / "database.sqlite",
                                 "SELECT count(*) FROM events");
    CHECK(expected < query_number(database, "SELECT count(*) FROM events"));
    auto restored = backup_json({"backup", "restore", ids.back(), "--yes"});
    CHECK(query_number(database, "SELECT count(*) FROM events") == expected);
    REQUIRE(restored["safety_backup"].is_string());
    backup_json({"backup", "restore", ids.front(), "--to", (work.path() / "copy.db").string()});
    CHECK(query_number(work.path() / "copy.db", "SELECT count(*) FROM events") > 0);
}

TEST_CASE_METHOD(DatabaseFixture, "a file that is not a SQLite database is refused",
                 "[cli][backup][sqlite]") {
    std::ofstream(work.path() / "notes.txt") << "just text, not a database\n";
    auto result = run("release-manager",
                      {"backup", "create", "sqlite:" + (work.path() / "notes.txt").string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("not a SQLite database"));
    CHECK(backup_json({"backup", "list"}).empty());
}

TEST_CASE_METHOD(DatabaseFixture, "PostgreSQL: dump, change, restore, compare rows",
                 "[cli][backup][postgres]") {
    auto& server = PostgresServer::shared();
    server.create_database("shop");
    server.sql("shop",
               "CREATE TABLE orders(id int PRIMARY KEY, item text NOT NULL);"
               "INSERT INTO orders SELECT g, 'item-' || g FROM generate_series(1, 500) g;");
    auto rows = [&] { return server.sql("shop", "SELECT count(*) || ':' || sum(id) FROM orders"); };
    auto original = rows();
    auto password = server.password_environment();
    auto source = "postgres:" + server.conninfo("shop");

    auto created = backup_json({"backup", "create", source, "--tag", "pre-migrate"}, password);
    std::string id = created["id"];
    CHECK(created["kind"] == "postgres");
    CHECK(created["files"][0]["path"] == "database.dump");
    CHECK_FALSE(created["tools"]["pg_dump"].get<std::string>().empty());
    CHECK(created.dump().find(PostgresServer::password) == std::string::npos);

    auto verified = backup_json({"backup", "verify", id});
    CHECK(verified["ok"] == true);
    CHECK_THAT(verified["backups"][0]["check"].get<std::string>(),
               Catch::StartsWith("pg_restore --list: "));

    // A migration that goes wrong: rows deleted, a column and a table added.
    server.sql("shop",
               "DELETE FROM orders WHERE id > 100; ALTER TABLE orders ADD COLUMN note "
               "text; CREATE TABLE audit(x int);");
    REQUIRE(rows() != original);
    auto restored = backup_json({"backup", "restore", id, "--yes"}, password);
    CHECK(rows() == original);
    CHECK(server.sql("shop",
                     "SELECT count(*) FROM information_schema.columns WHERE "
                     "table_name = 'orders'") == "2\n");
    // The safety backup holds the migrated state.
    REQUIRE(restored["safety_backup"].is_string());
    server.create_database("inspect");
    backup_json({"backup", "restore", restored["safety_backup"], "--to", server.conninfo("inspect"),
                 "--yes", "--no-safety-backup"},
                password);
    CHECK(server.sql("inspect", "SELECT count(*) FROM orders") == "100\n");

    // Without the password the tool's own error comes through, exit 3, and nothing is listed.
    auto before = backup_json({"backup", "list"}).size();
    auto denied = run("release-manager", {"backup", "create", source});
    CHECK(denied.exit_code == 3);
    CHECK_THAT(denied.stderr_text, Catch::Contains("pg_dump failed"));
    CHECK(backup_json({"backup", "list"}).size() == before);

    // A named source from the configuration, as a mapping of libpq settings.
    auto config = work.path() / "launchkit.yaml";
    std::ofstream(config) << "backups:\n  db:\n    postgres: {host: 127.0.0.1, port: "
                          << server.port() << ", dbname: shop, user: launchkit}\n";
    auto named = backup_json({"--config", config.string(), "backup", "create", "db"}, password);
    CHECK(named["source"] == "db");
    CHECK(backup_json({"backup", "verify", named["id"]})["ok"] == true);
}

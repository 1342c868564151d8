// Every kind of backup (a directory, SQLite, PostgreSQL, a command's file) copied off-site to each
// kind of repository restic reaches — a local path, a REST server (Debian's `rclone serve restic`)
// and SFTP (Debian's openssh-server) — and restored on a new machine from there only.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <sqlite3.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/postgres_server.h"
#include "support/restic_servers.h"
#include "support/state_fixture.h"
#include "util/file_io.h"

using launchkit::testing::Environment;
using launchkit::testing::PostgresServer;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
namespace fs = std::filesystem;

namespace {

void sqlite_exec(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    int result = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE(result == SQLITE_OK);
}

std::string sqlite_count(const fs::path& path) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) || ':' || sum(id) FROM items", -1, &statement,
                               nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
    std::string value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
}

// Backs up four sources to `repository_yaml`'s repository from one machine, then restores each
// on a machine that has nothing but the configuration.
void round_trip(const std::string& name, const std::string& repository_yaml) {
    auto& postgres = PostgresServer::shared();
    auto database = "offsite_" + name;
    postgres.create_database(database);
    postgres.sql(database,
                 "CREATE TABLE orders(id int PRIMARY KEY, item text NOT NULL);"
                 "INSERT INTO orders SELECT g, 'item-' || g FROM generate_series(1, 300) g;");
    auto orders = [&] {
        return postgres.sql(database, "SELECT count(*) || ':' || sum(id) FROM orders");
    };
    auto original_orders = orders();

    TempDir work;
    work.write("data/config.yaml", "mode: live\n");
    work.write("data/nested/blob.bin", std::string(50000, 'x'));
    auto sqlite = work.path() / "app.db";
    sqlite_exec(sqlite,
                "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT);"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE "
                "i < 200) INSERT INTO items SELECT i, 'item ' || i FROM n;");
    auto original_items = sqlite_count(sqlite);
    work.write("ledger.txt", "balance 42\n");
    auto password = work.write("restic-password", "offsite " + name + "\n");
    fs::permissions(password, fs::perms::owner_read | fs::perms::owner_write);
    work.write("launchkit.yaml", fmt::format(R"(backups:
  data: {{dir: ./data}}
  app-db: {{sqlite: ./app.db}}
  db:
    postgres: {{host: 127.0.0.1, port: {}, dbname: {}, user: launchkit}}
  ledger:
    command:
      backup: [cp, ledger.txt, ledger.out]
      output: ./ledger.out
      restore: [cp, "${{file}}", ledger.txt]
  offsite:
    restic:
      password_file: restic-password
{})",
                                             postgres.port(), database, repository_yaml));
    Environment environment{{"LAUNCHKIT_CONFIG", (work.path() / "launchkit.yaml").string()},
                            {"RESTIC_CACHE_DIR", (work.path() / "restic-cache").string()},
                            {"PGPASSWORD", PostgresServer::password}};

    StateFixture machine;
    auto initialised = machine.run("release-manager", {"backup", "sync", "--init"}, environment);
    INFO(initialised.stderr_text);
    REQUIRE(initialised.exit_code == 0);
    std::map<std::string, std::string> ids;
    for (const char* source : {"data", "app-db", "db", "ledger"}) {
        auto made = machine.run("release-manager",
                                {"backup", "create", source, "--tag", "pre-upgrade", "--json"},
                                environment);
        INFO(source << ": " << made.stderr_text);
        REQUIRE(made.exit_code == 0);
        auto json = nlohmann::json::parse(made.stdout_text);
        CHECK(json["offsite"]["pending"] == false);
        ids[source] = json["id"];
        // The repository's password and a REST server's are never printed.
        CHECK(made.stdout_text.find(launchkit::testing::ResticRestServer::password) ==
              std::string::npos);
        CHECK(made.stderr_text.find(launchkit::testing::ResticRestServer::password) ==
              std::string::npos);
    }

    // What the upgrade broke.
    fs::remove_all(work.path() / "data");
    sqlite_exec(sqlite, "DELETE FROM items WHERE id > 10;");
    postgres.sql(database, "DELETE FROM orders WHERE id > 5;");
    work.write("ledger.txt", "balance -1\n");

    StateFixture new_machine;
    auto listed =
        new_machine.run_json("release-manager", {"backup", "list", "--offsite"}, environment);
    REQUIRE(listed.size() == 4);
    for (const auto& backup : listed) CHECK(backup["location"] == "off-site");
    for (const auto& [source, id] : ids) {
        auto restored =
            new_machine.run("release-manager",
                            {"backup", "restore", id, "--yes", "--no-safety-backup"}, environment);
        INFO(source << ": " << restored.stderr_text);
        CHECK(restored.exit_code == 0);
    }
    CHECK(launchkit::util::read_file(work.path() / "data/config.yaml").value() == "mode: live\n");
    CHECK(launchkit::util::read_file(work.path() / "data/nested/blob.bin").value() ==
          std::string(50000, 'x'));
    CHECK(sqlite_count(sqlite) == original_items);
    CHECK(orders() == original_orders);
    CHECK(launchkit::util::read_file(work.path() / "ledger.txt").value() == "balance 42\n");
    auto verified = new_machine.run_json("release-manager",
                                         {"backup", "verify", "--offsite", "--all"}, environment);
    CHECK(verified["ok"] == true);
    CHECK(verified["backups"].size() == 4);
}

}  // namespace

TEST_CASE("every kind of backup round-trips through a local restic repository",
          "[cli][backup][offsite]") {
    TempDir repository;
    round_trip("local", "      repository: " + (repository.path() / "repo").string() + "\n");
}

TEST_CASE("every kind of backup round-trips through a REST repository (rclone serve restic)",
          "[cli][backup][offsite]") {
    launchkit::testing::ResticRestServer server;
    round_trip("rest", "      repository: \"" + server.repository() + "\"\n");
    CHECK(fs::exists(server.directory() / "config"));
}

TEST_CASE("every kind of backup round-trips through an SFTP repository (openssh-server)",
          "[cli][backup][offsite]") {
    launchkit::testing::SftpServer server;
    round_trip("sftp", "      repository: \"" + server.repository() +
                           "\"\n      options: {sftp.command: \"" + server.sftp_command() +
                           "\"}\n");
    CHECK(fs::exists(server.directory() / "config"));
}

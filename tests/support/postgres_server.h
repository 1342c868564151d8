// A real PostgreSQL cluster for the backup tests: created with initdb in a private directory and
// started with pg_ctl on 127.0.0.1, a free port and a private socket directory (as the `postgres`
// user when the tests run as root, since the server refuses root). Password authentication over
// TCP, so the tests exercise $PGPASSWORD the way users do.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "support/temp_dir.h"
#include "util/process.h"

namespace launchkit::testing {

class PostgresServer {
  public:
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // One cluster for the whole test run (initdb costs seconds); tests use their own databases.
    static PostgresServer& shared();

    int port() const { return port_; }
    static constexpr const char* user = "launchkit";
    static constexpr const char* password = "s3cret-pg-password";
    // "host=127.0.0.1 port=N dbname=DB user=launchkit", without the password.
    std::string conninfo(const std::string& database) const;
    // PGPASSWORD, for the tools and the executables under test.
    std::vector<std::pair<std::string, std::string>> password_environment() const {
        return {{"PGPASSWORD", password}};
    }
    // Runs SQL with psql; returns unaligned, tuples-only output. Fails the test on error.
    std::string sql(const std::string& database, const std::string& statement) const;
    void create_database(const std::string& name) const;

  private:
    util::ProcessResult as_server_user(std::vector<std::string> argv) const;

    TempDir dir_;
    std::string bin_dir_;
    int port_ = 0;
    bool started_ = false;
};

}  // namespace launchkit::testing

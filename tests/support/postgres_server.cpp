#include "support/postgres_server.h"

#include <algorithm>
#include <fstream>

#include <pwd.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "support/background_process.h"

namespace launchkit::testing {
namespace {

// Debian keeps the server binaries out of PATH: /usr/lib/postgresql/<major>/bin.
std::string find_bin_dir() {
    std::vector<std::filesystem::path> candidates;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error))
        if (std::filesystem::exists(entry.path() / "bin" / "initdb"))
            candidates.push_back(entry.path());
    INFO("is Debian's postgresql package installed? (scripts/install-deps installs it)");
    REQUIRE_FALSE(candidates.empty());
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return std::stoi(a.filename().string()) < std::stoi(b.filename().string());
    });
    return (candidates.back() / "bin").string();
}

bool running_as_root() {
    return ::geteuid() == 0;
}

void give_to_server_user(const std::filesystem::path& path) {
    if (!running_as_root()) return;
    passwd* account = ::getpwnam("postgres");
    INFO("running as root needs the 'postgres' user (the postgresql package creates it)");
    REQUIRE(account != nullptr);
    REQUIRE(::chown(path.c_str(), account->pw_uid, account->pw_gid) == 0);
}

}  // namespace

util::ProcessResult PostgresServer::as_server_user(std::vector<std::string> argv) const {
    if (running_as_root()) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    auto result = util::run_process({.argv = argv, .working_directory = dir_.path()});
    REQUIRE(result);
    return *result;
}

PostgresServer::PostgresServer() : bin_dir_(find_bin_dir()), port_(free_port()) {
    // The server user must reach its directories inside our private temp dir.
    std::filesystem::permissions(dir_.path(), std::filesystem::perms(0711));
    auto data = dir_.path() / "data";
    auto sockets = dir_.path() / "sockets";
    auto password_file = dir_.path() / "password";
    std::filesystem::create_directory(data);
    std::filesystem::create_directory(sockets);
    std::ofstream(password_file) << password << '\n';
    for (const auto& path : {data, sockets, password_file}) give_to_server_user(path);

    auto initdb = as_server_user({bin_dir_ + "/initdb", "--pgdata=" + data.string(),
                                  "--username=" + std::string(user), "--auth-local=trust",
                                  "--auth-host=scram-sha-256", "--pwfile=" + password_file.string(),
                                  "--encoding=UTF8", "--no-sync"});
    INFO("initdb: " << initdb.stdout_text << initdb.stderr_text);
    REQUIRE(initdb.exit_code == 0);
    // Fixed options (no user input) for the server's own command line; fsync off: test data only.
    auto server_options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port_) +
                          " -c unix_socket_directories=" + sockets.string() + " -c fsync=off";
    auto start = as_server_user({bin_dir_ + "/pg_ctl", "--pgdata=" + data.string(),
                                 "--log=" + (data / "server.log").string(),
                                 "--options=" + server_options, "--wait", "--timeout=60", "start"});
    INFO("pg_ctl start: " << start.stdout_text << start.stderr_text);
    REQUIRE(start.exit_code == 0);
    started_ = true;
}

PostgresServer::~PostgresServer() {
    if (!started_) return;
    std::vector<std::string> argv{bin_dir_ + "/pg_ctl",
                                  "--pgdata=" + (dir_.path() / "data").string(), "--mode=immediate",
                                  "--wait", "stop"};
    if (running_as_root()) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    (void)util::run_process({.argv = argv});
}

PostgresServer& PostgresServer::shared() {
    static PostgresServer server;
    return server;
}

std::string PostgresServer::conninfo(const std::string& database) const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=" + database + " user=" + user;
}

std::string PostgresServer::sql(const std::string& database, const std::string& statement) const {
    auto result =
        util::run_process({.argv = {"psql", "--no-psqlrc", "--quiet", "--no-align", "--tuples-only",
                                    "--set=ON_ERROR_STOP=1", "--dbname=" + conninfo(database),
                                    "--command=" + statement},
                           .environment = password_environment()});
    REQUIRE(result);
    INFO("psql: " << statement << ": " << result->stderr_text);
    REQUIRE(result->exit_code == 0);
    return result->stdout_text;
}

void PostgresServer::create_database(const std::string& name) const {
    sql("postgres", "CREATE DATABASE \"" + name + "\"");
}

}  // namespace launchkit::testing

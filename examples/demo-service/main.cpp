// demo-service: a small real HTTP service for trying launchkit's playbooks end to end. Its
// release, error rate and latency are set by a playbook's deploy calls, so a bad release can be
// simulated and rolled back. See README.md beside this file.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>
#include <CLI/CLI.hpp>

#include "http_api.h"
#include "service_state.h"

namespace {

std::string read_admin_token(const std::string& token_file) {
    if (!token_file.empty()) {
        std::ifstream in(token_file);
        if (!in)
            throw std::runtime_error(fmt::format("{}: cannot read the admin token", token_file));
        std::string token;
        std::getline(in, token);
        return token;
    }
    const char* value = std::getenv("DEMO_ADMIN_TOKEN");
    return value ? value : "";
}

httplib::Server* running_server = nullptr;

int serve(const std::string& data_dir, int port, const std::string& port_file,
          const std::string& token_file) {
    demo::ServiceState state(data_dir);
    httplib::Server server;
    demo::add_routes(server, state, read_admin_token(token_file));
    int bound = port == 0 ? server.bind_to_any_port("127.0.0.1")
                          : (server.bind_to_port("127.0.0.1", port) ? port : -1);
    if (bound < 0) {
        std::cerr << fmt::format("demo-service: error: cannot listen on 127.0.0.1:{}\n", port);
        return 3;
    }
    if (!port_file.empty()) {
        // Written whole and renamed, so a reader never sees half a number.
        auto temporary = port_file + ".tmp";
        std::ofstream(temporary) << bound << '\n';
        std::filesystem::rename(temporary, port_file);
    }
    std::cerr << fmt::format("demo-service {} listening on http://127.0.0.1:{} (data: {})\n",
                             state.deployment().stable_version, bound, data_dir);
    running_server = &server;
    std::signal(SIGTERM, [](int) {
        if (running_server) running_server->stop();
    });
    std::signal(SIGINT, [](int) {
        if (running_server) running_server->stop();
    });
    server.listen_after_bind();
    return 0;
}

// The Mycelia Upgrade Playbook's critical-path test and the Artifortress Upgrade and Rollback
// Runbook's core smoke actions: read, write, read back.
int smoke(const std::string& url) {
    httplib::Client client(url);
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    int failures = 0;
    auto check = [&failures](const std::string& what, bool ok, const std::string& detail) {
        std::cout << fmt::format("{:<28} {}  {}\n", what, ok ? "ok  " : "FAIL", detail);
        if (!ok) ++failures;
    };
    for (const char* path : {"/health/live", "/health/ready", "/api/version"}) {
        auto response = client.Get(path);
        check(std::string("GET ") + path, response && response->status == 200,
              response ? fmt::format("{} {}", response->status,
                                     response->body.substr(0, response->body.find('\n')))
                       : httplib::to_string(response.error()));
    }
    auto name = fmt::format("smoke-{}", ::getpid());
    auto created =
        client.Post("/api/items", nlohmann::json{{"name", name}}.dump(), "application/json");
    bool wrote = created && created->status == 201;
    check("POST /api/items", wrote,
          created ? std::to_string(created->status) : httplib::to_string(created.error()));
    if (wrote) {
        auto id = nlohmann::json::parse(created->body).value("id", 0L);
        auto read = client.Get(fmt::format("/api/items/{}", id));
        check(fmt::format("GET /api/items/{}", id),
              read && read->status == 200 &&
                  nlohmann::json::parse(read->body).value("name", "") == name,
              read ? std::to_string(read->status) : httplib::to_string(read.error()));
    }
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app(
        "A small HTTP service with a SQLite database whose release, error rate and "
        "latency are set by launchkit playbooks.",
        "demo-service");
    app.require_subcommand(1);
    std::string data_dir;
    int port = 8086;
    std::string port_file;
    std::string token_file;
    auto* serve_command = app.add_subcommand("serve", "Serve on 127.0.0.1");
    serve_command->add_option("--data-dir", data_dir, "demo.db and config/ live here")->required();
    serve_command->add_option("--port", port, "Port (0: any free port)");
    serve_command->add_option("--port-file", port_file, "Write the port here once listening");
    serve_command->add_option("--admin-token-file", token_file,
                              "Admin token file (default: $DEMO_ADMIN_TOKEN)");
    int target = demo::latest_schema;
    auto* migrate_command = app.add_subcommand("migrate", "Apply database schema migrations");
    migrate_command->add_option("--data-dir", data_dir, "Where demo.db is")->required();
    migrate_command->add_option("--to", target, "Schema to migrate to (default: the latest)");
    std::string url;
    auto* smoke_command = app.add_subcommand("smoke", "Critical-path smoke test against URL");
    smoke_command->add_option("url", url, "Base URL, e.g. http://127.0.0.1:8086")->required();
    CLI11_PARSE(app, argc, argv);
    try {
        if (*serve_command) return serve(data_dir, port, port_file, token_file);
        if (*migrate_command) {
            int before = demo::migrate_database(data_dir, target);
            std::cout << fmt::format("schema {} -> {}\n", before, target);
            return 0;
        }
        return smoke(url);
    } catch (const std::invalid_argument& error) {
        std::cerr << "demo-service: error: " << error.what() << '\n';
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "demo-service: error: " << error.what() << '\n';
        return 3;
    }
}

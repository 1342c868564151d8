#include "support/demo_service.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <httplib.h>
#include <spawn.h>
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include "util/file_io.h"

extern char** environ;

namespace launchkit::testing {

DemoService::DemoService(const std::string& releases_yaml) {
    dir_.write("data/config/releases.yaml", releases_yaml);
    auto port_file = dir_.path() / "port";
    auto log = dir_.path() / "service.log";
    std::vector<std::string> arguments{LAUNCHKIT_DEMO_SERVICE, "serve",           "--data-dir",
                                       data_dir().string(),    "--port",          "0",
                                       "--port-file",          port_file.string()};
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::vector<std::string> variables{std::string("DEMO_ADMIN_TOKEN=") + admin_token};
    for (char** entry = environ; *entry; ++entry)
        if (!std::string_view(*entry).starts_with("DEMO_ADMIN_TOKEN=")) variables.push_back(*entry);
    std::vector<char*> envp;
    for (auto& variable : variables) envp.push_back(variable.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (port_ == 0) {
        if (std::filesystem::exists(port_file)) std::ifstream(port_file) >> port_;
        if (port_ == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                INFO(util::read_file(log).value_or(""));
                FAIL("demo-service did not start within 20 s");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
}

DemoService::~DemoService() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
}

nlohmann::json DemoService::status() const {
    httplib::Client client("127.0.0.1", port_);
    auto response = client.Get("/ops/status.json");
    REQUIRE(response);
    REQUIRE(response->status == 200);
    return nlohmann::json::parse(response->body);
}

std::vector<std::pair<std::string, std::string>> DemoService::environment() {
    auto service_dir = std::filesystem::path(LAUNCHKIT_DEMO_SERVICE).parent_path().string();
    const char* path = std::getenv("PATH");
    return {{"DEMO_ADMIN_TOKEN", admin_token},
            {"PATH", std::string(LAUNCHKIT_BIN_DIR) + ":" + service_dir + ":" +
                         (path ? path : "/usr/bin:/bin")}};
}

}  // namespace launchkit::testing

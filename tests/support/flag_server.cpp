#include "support/flag_server.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <httplib.h>
#include <spawn.h>
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include "util/file_io.h"
#include "util/strings.h"

extern char** environ;

namespace launchkit::testing {

FlagServer::FlagServer(const StateFixture& fixture, std::vector<std::string> arguments,
                       Environment environment) {
    auto port_file = dir_.path() / "port";
    arguments.insert(arguments.begin(),
                     {"serve", "--listen", "127.0.0.1:0", "--port-file", port_file.string()});
    auto spec = fixture.spec("feature-flags", std::move(arguments), std::move(environment));
    std::vector<char*> argv;
    for (auto& argument : spec.argv) argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::vector<std::string> variables;
    for (const auto& [name, value] : spec.environment) variables.push_back(name + "=" + value);
    for (char** entry = environ; *entry; ++entry) variables.push_back(*entry);
    std::vector<char*> envp;
    for (auto& variable : variables) envp.push_back(variable.data());
    envp.push_back(nullptr);
    auto log_path = dir_.path() / "server.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (port_ == 0) {
        if (std::filesystem::exists(port_file)) std::ifstream(port_file) >> port_;
        if (port_ != 0) break;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            FAIL("feature-flags serve exited: " << log());
        }
        if (std::chrono::steady_clock::now() > deadline)
            FAIL("feature-flags serve did not start within 20 s: " << log());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

FlagServer::~FlagServer() {
    if (pid_ > 0) stop();
}

int FlagServer::stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string FlagServer::log() const {
    return util::read_file(dir_.path() / "server.log").value_or("");
}

namespace {

HttpAnswer answer_of(const httplib::Result& result) {
    REQUIRE(result);
    HttpAnswer answer;
    answer.status = result->status;
    answer.body = result->body;
    for (const auto& [name, value] : result->headers) answer.headers[util::to_lower(name)] = value;
    return answer;
}

httplib::Headers headers_of(const std::map<std::string, std::string>& headers) {
    httplib::Headers converted;
    for (const auto& [name, value] : headers) converted.emplace(name, value);
    return converted;
}

}  // namespace

HttpAnswer FlagServer::get(const std::string& path,
                           const std::map<std::string, std::string>& headers) const {
    httplib::Client client("127.0.0.1", port_);
    return answer_of(client.Get(path, headers_of(headers)));
}

HttpAnswer FlagServer::post(const std::string& path, const std::string& body,
                            const std::map<std::string, std::string>& headers) const {
    httplib::Client client("127.0.0.1", port_);
    return answer_of(client.Post(path, headers_of(headers), body, "application/json"));
}

}  // namespace launchkit::testing

#include "support/background_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>

#include <catch2/catch.hpp>

#include "util/file_io.h"

extern char** environ;

namespace launchkit::testing {

BackgroundProcess::BackgroundProcess(std::vector<std::string> argv, std::filesystem::path log,
                                     const std::string& package, ProcessSettings settings)
    : stop_signal_(settings.stop_signal), log_(std::move(log)) {
    std::vector<char*> arguments;
    for (auto& argument : argv) arguments.push_back(argument.data());
    arguments.push_back(nullptr);
    std::vector<std::string> variables;
    for (const auto& [name, value] : settings.environment) variables.push_back(name + "=" + value);
    for (char** entry = environ; *entry; ++entry) {
        std::string_view variable(*entry);
        bool replaced = std::any_of(
            settings.environment.begin(), settings.environment.end(),
            [&](const auto& setting) { return variable.starts_with(setting.first + "="); });
        if (!replaced) variables.emplace_back(variable);
    }
    std::vector<char*> envp;
    for (auto& variable : variables) envp.push_back(variable.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    int spawned =
        ::posix_spawnp(&pid_, arguments[0], &actions, nullptr, arguments.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    INFO("cannot start " << argv.front()
                         << (package.empty()
                                 ? std::string()
                                 : ": is Debian's " + package +
                                       " installed? (scripts/install-deps installs it)"));
    REQUIRE(spawned == 0);
}

BackgroundProcess::BackgroundProcess(BackgroundProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exit_status_(other.exit_status_),
      stop_signal_(other.stop_signal_),
      log_(std::move(other.log_)) {}

BackgroundProcess& BackgroundProcess::operator=(BackgroundProcess&& other) noexcept {
    if (this != &other) {
        stop();
        pid_ = std::exchange(other.pid_, -1);
        exit_status_ = other.exit_status_;
        stop_signal_ = other.stop_signal_;
        log_ = std::move(other.log_);
    }
    return *this;
}

namespace {

int background_exit_code(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

bool BackgroundProcess::running() const {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) return true;
    exit_status_ = background_exit_code(status);
    pid_ = -1;
    return false;
}

int BackgroundProcess::stop() {
    if (pid_ <= 0) return exit_status_;
    ::kill(pid_, stop_signal_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_status_ = background_exit_code(status);
    return exit_status_;
}

std::string BackgroundProcess::log() const {
    return util::read_file(log_).value_or("");
}

namespace {

// Whether a socket could be bound to 127.0.0.1:`port` (`connect` false), or connected to it.
bool loopback_port_answers(int port, bool connect) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    auto* generic = reinterpret_cast<sockaddr*>(&address);
    bool done = (connect ? ::connect(fd, generic, sizeof address)
                         : ::bind(fd, generic, sizeof address)) == 0;
    ::close(fd);
    return done;
}

}  // namespace

// Below the kernel's ephemeral range (32768-60999 on Linux): a port from that range, free when
// looked at, can be taken by any outgoing connection before the server binds it, which once kept
// etcd from starting in CI. Random, so that parallel test processes rarely pick the same one, and
// checked by binding it.
int free_port() {
    static std::mutex mutex;
    static std::mt19937 random(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
    std::lock_guard lock(mutex);
    for (int attempt = 0; attempt < 1000; ++attempt) {
        int port = std::uniform_int_distribution<int>(20000, 32000)(random);
        if (loopback_port_answers(port, false)) return port;
    }
    FAIL("no free port between 20000 and 32000");
    return 0;
}

void wait_until_listening(const BackgroundProcess& server, int port,
                          std::chrono::milliseconds timeout) {
    wait_until_ready(
        server, [port] { return loopback_port_answers(port, true); },
        "the server meant to listen on 127.0.0.1:" + std::to_string(port), timeout);
}

void wait_until_ready(const BackgroundProcess& server, const std::function<bool()>& ready,
                      const std::string& what, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
        if (!server.running()) {
            INFO("its log:\n" << server.log());
            FAIL(what << " exited before it was ready");
        }
        if (std::chrono::steady_clock::now() > deadline) {
            INFO("its log:\n" << server.log());
            FAIL(what << " was not ready within "
                      << std::chrono::duration_cast<std::chrono::seconds>(timeout).count() << " s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int wait_for_port_file(const BackgroundProcess& server, const std::filesystem::path& port_file,
                       const std::string& what, std::chrono::milliseconds timeout) {
    int port = 0;
    wait_until_ready(
        server,
        [&] {
            if (std::filesystem::exists(port_file)) std::ifstream(port_file) >> port;
            return port != 0;
        },
        what, timeout);
    return port;
}

}  // namespace launchkit::testing

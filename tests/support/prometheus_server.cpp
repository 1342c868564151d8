#include "support/prometheus_server.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <mutex>
#include <random>

#include "probe/metric_source.h"
#include "util/file_io.h"

extern char** environ;

namespace launchkit::testing {

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
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<uint16_t>(port));
        bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        if (bound) return port;
    }
    FAIL("no free port between 20000 and 32000");
    return 0;
}

PrometheusServer::PrometheusServer(const std::string& target) : port_(free_port()) {
    auto config = dir_.path() / "prometheus.yml";
    std::ofstream(config) << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                             "scrape_configs:\n"
                             "  - job_name: app\n"
                             "    static_configs: [{targets: ['"
                          << target << "']}]\n";
    auto log = dir_.path() / "prometheus.log";
    std::vector<std::string> arguments{"prometheus", "--config.file=" + config.string(),
                                       "--storage.tsdb.path=" + (dir_.path() / "data").string(),
                                       "--web.listen-address=127.0.0.1:" + std::to_string(port_)};
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    int spawned = ::posix_spawnp(&pid_, "prometheus", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    INFO("is Debian's prometheus package installed? (scripts/install-deps installs it)");
    REQUIRE(spawned == 0);

    // Ready once the first scrape of the target has landed: `up` is then 1.
    probe::MetricSource source;
    source.name = "test-prometheus";
    source.kind = probe::MetricSourceKind::prometheus_api;
    source.url = url();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (true) {
        auto up = probe::query_prometheus(source, "up");
        if (up && *up == 1) break;
        if (std::chrono::steady_clock::now() > deadline) {
            INFO("prometheus log:\n" << util::read_file(log).value_or(""));
            FAIL("prometheus did not scrape " << target << " within 60 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

PrometheusServer::~PrometheusServer() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
}

}  // namespace launchkit::testing

#include "support/smtp_receiver.h"

#include <chrono>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "support/http_server.h"
#include "support/prometheus_server.h"
#include "util/file_io.h"

extern char** environ;

namespace launchkit::testing {

SmtpReceiver::SmtpReceiver() : port_(free_port()) {
    auto [certificate, key] = make_self_signed_certificate(dir_.path());
    certificate_ = certificate;
    auto mail = dir_.path() / "mail";
    std::filesystem::create_directories(mail);
    auto log = dir_.path() / "smtp.log";
    // Debian's python3-* packages belong to /usr/bin/python3, not to whichever is first on PATH.
    std::vector<std::string> arguments{
        "/usr/bin/python3",    std::string(LAUNCHKIT_SOURCE_DIR) + "/tests/notify/smtp_receiver.py",
        std::to_string(port_), certificate.string(),
        key.string(),          mail.string()};
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!std::filesystem::exists(mail / "ready")) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            INFO("is python3-aiosmtpd installed? (scripts/install-deps installs it)\n"
                 << util::read_file(log).value_or(""));
            FAIL("the SMTP receiver exited");
        }
        if (std::chrono::steady_clock::now() > deadline) {
            INFO(util::read_file(log).value_or(""));
            FAIL("the SMTP receiver did not start within 30 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

SmtpReceiver::~SmtpReceiver() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
}

std::vector<std::pair<std::string, std::string>> SmtpReceiver::messages() const {
    std::vector<std::pair<std::string, std::string>> messages;
    for (int n = 1;; ++n) {
        auto base = dir_.path() / "mail" / std::to_string(n);
        auto envelope = util::read_file(base.string() + ".json");
        auto message = util::read_file(base.string() + ".eml");
        if (!envelope || !message) break;
        messages.emplace_back(*message, *envelope);
    }
    return messages;
}

}  // namespace launchkit::testing

// A server a test starts and owns: spawned from argv (looked up on PATH, never a shell), its
// stdout and stderr appended to a log file, stopped and reaped when the object goes.
#pragma once

#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace launchkit::testing {

struct ProcessSettings {
    // Set for the process over the test's own environment.
    std::vector<std::pair<std::string, std::string>> environment{};
    // SIGTERM for a server whose clean shutdown a test checks; SIGKILL for the others.
    int stop_signal = SIGKILL;
};

class BackgroundProcess {
  public:
    BackgroundProcess() = default;
    // Fails the test when it cannot start, naming `package` (the Debian package that brings the
    // program) when there is one.
    BackgroundProcess(std::vector<std::string> argv, std::filesystem::path log,
                      const std::string& package, ProcessSettings settings = {});
    ~BackgroundProcess() { stop(); }
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;
    BackgroundProcess(BackgroundProcess&& other) noexcept;
    BackgroundProcess& operator=(BackgroundProcess&& other) noexcept;

    pid_t pid() const { return pid_; }
    bool running() const;
    // Its stop signal, then its exit status once it is gone (-1 when a signal ended it or it was
    // not running).
    int stop();
    std::string log() const;

  private:
    // running() reaps a process that has exited: its status is kept for stop().
    mutable pid_t pid_ = -1;
    mutable int exit_status_ = -1;
    int stop_signal_ = SIGKILL;
    std::filesystem::path log_;
};

// Waits until `ready()` holds; fails the test with the server's log when it does not within
// `timeout` or the server exits first. `what` names the server in the message.
void wait_until_ready(const BackgroundProcess& server, const std::function<bool()>& ready,
                      const std::string& what,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20));

// Waits for the port a server started on port 0 writes into `port_file`, and returns it.
int wait_for_port_file(const BackgroundProcess& server, const std::filesystem::path& port_file,
                       const std::string& what,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

// A port nothing listens on right now, below the ephemeral range (see background_process.cpp).
int free_port();

// Waits until something accepts TCP connections on 127.0.0.1:`port`; fails the test with the
// server's log when nothing does within `timeout` or the server exits.
void wait_until_listening(const BackgroundProcess& server, int port,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace launchkit::testing

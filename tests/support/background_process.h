// A server a test starts and owns: spawned from argv (looked up on PATH, never a shell), its
// stdout and stderr appended to a log file, SIGKILLed and reaped when the object goes.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace launchkit::testing {

class BackgroundProcess {
  public:
    BackgroundProcess() = default;
    // Fails the test (naming `package`, the Debian package that brings it) when it cannot start.
    BackgroundProcess(std::vector<std::string> argv, std::filesystem::path log,
                      const std::string& package);
    ~BackgroundProcess() { stop(); }
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;
    BackgroundProcess(BackgroundProcess&& other) noexcept;
    BackgroundProcess& operator=(BackgroundProcess&& other) noexcept;

    pid_t pid() const { return pid_; }
    bool running() const;
    void stop();
    std::string log() const;

  private:
    pid_t pid_ = -1;
    std::filesystem::path log_;
};

// Waits until something accepts TCP connections on 127.0.0.1:`port`; fails the test with the
// server's log when nothing does within `timeout` or the server exits.
void wait_until_listening(const BackgroundProcess& server, int port,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace launchkit::testing

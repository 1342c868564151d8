// Runs child processes from an argv vector (posix_spawn, never a shell), capturing their output.
// Every external tool launchkit drives (git, pg_dump, probe commands) goes through here.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace launchkit::util {

struct ProcessSpec {
    // argv[0] is looked up on PATH.
    std::vector<std::string> argv{};
    // Empty: the caller's.
    std::filesystem::path working_directory{};
    // Variables set or overridden in the child; the rest of the caller's environment is inherited.
    std::vector<std::pair<std::string, std::string>> environment{};
    // Written to the child's stdin, which is then closed.
    std::string stdin_data{};
    // Kill the child's process group after this long.
    std::optional<std::chrono::milliseconds> timeout{};
    // Set: each line of the child's stdout is handed over as it arrives (progress a tool prints
    // while it works) instead of being kept in stdout_text.
    std::function<void(std::string_view line)> stdout_line{};
};

struct ProcessResult {
    int exit_code = -1;      // -1 when the child was killed by a signal
    int signal = 0;          // the terminating signal, 0 when it exited
    bool timed_out = false;  // killed because the timeout passed
    std::string stdout_text;
    std::string stderr_text;

    bool succeeded() const { return exit_code == 0; }
};

// Spawns the process and waits for it. An Error (exit code 3) only when it could not be started;
// a child that ran and failed is a ProcessResult with a non-zero exit_code.
Result<ProcessResult> run_process(const ProcessSpec& spec);

// The first non-empty line of a child's stderr, for one-line error messages.
std::string first_line(std::string_view text);

}  // namespace launchkit::util

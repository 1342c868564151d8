// What each `launchctl` subcommand does. `status NAME` answers 0 (running) / 1 (paused); `wait`
// answers 0 when the state is reached and 1 at the deadline.
#pragma once

#include <optional>
#include <string>

#include "core/context.h"

namespace launchkit::flags {

struct PauseOptions {
    std::string name{};
    std::string reason{};
    bool create_new = false;  // --new: create a control whose name is close to an existing one
};

struct ResumeOptions {
    std::string name{};
    std::string reason{};
};

struct LaunchStatusOptions {
    std::string name{};  // empty: every control
};

struct WaitOptions {
    std::string name{};
    std::string until{};          // running | paused
    std::string timeout = "5m";   // duration
    std::string interval = "1s";  // how often to look at the embedded store (etcd is watched)
};

Result<ExitCode> run_pause(Context& context, const PauseOptions& options);
Result<ExitCode> run_resume(Context& context, const ResumeOptions& options);
Result<ExitCode> run_launch_status(Context& context, const LaunchStatusOptions& options);
Result<ExitCode> run_wait(Context& context, const WaitOptions& options);
Result<ExitCode> run_launch_history(Context& context, const LaunchStatusOptions& options);

}  // namespace launchkit::flags

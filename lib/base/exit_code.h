// The exit-code convention every launchkit executable follows, so shell scripts can branch on it.
#pragma once

namespace launchkit {

enum class ExitCode : int {
    ok = 0,             // the command did what was asked
    said_no = 1,        // a check, gate or decision said no (nothing is broken)
    invalid_input = 2,  // usage error or invalid input; nothing was changed
    environment = 3,  // environment or runtime failure: I/O error, missing tool, unreachable server
};

inline int to_int(ExitCode code) {
    return static_cast<int>(code);
}

}  // namespace launchkit

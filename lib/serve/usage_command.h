// `feature-flags usage`: how often a running flag server evaluated each flag and with what result
// (its /api/usage), the runbooks' "monitor feature usage" without a Prometheus at hand.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/exit_code.h"
#include "core/context.h"

namespace launchkit::serve {

struct UsageOptions {
    std::string server;                // empty: $LAUNCHKIT_SERVE_URL, else http://127.0.0.1:8016
    std::vector<std::string> flags;    // only these (all when empty)
    std::string token_env;             // a server whose reads need a token: the variable
    std::filesystem::path token_file;  // or the file holding it
};

// Prints FLAG RESULT COUNT (or --json {server, environment, evaluations: [{flag, result,
// count}]}). Exit 3 when the server does not answer; 1 when a named flag was never evaluated.
Result<ExitCode> run_usage(Context& context, const UsageOptions& options);

}  // namespace launchkit::serve

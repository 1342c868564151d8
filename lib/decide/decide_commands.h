// `release-manager analyze`: one analysis on its own, exit 0 when the verdict is promote or
// continue and 1 for rollback, pause or inconclusive (the verdict is in the output either way).
#pragma once

#include <filesystem>
#include <string>

#include "core/context.h"

namespace launchkit::decide {

struct AnalyzeOptions {
    std::filesystem::path rules{};
    std::filesystem::path canary{};      // a series file; empty: read the rules' sources live
    std::filesystem::path baseline{};    // a series file or a `diagnose snapshot`
    std::string impact{};                // "30%" or 0.3: share of users affected
    std::string interval{};              // overrides analysis.interval
    int count = 0;                       // overrides analysis.count when > 0
    std::vector<std::string> sources{};  // --source NAME=URL
};

Result<ExitCode> run_analyze(Context& context, const AnalyzeOptions& options);

}  // namespace launchkit::decide

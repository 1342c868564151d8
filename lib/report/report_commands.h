// `release-manager report RUN_ID|ENV [-o FILE]`: a run's HTML report written to a file.
#pragma once

#include <filesystem>
#include <string>

#include "base/error.h"
#include "base/exit_code.h"
#include "core/context.h"

namespace launchkit::report {

struct ReportOptions {
    std::string run;               // a run id, or an environment (its latest run)
    std::filesystem::path output;  // empty: RUN_ID.html in the current directory
};

Result<ExitCode> run_report(Context& context, const ReportOptions& options);

}  // namespace launchkit::report

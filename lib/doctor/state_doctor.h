// `release-manager doctor`: one look at everything launchkit keeps in its state directory — who
// may read it, whether the store and its audit chain, the run journals, the release ledger and the
// backups are intact, what killed writers left behind and which locks are held — so that an
// operator knows before an upgrade whether the tool's own records can be trusted.
#pragma once

#include <string>
#include <vector>

#include "core/context.h"

namespace launchkit::doctor {

enum class CheckResult { ok, warning, failed, skipped };
std::string_view to_string(CheckResult result);

struct DoctorCheck {
    std::string name;  // "permissions", "store", "runs", ...
    CheckResult result = CheckResult::ok;
    std::string detail;                   // one line: what was found
    std::vector<std::string> problems{};  // each thing wrong, with what to do about it
};

struct DoctorOptions {
    bool backups = true;  // verify every backup's data (reads all of it)
};

// Every check, in a fixed order. Each says what it found; none changes anything.
std::vector<DoctorCheck> examine_state(Context& context, const DoctorOptions& options);

// Prints the checks (a table, or JSON with --json); exit 1 when any failed, else 0.
Result<ExitCode> run_doctor(Context& context, const DoctorOptions& options);

}  // namespace launchkit::doctor

// A run step's `expected:` (the runbooks' pre-deployment checks: `git status --porcelain` empty,
// `npm test` all pass, `npm audit` no critical): judged on what the command did, and never a pass
// when the tool did not do its job (killed, timed out, or no report where one is required).
#pragma once

#include <optional>
#include <string_view>

#include "playbook/step_executor.h"

namespace launchkit::playbook {

// What an audit tool (npm, pnpm or yarn audit; text or --json) reported.
struct AuditFindings {
    int total = 0;
    int critical = 0;
};

// The findings in an audit tool's output, or nothing when the output holds no audit report: the
// tool failed before auditing (no lock file, no network, an error object instead of a report).
std::optional<AuditFindings> read_audit_report(std::string_view output);

// Judges `outcome` (a command step's: outputs exit_code, stdout, stderr_first_line; succeeded when
// it exited 0) against `expected`: success, all_pass, empty or no_critical.
void judge_expectation(std::string_view expected, StepOutcome& outcome);

}  // namespace launchkit::playbook

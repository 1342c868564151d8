// What the commands a playbook runs print (lib/playbook/command_expectation): npm, pnpm and yarn
// audit reports, text and JSON, judged against a run step's `expected:`. Input: one byte choosing
// the expectation and how the command ended, then its stdout. A tool's output is not launchkit's
// to trust; whatever it holds, an expectation never passes a command that was killed, never turns
// a failure into a pass except an audit that reported no critical finding.
#include <cstdlib>

#include "fuzz_input.h"
#include "playbook/command_expectation.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr const char* expectations[] = {"success", "all_pass", "empty", "no_critical"};
    static constexpr int exit_codes[] = {0, 1, -1, 2};
    std::string_view expected = expectations[data[0] % 4];
    int exit_code = exit_codes[(data[0] / 4) % 4];
    auto output = fuzz::as_text(data + 1, size - 1);

    auto report = playbook::read_audit_report(output);
    playbook::StepOutcome outcome;
    outcome.succeeded = exit_code == 0;
    outcome.outputs["exit_code"] = exit_code;
    outcome.outputs["stdout"] = std::string(output);
    outcome.outputs["stderr_first_line"] = "";
    bool before = outcome.succeeded;
    playbook::judge_expectation(expected, outcome);

    if (outcome.succeeded && exit_code < 0) std::abort();
    if (outcome.succeeded && !before &&
        (expected != "no_critical" || !report || report->critical != 0))
        std::abort();
    if (report && (report->total < 0 || report->critical < 0)) std::abort();
    return 0;
}

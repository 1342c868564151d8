#include "playbook/deploy_commands.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/output.h"
#include "playbook/run_journal.h"
#include "playbook/run_report.h"
#include "version/release_ledger.h"

namespace launchkit::playbook {

ExitCode print_run_outcome(Context& context, const RunOutcome& outcome) {
    if (!outcome.run) {
        // A rollback with no run to undo: only the ledger says which version runs now.
        if (context.json)
            print_json(*context.out, {{"run_id", nullptr},
                                      {"status", "rolled_back"},
                                      {"env", outcome.environment},
                                      {"version", outcome.version},
                                      {"reason", outcome.reason}});
        else
            *context.out << fmt::format("{} rolled back to {} (ledger only: no playbook run)\n",
                                        outcome.environment, outcome.version);
        return outcome.exit_code;
    }
    if (outcome.already_ended) {
        *context.err << fmt::format("run {} already ended: {}\n", outcome.run->run_id,
                                    to_string(outcome.run->status));
        return outcome.exit_code;
    }
    print_run_report(context, *outcome.playbook, *outcome.run);
    return outcome.exit_code;
}

namespace {

Result<ExitCode> run_and_print(Context& context, RunRequest request) {
    LAUNCHKIT_TRY_ASSIGN(auto outcome, execute_run(context, request));
    return print_run_outcome(context, outcome);
}

}  // namespace

Result<ExitCode> run_deploy(Context& context, const DeployOptions& options) {
    return run_and_print(context, {options});
}

Result<ExitCode> run_resume(Context& context, const ResumeOptions& options) {
    return run_and_print(context, {options});
}

Result<ExitCode> run_rollback(Context& context, const RollbackOptions& options) {
    return run_and_print(context, {options});
}

std::vector<std::string> run_ids(const Context& context) {
    auto ids = list_run_ids(context).value_or(std::vector<std::string>{});
    std::reverse(ids.begin(), ids.end());
    return ids;
}

std::vector<std::string> environment_names(const Context& context) {
    std::set<std::string> names;
    for (const auto& [name, unused] : context.config.environments) names.insert(name);
    if (auto entries = version::read_ledger(context))
        for (const auto& entry : *entries)
            if (!entry.environment.empty()) names.insert(entry.environment);
    return {names.begin(), names.end()};
}

}  // namespace launchkit::playbook

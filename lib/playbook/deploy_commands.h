// `release-manager deploy`, `plan`, `resume`, `rollback` and `runs`: the playbook runner from the
// command line. deploy, resume and rollback hold a per-environment lock, so two runs against one
// environment never interleave, and record what happened in the release ledger.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/context.h"
#include "playbook/run_request.h"

namespace launchkit::playbook {

struct PlanOptions {
    std::filesystem::path playbook{};
    std::string version = "0.0.0";
    std::string environment = "staging";
    std::string strategy{};
    std::optional<int> initial_traffic{};
    std::vector<std::string> vars{};
};

struct RunsOptions {
    std::string environment{};
    std::string run_id{};  // show one run in full
};

// Each runs execute_run() and prints its outcome: the run's report (a table, or the run as JSON).
Result<ExitCode> run_deploy(Context& context, const DeployOptions& options);
Result<ExitCode> run_plan(Context& context, const PlanOptions& options);
Result<ExitCode> run_resume(Context& context, const ResumeOptions& options);
Result<ExitCode> run_rollback(Context& context, const RollbackOptions& options);
Result<ExitCode> run_runs(Context& context, const RunsOptions& options);
// Prints what execute_run() returned, as every command that runs a playbook does.
ExitCode print_run_outcome(Context& context, const RunOutcome& outcome);

// For shell completion: run ids, newest first; environments from the config and the ledger.
std::vector<std::string> run_ids(const Context& context);
std::vector<std::string> environment_names(const Context& context);

}  // namespace launchkit::playbook

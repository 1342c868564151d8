// `release-manager deploy`, `plan`, `resume`, `rollback` and `runs`: the playbook runner from the
// command line. deploy, resume and rollback hold a per-environment lock, so two runs against one
// environment never interleave, and record what happened in the release ledger.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/context.h"
#include "playbook/run_state.h"

namespace launchkit::playbook {

struct DeployOptions {
    std::string version{};
    std::string environment{};
    std::filesystem::path playbook{};
    std::string strategy{};
    std::optional<int> initial_traffic{};
    std::vector<std::string> approvals{};  // --approve STEP (repeatable; "all")
    std::string tag_prefix{};              // empty: the config's release.tag_prefix
    bool force = false;                    // skip the promotion requirement (audited)
    std::string reason{};                  // why, with --force
    std::vector<std::string> vars{};       // --var NAME=VALUE (repeatable)
};

struct PlanOptions {
    std::filesystem::path playbook{};
    std::string version = "0.0.0";
    std::string environment = "staging";
    std::string strategy{};
    std::optional<int> initial_traffic{};
    std::vector<std::string> vars{};
};

struct ResumeOptions {
    std::string run_id{};  // or an environment: its latest run
    std::vector<std::string> approvals{};
};

struct RollbackOptions {
    std::string environment{};
    std::string version{};  // the version to go back to; empty: what ran before the last deploy
    std::string run_id{};   // empty: the environment's latest run
    std::string reason{};
    std::string tag_prefix{};
};

struct RunsOptions {
    std::string environment{};
    std::string run_id{};  // show one run in full
};

// `started_run`, when given, receives the new run's id as soon as the run exists.
Result<ExitCode> run_deploy(Context& context, const DeployOptions& options,
                            std::string* started_run = nullptr);
Result<ExitCode> run_plan(Context& context, const PlanOptions& options);
Result<ExitCode> run_resume(Context& context, const ResumeOptions& options);
Result<ExitCode> run_rollback(Context& context, const RollbackOptions& options);
Result<ExitCode> run_runs(Context& context, const RunsOptions& options);
// Rolls `state` back now (`rollback`, `abort` of a dead run); the caller holds its environment's
// lock and checked that it is the latest run. `version`, when given, is what runs afterwards.
Result<ExitCode> roll_back_run(Context& context, RunState state, const std::string& reason,
                               const std::string& version = {});

// For shell completion: run ids, newest first; environments from the config and the ledger.
std::vector<std::string> run_ids(const Context& context);
std::vector<std::string> environment_names(const Context& context);

}  // namespace launchkit::playbook

// The one way a playbook run is started, continued or rolled back. `deploy`, `resume`,
// `rollback`, `abort` (of a dead run) and `drill` each build a RunRequest and get a RunOutcome
// back; none calls another command, and what to print is the caller's business.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/context.h"
#include "playbook/playbook.h"
#include "playbook/run_state.h"

namespace launchkit::playbook {

// Start a new run of a playbook: VERSION into ENVIRONMENT.
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

// Continue a paused or dead run where its journal says it stopped.
struct ResumeOptions {
    std::string run_id{};  // or an environment: its latest run
    std::vector<std::string> approvals{};
};

// Undo a run now, whatever its state; with no run at all, record the version in the ledger.
struct RollbackOptions {
    std::string environment{};
    std::string version{};  // the version to go back to; empty: what ran before the last deploy
    std::string run_id{};   // empty: the environment's latest run
    std::string reason{};
    std::string tag_prefix{};
    // Go back to a version that never ran in the environment (audited through the ledger note).
    bool force = false;
    // The caller already holds the environment's lock (abort found the run's runner dead and
    // took it); taking it again here would wait for ourselves.
    bool environment_locked = false;
};

struct RunRequest {
    std::variant<DeployOptions, ResumeOptions, RollbackOptions> action;
    // Stdout belongs to the caller (drill prints its own table there): what steps print for the
    // operator as they go (gate details, stdout notifications) goes to stderr instead.
    bool stdout_reserved = false;
};

struct RunOutcome {
    // The run as its journal says when this invocation stopped; empty when a rollback had no run
    // to undo and only recorded the version in the ledger (`version` below).
    std::optional<RunState> run{};
    std::optional<Playbook> playbook{};  // the run's playbook, for the report's step table
    std::string environment{};
    std::string version{};
    std::string reason{};        // a ledger-only rollback's reason
    bool interrupted = false;    // a signal stopped it (whatever on_interrupt then did)
    bool already_ended = false;  // resume of a run that had ended: nothing ran
    ExitCode exit_code = ExitCode::ok;
};

// Validates everything the run needs before its first side effect, takes the environment's lock,
// then runs. An error is returned only when nothing ran or the journal could not be written; a
// run that failed or rolled back is an outcome with its exit code (1, or 3 after a signal or a
// failed rollback).
Result<RunOutcome> execute_run(Context& context, const RunRequest& request);

}  // namespace launchkit::playbook

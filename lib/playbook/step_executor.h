// Running one step of a playbook, and undoing it on rollback. Each kind drives the library (flags,
// launch controls, backups, probes, decisions) or the user's own commands by argv.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/context.h"
#include "decide/decision.h"
#include "playbook/playbook.h"
#include "playbook/run_journal.h"
#include "playbook/variables.h"

namespace launchkit::playbook {

// What the command line asked of this run.
struct RunOptions {
    std::string strategy{};                // --strategy: overrides deploy steps' strategy
    std::optional<int> initial_traffic{};  // --initial-traffic: a canary's first weight
    std::set<std::string> approvals{};     // --approve STEP ("all" approves every step)
    bool stdout_reserved = false;          // the caller prints there (drill): steps use stderr
};

// What asks a running step to stop at its next safe point: a signal, or an operator's request
// from another shell (`release-manager abort|pause|promote`).
enum class StopRequest { none, signal, abort, pause, promote, promote_full };
// A promote is answered by a gate; the other requests stop the step that sees them.
inline bool is_promote(StopRequest request) {
    return request == StopRequest::promote || request == StopRequest::promote_full;
}
inline bool stops_the_step(StopRequest request) {
    return request != StopRequest::none && !is_promote(request);
}

struct StepContext {
    Context& context;
    const Playbook& playbook;
    const RunOptions& options;
    Variables variables{};
    nlohmann::json progress = nullptr;  // where a resumed deploy left off
    std::string step{};                 // the step being run
    // Journals an event of this step (fsync'd) before the step goes on: a deploy's progress, so
    // that a resume does not repeat it; a traffic change; a gate's decision. The runner stamps
    // the time. Unset in tests that run a step alone.
    std::function<Result<void>(RunEvent)> record{};
    std::function<void(std::chrono::milliseconds)> sleep{};
    // Asked at the step's safe points (between traffic steps, batches and measurements, never
    // in the middle of a command or a request). A promote is the gate's to act on; anything
    // else stops the step, failing it, and the runner does what was asked.
    std::function<StopRequest()> stop{};
    // The run as journaled so far (read-only): whether it was promoted to 100 %.
    const RunState* state = nullptr;

    StopRequest stop_requested() const { return stop ? stop() : StopRequest::none; }
    // Where a step prints for the operator as it goes (a gate's details, a stdout notification):
    // stdout, unless stdout carries JSON or belongs to the caller.
    std::ostream& operator_output() const {
        return context.json || options.stdout_reserved ? *context.err : *context.out;
    }
    bool promoted_full() const { return state && state->promoted_full; }
    // Journals how far a deploy got (StepProgress) when the run records events.
    Result<void> save_progress(nlohmann::json value);
};

struct StepOutcome {
    bool succeeded = false;
    nlohmann::json outputs = nlohmann::json::object();
    nlohmann::json undo = nullptr;      // what reverting it needs
    nlohmann::json decision = nullptr;  // a gate's decision
    std::string message{};              // why it failed, or what it did
};

// Runs the step; an Error means it could not run at all, which fails it like any failure.
Result<StepOutcome> execute_step(const Step& step, StepContext& run);
// Reverts a completed flag, pause, resume or deploy step from its journaled `undo`; nothing to do
// for other kinds (their rollback is the playbook's rollback list).
bool has_implicit_undo(const Step& step, const StepRecord& record);
Result<StepOutcome> undo_step(const Step& step, const StepRecord& record, StepContext& run);

// Kind-specific parts, one file each.
Result<StepOutcome> execute_command_step(const Step& step, const nlohmann::json& body,
                                         StepContext& run);
// verify: a signed checksums file and every file it lists, and/or an attestation about artifacts.
Result<StepOutcome> execute_verify_step(const nlohmann::json& body, StepContext& run);
Result<StepOutcome> execute_state_step(const Step& step, const nlohmann::json& body,
                                       StepContext& run);
Result<StepOutcome> undo_state_step(const Step& step, const StepRecord& record, StepContext& run);
Result<StepOutcome> execute_deploy_step(const Step& step, const nlohmann::json& body,
                                        StepContext& run);
Result<StepOutcome> undo_deploy_step(const Step& step, const StepRecord& record, StepContext& run);

// A canary's traffic steps; `--initial-traffic N` makes N the first and drops the smaller ones.
std::vector<int> canary_weights(std::vector<int> steps, std::optional<int> initial_traffic);

// Runs a gate's analysis and prints its decision table (human output) or nothing (--json).
Result<decide::Decision> run_gate(const GateSpec& gate, StepContext& run, std::string_view label);
// Runs the user's command ({argv, env, timeout, working_directory}); exit code 0 is success.
// launchkit's own tools run by a step act on the run's state directory and configuration
// (LAUNCHKIT_STATE_DIR, LAUNCHKIT_CONFIG), unless the step's env says otherwise.
Result<StepOutcome> run_user_command(const Context& context, const nlohmann::json& command,
                                     std::string_view what);

}  // namespace launchkit::playbook

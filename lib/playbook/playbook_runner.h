// Runs a playbook's steps in order, journaling each before and after it runs, applies each
// step's on_failure, and rolls back in reverse order of what completed. A run resumed from its
// journal skips every finished step and continues a deploy from its last traffic step.
//
// The model: a run is its journal. Every change of the run's state is an event that is first
// appended to the journal (fsync'd) and then applied to the runner's RunState with the same
// apply() that `resume`, `runs` and `abort` use to replay it, so what the runner believed and
// what the journal says are the same by construction, whenever the process dies.
//
// Invariants: a step's traffic change is journaled before the command that makes it, so a
// rollback by anyone knows what to take back; a run stops only at safe points (between steps,
// traffic steps, batches and measurements), never in the middle of a command or a request; a
// signal (SIGINT, SIGTERM, SIGHUP) is such a stop, after which the playbook's on_interrupt rolls
// back (the default) or pauses; a second signal during a rollback is reported and ignored, since
// a half-done rollback is the worst place to stop; a step that throws fails like any other.
//
// Steering from another shell: `release-manager abort|promote|pause` append a control_requested
// event to the journal of a live run (one whose environment lock is held). The runner reads what
// others appended at its safe points: abort rolls back, pause stops resumable, promote answers
// the current gate, promote --full goes to 100 % with no more gates. A control is never acted on
// in the middle of a command or a request, and each is answered by a control_handled event.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/context.h"
#include "playbook/playbook.h"
#include "playbook/run_journal.h"
#include "playbook/step_executor.h"
#include "util/signal_latch.h"

namespace launchkit::playbook {

class PlaybookRunner {
  public:
    PlaybookRunner(Context& context, const Playbook& playbook, const RunJournal& journal,
                   const RunOptions& options, Variables variables, RunState state);

    // Continues the run (forward, then a rollback if a step asked for one) until it ends or
    // pauses; returns the run as its journal now says.
    Result<RunState> run();
    // Rolls back now, whatever the run's state (`release-manager rollback`).
    Result<RunState> roll_back(const std::string& reason);

    // Journals `event` (fsync'd), applies it and makes it public (record_event); stamps the time
    // when the event has none.
    Result<void> record(RunEvent event);

    // A signal stopped this invocation (the run rolled back or paused because of it).
    bool interrupted() const { return interrupted_; }
    const RunState& state() const { return state_; }

  private:
    Result<void> forward();
    Result<void> rollback_actions();
    Result<void> start_rollback(const std::string& reason, const std::string& failed_step);
    Result<void> finish(RunStatus status, const std::string& reason,
                        const std::string& failed_step = {});
    // After a signal: journals it and does what the playbook's on_interrupt says.
    Result<void> stop_for_signal(const std::string& current_step);
    // What asks the run to stop: a signal, else a control another process appended to the
    // journal (read at most every 200 ms).
    StopRequest stop_request();
    // Acts on an abort, a pause or a signal at a safe point; nothing for the rest.
    std::optional<Result<void>> stop_if_asked(const std::string& current_step);
    Result<StepOutcome> attempt(const Step& step, StepPhase phase, const nlohmann::json& progress,
                                const std::function<Result<StepOutcome>(StepContext&)>& work);
    void remember_outputs(const Step& step, const nlohmann::json& outputs);
    // Waits in slices, so that a signal or a control is seen within a quarter of a second.
    void wait(std::chrono::milliseconds duration);

    Context& context_;
    const Playbook& playbook_;
    const RunJournal& journal_;
    const RunOptions& options_;
    Variables variables_;
    RunState state_;
    util::SignalLatch signals_;
    int signals_reported_ = 0;
    size_t journal_read_ = 0;  // bytes of the journal already applied
    std::chrono::steady_clock::time_point last_poll_{};
    bool interrupted_ = false;
    std::chrono::steady_clock::time_point began_ = std::chrono::steady_clock::now();
};

}  // namespace launchkit::playbook

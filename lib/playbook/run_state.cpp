#include "playbook/run_state.h"

#include <algorithm>

namespace launchkit::playbook {
namespace {

void note_started(std::vector<std::string>& order, const std::string& name) {
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
}

StepRecord& record_of(RunState& state, StepPhase phase, const std::string& name) {
    auto& record = (phase == StepPhase::rollback ? state.rollback : state.steps)[name];
    record.name = name;
    record.phase = phase;
    return record;
}

struct Applier {
    RunState& state;

    void operator()(const RunStarted& event) {
        state.started = event;
        if (!event.run_id.empty()) state.run_id = event.run_id;
    }
    void operator()(const StepStarted& event) {
        note_started(
            event.phase == StepPhase::rollback ? state.rollback_order : state.forward_order,
            event.step);
        auto& record = record_of(state, event.phase, event.step);
        record.status = StepStatus::running;
        record.kind = event.kind;
        record.started_at = event.time;
        record.finished_at.clear();
        record.message.clear();
    }
    void operator()(const StepProgress& event) {
        record_of(state, event.phase, event.step).progress = event.progress;
    }
    void operator()(const TrafficChanged& event) {
        // From the first change on, a rollback must take the traffic back.
        record_of(state, StepPhase::forward, event.step).undo = {{"strategy", "canary"},
                                                                 {"weight", event.weight}};
    }
    void operator()(const GateDecided& event) {
        record_of(state, StepPhase::forward, event.step).decision = event.decision;
    }
    void operator()(const StepFinished& event) {
        auto& record = record_of(state, event.phase, event.step);
        record.status = event.status;
        record.finished_at = event.time;
        record.outputs = event.outputs;
        // A step that ended in an error reports no undo, but what it journaled before (a
        // traffic change) still has to be taken back.
        if (!event.undo.is_null()) record.undo = event.undo;
        if (!event.decision.is_null()) record.decision = event.decision;
        record.message = event.message;
        record.seconds = event.seconds;
        if (event.phase == StepPhase::forward && event.status == StepStatus::succeeded &&
            std::find(state.completed.begin(), state.completed.end(), event.step) ==
                state.completed.end())
            state.completed.push_back(event.step);
    }
    void operator()(const RollbackStarted& event) {
        state.rolling_back = true;
        state.rollback_started_at = event.time;
        state.failure_reason = event.reason;
        state.failed_step = event.failed_step;
    }
    void operator()(const RunPaused& event) {
        state.status = RunStatus::paused;
        state.failure_reason = event.reason;
        state.failed_step = event.failed_step;
    }
    // A resumed run is no longer stopped by what paused it: that stays in the journal, not in
    // the run's state (its last line must not name a step that has since succeeded).
    void operator()(const RunContinued&) {
        state.status = RunStatus::running;
        state.failure_reason.clear();
        state.failed_step.clear();
    }
    void operator()(const ControlRequested& event) { state.pending_control = event; }
    void operator()(const ControlHandled& event) {
        state.pending_control.reset();
        if (event.control == RunControl::promote_full) state.promoted_full = true;
    }
    void operator()(const RunInterrupted& event) { state.interrupted = event; }
    void operator()(const NotificationSent& event) { state.notifications.push_back(event); }
    void operator()(const RunFinished& event) {
        state.status = event.status;
        state.finished_at = event.time;
        if (!event.reason.empty()) state.failure_reason = event.reason;
        if (!event.failed_step.empty()) state.failed_step = event.failed_step;
        state.pending_control.reset();
    }
};

}  // namespace

bool RunState::ended() const {
    return status != RunStatus::running && status != RunStatus::paused;
}

void apply(RunState& state, const RunEvent& event) {
    std::visit(Applier{state}, event);
}

}  // namespace launchkit::playbook

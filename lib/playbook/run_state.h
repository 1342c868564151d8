// A playbook run's state: what its events, applied in journal order, say. One apply() serves the
// live runner (append the event, fsync, then apply) and every replay (`resume`, `runs`, `abort`,
// `drill`), so the two can never disagree about a run.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "playbook/run_event.h"

namespace launchkit::playbook {

// What the journal says about one step (forward or rollback action).
struct StepRecord {
    std::string name{};
    StepPhase phase = StepPhase::forward;
    StepStatus status = StepStatus::running;
    std::string kind{};
    std::string started_at{};
    std::string finished_at{};
    nlohmann::json outputs = nlohmann::json::object();
    nlohmann::json undo = nullptr;      // what reverting it needs (the state before)
    nlohmann::json progress = nullptr;  // a deploy's last finished traffic step or batch
    nlohmann::json decision = nullptr;  // a gate's decision
    std::string message{};
    double seconds = 0;

    bool operator==(const StepRecord&) const = default;
};

struct RunState {
    std::string run_id{};
    RunStarted started{};
    RunStatus status = RunStatus::running;
    bool rolling_back = false;
    std::string rollback_started_at{};
    std::string failure_reason{};
    std::string failed_step{};
    std::string finished_at{};
    std::map<std::string, StepRecord> steps{};     // forward steps by name
    std::map<std::string, StepRecord> rollback{};  // rollback actions by name
    std::vector<std::string> completed{};          // forward steps in completion order
    std::vector<std::string> forward_order{};      // forward steps in the order they first started
    std::vector<std::string> rollback_order{};     // rollback actions likewise
    std::optional<ControlRequested> pending_control{};  // asked for, not yet acted on
    bool promoted_full = false;  // `promote --full`: straight to 100 %, no more gates
    std::optional<RunInterrupted> interrupted{};    // the last signal that stopped the run
    std::vector<NotificationSent> notifications{};  // every notification sent or given up on

    bool ended() const;
    bool operator==(const RunState&) const = default;
};

void apply(RunState& state, const RunEvent& event);

}  // namespace launchkit::playbook

// The closed set of events a playbook run is made of, each a typed record, and their JSON-lines
// form in the run's journal. The journal is the run: the live runner appends an event and then
// applies it (run_state.h); every later reader replays the same events through the same apply.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit::playbook {

enum class RunStatus {
    running,
    succeeded,
    failed,
    paused,
    rolled_back,
    rollback_failed,
    abandoned
};
std::string_view to_string(RunStatus status);
std::optional<RunStatus> parse_run_status(std::string_view text);

enum class StepPhase { forward, rollback };
std::string_view to_string(StepPhase phase);

enum class StepStatus { running, succeeded, failed };
std::string_view to_string(StepStatus status);

// What an operator asks of a running deploy from another shell (`release-manager abort`, ...).
enum class RunControl { abort, promote, promote_full, pause, resume };
std::string_view to_string(RunControl control);
std::optional<RunControl> parse_run_control(std::string_view text);

// What a run does when a signal stops it (the playbook's `on_interrupt:`).
enum class OnInterrupt { rollback, pause };
std::string_view to_string(OnInterrupt action);

struct ForcedPromotion {
    std::string reason{};
    std::vector<std::string> skipped{};  // the environments it was not promoted through
    std::string unsigned_release{};      // require_signed: why no signature verified

    bool operator==(const ForcedPromotion&) const = default;
};

struct RunStarted {
    std::string time{};
    std::string run_id{};
    std::string playbook_file{};
    std::string playbook_digest{};
    std::string playbook{};
    std::string version{};
    std::string env{};
    std::string previous_version{};  // empty: nothing ran there before
    std::string tag_prefix{};
    std::string actor{};
    std::string command{};
    std::string strategy{};  // --strategy; empty: each deploy step's own
    std::optional<int> initial_traffic{};
    std::vector<std::string> approvals{};
    std::map<std::string, std::string> vars{};
    std::optional<ForcedPromotion> forced{};
    int owner_pid = 0;  // the process running it (0 in journals older than the field)

    bool operator==(const RunStarted&) const = default;
};

struct StepStarted {
    std::string time{};
    std::string step{};
    StepPhase phase = StepPhase::forward;
    std::string kind{};

    bool operator==(const StepStarted&) const = default;
};

// A deploy's last finished traffic step, batch or blue-green phase: where a resume continues.
struct StepProgress {
    std::string time{};
    std::string step{};
    StepPhase phase = StepPhase::forward;
    nlohmann::json progress = nullptr;

    bool operator==(const StepProgress&) const = default;
};

// Recorded as soon as a canary's traffic moved, before its gate: whoever rolls back (this runner,
// a resume, an `abort` of a dead run) knows there is traffic to take back.
struct TrafficChanged {
    std::string time{};
    std::string step{};
    int weight = 0;
    int previous_weight = 0;

    bool operator==(const TrafficChanged&) const = default;
};

struct GateDecided {
    std::string time{};
    std::string step{};
    std::string label{};    // "canary@25%", "rollout#2", ...
    std::string verdict{};  // the decision's verdict, as `analyze` prints it
    std::string reason{};
    nlohmann::json decision = nullptr;

    bool operator==(const GateDecided&) const = default;
};

struct StepFinished {
    std::string time{};
    std::string step{};
    StepPhase phase = StepPhase::forward;
    StepStatus status = StepStatus::failed;
    nlohmann::json outputs = nlohmann::json::object();
    nlohmann::json undo = nullptr;  // what reverting it needs (the state before)
    nlohmann::json decision = nullptr;
    std::string message{};
    double seconds = 0;

    bool operator==(const StepFinished&) const = default;
};

struct RollbackStarted {
    std::string time{};
    std::string reason{};
    std::string failed_step{};

    bool operator==(const RollbackStarted&) const = default;
};

struct RunPaused {
    std::string time{};
    std::string reason{};
    std::string failed_step{};

    bool operator==(const RunPaused&) const = default;
};

struct RunContinued {
    std::string time{};

    bool operator==(const RunContinued&) const = default;
};

struct ControlRequested {
    std::string time{};
    RunControl control = RunControl::abort;
    std::string actor{};
    std::string reason{};

    bool operator==(const ControlRequested&) const = default;
};

// The runner acted on the pending request (or found it moot); nothing is pending any more.
struct ControlHandled {
    std::string time{};
    RunControl control = RunControl::abort;
    std::string message{};

    bool operator==(const ControlHandled&) const = default;
};

struct RunInterrupted {
    std::string time{};
    std::string signal{};  // "SIGTERM", ...
    OnInterrupt action = OnInterrupt::rollback;

    bool operator==(const RunInterrupted&) const = default;
};

struct RunFinished {
    std::string time{};
    RunStatus status = RunStatus::failed;
    std::string reason{};
    std::string failed_step{};

    bool operator==(const RunFinished&) const = default;
};

// A notification for this run went out, or could not after its retries (a failed one never fails
// the run). `target` describes the channel without its secret.
struct NotificationSent {
    std::string time{};
    std::string target{};
    std::string notice{};  // the moment: started, rolling_back, message, ...
    bool delivered = false;
    int attempts = 0;
    std::string error{};
    std::string reference{};  // the service's name for it: a Statuspage incident's id

    bool operator==(const NotificationSent&) const = default;
};

using RunEvent =
    std::variant<RunStarted, StepStarted, StepProgress, TrafficChanged, GateDecided, StepFinished,
                 RollbackStarted, RunPaused, RunContinued, ControlRequested, ControlHandled,
                 RunInterrupted, RunFinished, NotificationSent>;

// The event's name in the journal ("run_started", "step_finished", ...).
std::string_view event_name(const RunEvent& event);
const std::string& event_time(const RunEvent& event);

nlohmann::json to_json(const RunEvent& event);
// One journal line's event; an error naming `where` (file:line) and the field at fault when the
// object is not an event this version knows.
Result<RunEvent> parse_run_event(const nlohmann::json& object, const std::string& where);

}  // namespace launchkit::playbook

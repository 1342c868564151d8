// The journal of one playbook run: an append-only JSON-lines file under the state directory, each
// event fsync'd before the runner goes on, so that a killed run can be resumed from its first
// unfinished step and anyone can read what happened and why.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace launchkit::playbook {

enum class RunStatus { running, succeeded, failed, paused, rolled_back, rollback_failed };
std::string_view to_string(RunStatus status);

// What the journal says about one step (forward or rollback action).
struct StepRecord {
    std::string name{};
    std::string phase{};   // "forward" or "rollback"
    std::string status{};  // "running", "succeeded", "failed", "skipped"
    std::string started_at{};
    std::string finished_at{};
    nlohmann::json outputs = nlohmann::json::object();
    nlohmann::json undo = nullptr;      // what reverting it needs (the state before)
    nlohmann::json progress = nullptr;  // a deploy's last finished traffic step or batch
    nlohmann::json decision = nullptr;  // a gate's decision
    std::string message{};
};

// The run as replayed from its journal.
struct RunState {
    std::string run_id{};
    nlohmann::json started = nlohmann::json::object();  // the run_started event
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
};

// Records that a step started, keeping the order steps first started in.
void note_started(RunState& state, const std::string& phase, const std::string& name);

class RunJournal {
  public:
    // The journal of `run_id` in `state_dir`/runs/.
    RunJournal(const std::filesystem::path& state_dir, std::string run_id);

    const std::string& run_id() const { return run_id_; }
    const std::filesystem::path& path() const { return path_; }

    // Appends one event (a JSON object with "event" and "time"), fsync'd.
    Result<void> append(const nlohmann::json& event) const;
    Result<RunState> replay() const;

  private:
    std::string run_id_;
    std::filesystem::path path_;
};

// A new run id: UTC time to the second and a random suffix ("20261125T214800Z-3fa2").
std::string new_run_id();
// Every run's journal in `state_dir`, oldest first.
std::vector<std::string> list_run_ids(const std::filesystem::path& state_dir);

}  // namespace launchkit::playbook

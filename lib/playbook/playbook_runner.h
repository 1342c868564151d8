// Runs a playbook's steps in order, journaling each before and after it runs, applies each
// step's on_failure, and rolls back in reverse order of what completed. A run resumed from its
// journal skips every finished step and continues a deploy from its last traffic step.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/context.h"
#include "playbook/playbook.h"
#include "playbook/run_journal.h"
#include "playbook/step_executor.h"

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

    // Tests shorten waits and gate intervals through this.
    std::function<void(std::chrono::milliseconds)> sleep{};

  private:
    Result<void> forward();
    Result<void> rollback_actions();
    Result<void> start_rollback(const std::string& reason, const std::string& failed_step);
    Result<void> finish(RunStatus status, const std::string& reason);
    Result<StepOutcome> attempt(const Step& step, const std::string& phase,
                                const nlohmann::json& progress,
                                const std::function<Result<StepOutcome>(StepContext&)>& work);
    void remember_outputs(const Step& step, const nlohmann::json& outputs);
    nlohmann::json event(std::string type) const;

    Context& context_;
    const Playbook& playbook_;
    const RunJournal& journal_;
    const RunOptions& options_;
    Variables variables_;
    RunState state_;
    std::chrono::steady_clock::time_point began_ = std::chrono::steady_clock::now();
};

}  // namespace launchkit::playbook

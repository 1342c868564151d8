#include "playbook/playbook_runner.h"

#include <chrono>

#include <fmt/format.h>

#include "core/output.h"
#include "util/time.h"

namespace launchkit::playbook {
namespace {

// The step names a rollback step refers to through ${steps.NAME.*}.
std::set<std::string> referenced_steps(const Step& step) {
    std::set<std::string> names;
    for (const auto& reference : references(step.body))
        if (reference.starts_with("steps.")) {
            auto rest = reference.substr(6);
            names.insert(rest.substr(0, rest.find('.')));
        }
    return names;
}

}  // namespace

PlaybookRunner::PlaybookRunner(Context& context, const Playbook& playbook,
                               const RunJournal& journal, const RunOptions& options,
                               Variables variables, RunState state)
    : context_(context),
      playbook_(playbook),
      journal_(journal),
      options_(options),
      variables_(std::move(variables)),
      state_(std::move(state)) {
    for (const auto& name : state_.completed)
        if (const auto* step = playbook_.find_step(name))
            remember_outputs(*step, state_.steps.at(name).outputs);
    if (state_.rolling_back) {
        variables_["failed_step"] = state_.failed_step;
        variables_["failure_reason"] = state_.failure_reason;
    }
}

nlohmann::json PlaybookRunner::event(std::string type) const {
    return {{"event", std::move(type)}, {"time", util::format_rfc3339(context_.now())}};
}

void PlaybookRunner::remember_outputs(const Step& step, const nlohmann::json& outputs) {
    variables_["steps." + step.name + ".status"] = "succeeded";
    for (const auto& [key, value] : outputs.items())
        variables_["steps." + step.name + "." + key] =
            value.is_string() ? value.get<std::string>() : value.dump();
}

Result<StepOutcome> PlaybookRunner::attempt(
    const Step& step, const std::string& phase, const nlohmann::json& progress,
    const std::function<Result<StepOutcome>(StepContext&)>& work) {
    auto started = event("step_started");
    started["step"] = step.name;
    started["phase"] = phase;
    started["kind"] = to_string(step.kind);
    LAUNCHKIT_TRY(journal_.append(started));
    note_started(state_, phase, step.name);
    auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - began_)
            .count();
    *context_.err << fmt::format("▶ [{}:{:02}] {}{} ({})\n", elapsed / 60, elapsed % 60,
                                 phase == "rollback" ? "rollback: " : "", step.name,
                                 to_string(step.kind))
                  << std::flush;
    auto began = std::chrono::steady_clock::now();
    StepContext run{context_, playbook_, options_, variables_, progress, {}, sleep};
    run.save_progress = [&](const nlohmann::json& value) -> Result<void> {
        auto saved = event("step_progress");
        saved["step"] = step.name;
        saved["phase"] = phase;
        saved["progress"] = value;
        return journal_.append(saved);
    };
    auto result = work(run);
    StepOutcome outcome;
    if (result)
        outcome = std::move(*result);
    else
        outcome.message = result.error().message;  // could not run: a failure like any other
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    auto finished = event("step_finished");
    finished["step"] = step.name;
    finished["phase"] = phase;
    finished["status"] = outcome.succeeded ? "succeeded" : "failed";
    finished["outputs"] = outcome.outputs;
    finished["undo"] = outcome.undo;
    finished["decision"] = outcome.decision;
    finished["message"] = outcome.message;
    finished["seconds"] = seconds;
    LAUNCHKIT_TRY(journal_.append(finished));
    auto& records = phase == "rollback" ? state_.rollback : state_.steps;
    auto& record = records[step.name];
    record.name = step.name;
    record.phase = phase;
    record.status = outcome.succeeded ? "succeeded" : "failed";
    record.outputs = outcome.outputs;
    record.undo = outcome.undo;
    record.decision = outcome.decision;
    record.message = outcome.message;
    record.finished_at = finished["time"];
    *context_.err << fmt::format(
                         "{} {} {:.1f}s {}\n",
                         colorize(outcome.succeeded ? "✓" : "✗",
                                  outcome.succeeded ? Color::green : Color::red, context_.color),
                         step.name, seconds, outcome.message)
                  << std::flush;
    return outcome;
}

Result<void> PlaybookRunner::finish(RunStatus status, const std::string& reason) {
    auto finished = event("run_finished");
    finished["status"] = to_string(status);
    finished["reason"] = reason;
    LAUNCHKIT_TRY(journal_.append(finished));
    state_.status = status;
    state_.finished_at = finished["time"];
    if (!reason.empty()) state_.failure_reason = reason;
    return {};
}

Result<void> PlaybookRunner::forward() {
    for (const auto& step : playbook_.steps) {
        const auto found = state_.steps.find(step.name);
        if (found != state_.steps.end()) {
            if (found->second.status == "succeeded") continue;
            // A failed step whose on_failure was continue stays failed.
            if (found->second.status == "failed" && step.on_failure == OnFailure::continue_run)
                continue;
        }
        auto progress = found != state_.steps.end() ? found->second.progress : nlohmann::json();
        LAUNCHKIT_TRY_ASSIGN(auto outcome,
                             attempt(step, "forward", progress,
                                     [&](StepContext& run) { return execute_step(step, run); }));
        if (outcome.succeeded) {
            state_.completed.push_back(step.name);
            remember_outputs(step, outcome.outputs);
            continue;
        }
        auto reason = fmt::format("step {} failed: {}", step.name, outcome.message);
        switch (step.on_failure) {
            case OnFailure::continue_run:
                variables_["steps." + step.name + ".status"] = "failed";
                continue;
            case OnFailure::pause: {
                auto paused = event("run_paused");
                paused["reason"] = reason;
                paused["failed_step"] = step.name;
                LAUNCHKIT_TRY(journal_.append(paused));
                state_.status = RunStatus::paused;
                state_.failure_reason = reason;
                state_.failed_step = step.name;
                return {};
            }
            case OnFailure::abort:
                state_.failed_step = step.name;
                return finish(RunStatus::failed, reason);
            case OnFailure::rollback:
                LAUNCHKIT_TRY(start_rollback(reason, step.name));
                return rollback_actions();
        }
    }
    return finish(RunStatus::succeeded, "");
}

Result<void> PlaybookRunner::start_rollback(const std::string& reason,
                                            const std::string& failed_step) {
    auto started = event("rollback_started");
    started["reason"] = reason;
    started["failed_step"] = failed_step;
    LAUNCHKIT_TRY(journal_.append(started));
    state_.rolling_back = true;
    state_.rollback_started_at = started["time"];
    state_.failure_reason = reason;
    state_.failed_step = failed_step;
    variables_["failed_step"] = failed_step;
    variables_["failure_reason"] = reason;
    *context_.err << colorize(fmt::format("rolling back: {}", reason), Color::red, context_.color)
                  << '\n'
                  << std::flush;
    return {};
}

Result<void> PlaybookRunner::rollback_actions() {
    // Reverse order of what completed: each step's own undo, then the rollback steps that undo it.
    // The failed step comes first: a canary that failed at 25% still has traffic to take back.
    std::vector<std::string> order;
    if (!state_.failed_step.empty()) order.push_back(state_.failed_step);
    for (auto it = state_.completed.rbegin(); it != state_.completed.rend(); ++it)
        if (*it != state_.failed_step) order.push_back(*it);
    std::set<std::string> completed(state_.completed.begin(), state_.completed.end());
    bool all_ok = true;
    auto run_action =
        [&](const Step& action,
            const std::function<Result<StepOutcome>(StepContext&)>& work) -> Result<void> {
        auto done = state_.rollback.find(action.name);
        if (done != state_.rollback.end() && done->second.status == "succeeded") return {};
        LAUNCHKIT_TRY_ASSIGN(auto outcome, attempt(action, "rollback", nullptr, work));
        all_ok = all_ok && outcome.succeeded;
        return {};
    };
    for (const auto& name : order) {
        const auto* step = playbook_.find_step(name);
        auto record = state_.steps.find(name);
        if (step && record != state_.steps.end() && has_implicit_undo(*step, record->second)) {
            Step undo = *step;
            undo.name = "undo:" + name;
            StepRecord snapshot = record->second;
            LAUNCHKIT_TRY(run_action(undo, [step, snapshot](StepContext& run) {
                return undo_step(*step, snapshot, run);
            }));
        }
        for (const auto& rollback_step : playbook_.rollback)
            if (rollback_step.undoes == name)
                LAUNCHKIT_TRY(run_action(rollback_step, [&rollback_step](StepContext& run) {
                    return execute_step(rollback_step, run);
                }));
    }
    for (const auto& rollback_step : playbook_.rollback) {
        if (!rollback_step.undoes.empty()) continue;
        std::string missing;
        for (const auto& name : referenced_steps(rollback_step))
            if (!completed.contains(name)) missing = name;
        if (!missing.empty()) {
            *context_.err << fmt::format("- rollback: {} skipped ({} did not complete)\n",
                                         rollback_step.name, missing);
            continue;
        }
        LAUNCHKIT_TRY(run_action(rollback_step, [&rollback_step](StepContext& run) {
            return execute_step(rollback_step, run);
        }));
    }
    return finish(all_ok ? RunStatus::rolled_back : RunStatus::rollback_failed,
                  state_.failure_reason);
}

Result<RunState> PlaybookRunner::run() {
    if (state_.status == RunStatus::paused) {
        LAUNCHKIT_TRY(journal_.append(event("run_continued")));
        state_.status = RunStatus::running;
    }
    if (state_.rolling_back)
        LAUNCHKIT_TRY(rollback_actions());
    else
        LAUNCHKIT_TRY(forward());
    return state_;
}

Result<RunState> PlaybookRunner::roll_back(const std::string& reason) {
    if (!state_.rolling_back) LAUNCHKIT_TRY(start_rollback(reason, state_.failed_step));
    LAUNCHKIT_TRY(rollback_actions());
    return state_;
}

}  // namespace launchkit::playbook

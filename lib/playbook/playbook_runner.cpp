#include "playbook/playbook_runner.h"

#include "playbook/run_announcements.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "core/output.h"
#include "util/bounded_json.h"
#include "util/duration.h"
#include "util/strings.h"
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
    // A journal that cannot be read now is read from its start at the first poll: the runner's
    // own events are passed over there, and a control request is never missed.
    journal_read_ = journal_.end_position().value_or(0);
    for (const auto& name : state_.completed)
        if (const auto* step = playbook_.find_step(name))
            remember_outputs(*step, state_.steps.at(name).outputs);
    if (state_.rolling_back) {
        variables_["failed_step"] = state_.failed_step;
        variables_["failure_reason"] = state_.failure_reason;
    }
}

Result<void> PlaybookRunner::record(RunEvent event) {
    return record_event(context_, state_, journal_, std::move(event));
}

StopRequest PlaybookRunner::stop_request() {
    if (signals_.first() != 0) return StopRequest::signal;
    auto now = std::chrono::steady_clock::now();
    if (now - last_poll_ >= std::chrono::milliseconds(200)) {
        last_poll_ = now;
        // Only controls come from other processes; this runner's own events are applied already.
        // A journal that cannot be read now is read at the next poll.
        if (auto events = journal_.read_from(journal_read_))
            for (const auto& event : *events)
                if (std::holds_alternative<ControlRequested>(event)) playbook::apply(state_, event);
    }
    if (!state_.pending_control) return StopRequest::none;
    switch (state_.pending_control->control) {
        case RunControl::abort:
            return StopRequest::abort;
        case RunControl::pause:
            return StopRequest::pause;
        case RunControl::promote:
            return StopRequest::promote;
        case RunControl::promote_full:
            return StopRequest::promote_full;
        case RunControl::resume:
            break;
    }
    return StopRequest::none;
}

std::optional<Result<void>> PlaybookRunner::stop_if_asked(const std::string& current_step) {
    auto request = stop_request();
    if (request == StopRequest::signal) return stop_for_signal(current_step);
    if (request != StopRequest::abort && request != StopRequest::pause) return std::nullopt;
    auto control = *state_.pending_control;
    auto by = fmt::format("{} by {}{}", request == StopRequest::abort ? "aborted" : "paused",
                          control.actor, control.reason.empty() ? "" : ": " + control.reason);
    *context_.err << colorize(util::printable(by), Color::yellow, context_.color) << '\n'
                  << std::flush;
    if (request == StopRequest::pause) {
        LAUNCHKIT_TRY(record(ControlHandled{{}, control.control, "paused"}));
        return record(RunPaused{{}, by, current_step});
    }
    LAUNCHKIT_TRY(record(ControlHandled{{}, control.control, "rolling back"}));
    LAUNCHKIT_TRY(start_rollback(by, current_step));
    return rollback_actions();
}

void PlaybookRunner::wait(std::chrono::milliseconds duration) {
    auto left = duration;
    while (left > std::chrono::milliseconds::zero() && stop_request() == StopRequest::none) {
        auto slice = std::min(left, std::chrono::milliseconds(250));
        context_.sleep_for(slice);
        left -= slice;
    }
}

void PlaybookRunner::remember_outputs(const Step& step, const nlohmann::json& outputs) {
    variables_["steps." + step.name + ".status"] = "succeeded";
    for (const auto& [key, value] : outputs.items())
        variables_["steps." + step.name + "." + key] =
            value.is_string() ? value.get<std::string>() : util::dump_json(value);
}

Result<StepOutcome> PlaybookRunner::attempt(
    const Step& step, StepPhase phase, const nlohmann::json& progress,
    const std::function<Result<StepOutcome>(StepContext&)>& work) {
    LAUNCHKIT_TRY(record(StepStarted{{}, step.name, phase, std::string(to_string(step.kind))}));
    auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - began_)
            .count();
    *context_.err << fmt::format("▶ [{}:{:02}] {}{} ({})\n", elapsed / 60, elapsed % 60,
                                 phase == StepPhase::rollback ? "rollback: " : "", step.name,
                                 to_string(step.kind))
                  << std::flush;
    auto began = std::chrono::steady_clock::now();
    bool forward = phase == StepPhase::forward;
    StepContext run{context_, playbook_, options_, variables_, progress, step.name};
    run.record = [this](RunEvent event) { return record(std::move(event)); };
    // A rollback is never cut short: it waits its full time and ignores signals.
    run.sleep = [this, forward](std::chrono::milliseconds duration) {
        if (forward)
            wait(duration);
        else
            context_.sleep_for(duration);
    };
    run.state = &state_;
    if (forward) run.stop = [this] { return stop_request(); };
    // An exception (out of memory, a library's parse error) is the step failing, which its
    // on_failure handles like any other failure: never a run left `running`.
    Result<StepOutcome> result = [&]() -> Result<StepOutcome> {
        try {
            return work(run);
        } catch (const std::exception& error) {
            return fail(ExitCode::environment, "unexpected error: {}", error.what());
        }
    }();
    StepOutcome outcome;
    if (result)
        outcome = std::move(*result);
    else
        outcome.message = result.error().message;  // could not run: a failure like any other
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    LAUNCHKIT_TRY(
        record(StepFinished{{},
                            step.name,
                            phase,
                            outcome.succeeded ? StepStatus::succeeded : StepStatus::failed,
                            outcome.outputs,
                            outcome.undo,
                            outcome.decision,
                            outcome.message,
                            seconds}));
    // The message quotes what a server answered or a command printed.
    *context_.err << terminal_safe(fmt::format(
                         "{} {} {} {}",
                         colorize(outcome.succeeded ? "✓" : "✗",
                                  outcome.succeeded ? Color::green : Color::red, context_.color),
                         step.name, util::format_seconds(seconds), outcome.message))
                  << '\n'
                  << std::flush;
    return outcome;
}

Result<void> PlaybookRunner::finish(RunStatus status, const std::string& reason,
                                    const std::string& failed_step) {
    return record(RunFinished{{}, status, reason, failed_step});
}

Result<void> PlaybookRunner::stop_for_signal(const std::string& current_step) {
    interrupted_ = true;
    signals_reported_ = signals_.count();
    auto name = util::signal_name(signals_.first());
    LAUNCHKIT_TRY(record(RunInterrupted{{}, name, playbook_.on_interrupt}));
    auto reason = fmt::format("interrupted by {}", name);
    if (playbook_.on_interrupt == OnInterrupt::pause) {
        *context_.err << colorize(fmt::format("{}: pausing (on_interrupt: pause)", reason),
                                  Color::yellow, context_.color)
                      << '\n'
                      << std::flush;
        return record(RunPaused{{}, reason, current_step});
    }
    LAUNCHKIT_TRY(start_rollback(reason, current_step));
    return rollback_actions();
}

Result<void> PlaybookRunner::forward() {
    for (const auto& step : playbook_.steps) {
        const auto found = state_.steps.find(step.name);
        if (found != state_.steps.end()) {
            if (found->second.status == StepStatus::succeeded) continue;
            // A failed step whose on_failure was continue stays failed.
            if (found->second.status == StepStatus::failed &&
                step.on_failure == OnFailure::continue_run)
                continue;
        }
        if (auto stopped = stop_if_asked("")) return *stopped;
        auto progress = found != state_.steps.end() ? found->second.progress : nlohmann::json();
        LAUNCHKIT_TRY_ASSIGN(auto outcome,
                             attempt(step, StepPhase::forward, progress,
                                     [&](StepContext& run) { return execute_step(step, run); }));
        if (outcome.succeeded) remember_outputs(step, outcome.outputs);
        // Stopped by a signal or an operator: they decide, not the step's on_failure.
        if (auto stopped = stop_if_asked(outcome.succeeded ? "" : step.name)) return *stopped;
        if (outcome.succeeded) continue;
        auto reason = fmt::format("step {} failed: {}", step.name, outcome.message);
        switch (step.on_failure) {
            case OnFailure::continue_run:
                variables_["steps." + step.name + ".status"] = "failed";
                continue;
            case OnFailure::pause:
                return record(RunPaused{{}, reason, step.name});
            case OnFailure::abort:
                return finish(RunStatus::failed, reason, step.name);
            case OnFailure::rollback:
                LAUNCHKIT_TRY(start_rollback(reason, step.name));
                return rollback_actions();
        }
    }
    return finish(RunStatus::succeeded, "");
}

Result<void> PlaybookRunner::start_rollback(const std::string& reason,
                                            const std::string& failed_step) {
    LAUNCHKIT_TRY(record(RollbackStarted{{}, reason, failed_step}));
    variables_["failed_step"] = failed_step;
    variables_["failure_reason"] = reason;
    *context_.err << colorize(fmt::format("rolling back: {}", util::printable(reason)), Color::red,
                              context_.color)
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
        if (done != state_.rollback.end() && done->second.status == StepStatus::succeeded)
            return {};
        LAUNCHKIT_TRY_ASSIGN(auto outcome, attempt(action, StepPhase::rollback, nullptr, work));
        all_ok = all_ok && outcome.succeeded;
        if (signals_.count() > signals_reported_) {
            signals_reported_ = signals_.count();
            *context_.err << colorize(
                                 fmt::format("{} ignored: rolling back, which a signal does not "
                                             "stop (SIGKILL does; then `release-manager resume "
                                             "{}` finishes it)",
                                             util::signal_name(signals_.first()), state_.run_id),
                                 Color::yellow, context_.color)
                          << '\n'
                          << std::flush;
        }
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
                  state_.failure_reason, state_.failed_step);
}

Result<RunState> PlaybookRunner::run() {
    if (state_.status == RunStatus::paused) LAUNCHKIT_TRY(record(RunContinued{}));
    // A pause or promote asked of an earlier runner is superseded by this resume; an abort
    // still stands, and is acted on before the first step.
    if (state_.pending_control && state_.pending_control->control != RunControl::abort)
        LAUNCHKIT_TRY(record(ControlHandled{
            {}, state_.pending_control->control, "superseded: the run was resumed"}));
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

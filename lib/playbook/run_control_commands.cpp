#include "playbook/run_control_commands.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "core/output.h"
#include "playbook/deploy_commands.h"
#include "playbook/environment_runs.h"
#include "playbook/run_announcements.h"
#include "playbook/run_journal.h"
#include "playbook/run_report.h"
#include "util/time.h"

namespace launchkit::playbook {
namespace {

// Whether the run has done what the control asked (or ended, which answers every control).
bool answered(RunControl control, const RunState& state) {
    if (state.ended()) return true;
    switch (control) {
        case RunControl::abort:
            return false;
        case RunControl::pause:
            return state.status == RunStatus::paused;
        default:
            return !state.pending_control;
    }
}

Result<ExitCode> report(Context& context, RunControl control, const RunState& state) {
    if (context.json)
        print_json(*context.out, to_json(state));
    else
        *context.out << fmt::format("run {}: {}\n", state.run_id, to_string(state.status));
    switch (control) {
        case RunControl::abort:
            if (state.status == RunStatus::rolled_back || state.status == RunStatus::abandoned)
                return ExitCode::ok;
            return state.status == RunStatus::rollback_failed ? ExitCode::environment
                                                              : ExitCode::said_no;
        case RunControl::pause:
            return state.status == RunStatus::paused ? ExitCode::ok : ExitCode::said_no;
        default:
            return state.status == RunStatus::running || state.status == RunStatus::succeeded
                       ? ExitCode::ok
                       : ExitCode::said_no;
    }
}

std::string requested_by(const Context& context, const ControlOptions& options) {
    return fmt::format("aborted by {}{}", context.actor,
                       options.reason.empty() ? "" : ": " + options.reason);
}

// No runner holds the run (killed, or its machine restarted) and this process holds its
// environment's lock: abort rolls it back here; promote and pause need a runner.
Result<ExitCode> act_on_dead_run(Context& context, const ControlOptions& options, RunState state) {
    if (options.abandon) {
        auto reason = fmt::format("abandoned by {}{}", context.actor,
                                  options.reason.empty() ? "" : ": " + options.reason);
        LAUNCHKIT_TRY_ASSIGN(auto journal, RunJournal::open(context, state.run_id));
        LAUNCHKIT_TRY(record_event(context, state, journal,
                                   RunFinished{{}, RunStatus::abandoned, reason, {}}));
        *context.err << fmt::format("run {} marked abandoned; nothing was changed\n", state.run_id);
        return report(context, options.control, state);
    }
    if (options.control == RunControl::abort) {
        LAUNCHKIT_TRY_ASSIGN(auto runs, runs_of(context, state.started.env));
        if (auto latest = check_latest(runs, state); !latest)
            return fail(ExitCode::said_no,
                        "{}; mark it abandoned with `release-manager abort {} "
                        "--abandon`, which changes nothing",
                        latest.error().message, state.run_id);
        *context.err << fmt::format("run {} has no runner; rolling it back here\n", state.run_id);
        RollbackOptions rollback;
        rollback.environment = state.started.env;
        rollback.run_id = state.run_id;
        rollback.reason = requested_by(context, options);
        rollback.environment_locked = true;
        LAUNCHKIT_TRY_ASSIGN(auto outcome, execute_run(context, {rollback}));
        return print_run_outcome(context, outcome);
    }
    if (state.status == RunStatus::paused && options.control == RunControl::pause) {
        *context.err << fmt::format("run {} is already paused\n", state.run_id);
        return report(context, options.control, state);
    }
    return fail(ExitCode::said_no,
                "run {} is {} and nothing runs it; {} needs a live run: resume it first "
                "(`release-manager resume {}`), or abort it",
                state.run_id, state.status == RunStatus::paused ? "paused" : "not running",
                to_string(options.control), state.run_id);
}

}  // namespace

Result<ExitCode> run_control(Context& context, const ControlOptions& options) {
    if (options.abandon && options.control != RunControl::abort)
        return fail(ExitCode::invalid_input, "--abandon goes with abort only");
    LAUNCHKIT_TRY_ASSIGN(auto state, find_run(context, options.target));
    if (state.ended())
        return fail(ExitCode::said_no, "run {} already ended: {}", state.run_id,
                    to_string(state.status));
    LAUNCHKIT_TRY_ASSIGN(auto lock, try_lock_environment(context, state.started.env));
    if (lock) return act_on_dead_run(context, options, std::move(state));
    if (options.abandon)
        return fail(ExitCode::said_no,
                    "run {} is running (its runner holds the lock for {}); abort it without "
                    "--abandon to roll it back",
                    state.run_id, state.started.env);

    LAUNCHKIT_TRY_ASSIGN(auto journal, RunJournal::open(context, state.run_id));
    LAUNCHKIT_TRY(journal.append(ControlRequested{util::format_rfc3339_ms(context.now()),
                                                  options.control, context.actor, options.reason}));
    *context.err << fmt::format(
                        "asked run {} to {}; waiting for it to act at its next safe point "
                        "(Ctrl-C stops waiting; the request stands)\n",
                        state.run_id, to_string(options.control))
                 << std::flush;
    for (;;) {
        context.sleep_for(std::chrono::milliseconds(200));
        LAUNCHKIT_TRY_ASSIGN(state, journal.replay());
        if (answered(options.control, state)) return report(context, options.control, state);
        LAUNCHKIT_TRY_ASSIGN(auto released, try_lock_environment(context, state.started.env));
        if (!released) continue;
        // The runner let go: it ended between the two reads, or died before acting.
        LAUNCHKIT_TRY_ASSIGN(state, journal.replay());
        if (answered(options.control, state)) return report(context, options.control, state);
        *context.err << fmt::format("run {}'s runner stopped before acting on the request\n",
                                    state.run_id);
        return act_on_dead_run(context, options, std::move(state));
    }
}

}  // namespace launchkit::playbook

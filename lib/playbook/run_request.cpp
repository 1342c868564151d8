#include "playbook/run_request.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <unistd.h>

#include "core/config_environments.h"
#include "playbook/environment_runs.h"
#include "playbook/playbook_parser.h"
#include "playbook/playbook_runner.h"
#include "playbook/preflight.h"
#include "playbook/promotion.h"
#include "playbook/run_announcements.h"
#include "util/file_io.h"
#include "util/file_lock.h"
#include "util/time.h"
#include "version/release_ledger.h"
#include "version/semver.h"

namespace launchkit::playbook {
namespace {

Result<void> check_environment_name(const std::string& name) {
    if (!is_environment_name(name))
        return fail(ExitCode::invalid_input,
                    "environment '{}': expected letters, digits, '-', '_' and '.'", name);
    return {};
}

std::string prefix_or_config(const Context& context, const std::string& prefix) {
    return prefix.empty() ? context.config.release.tag_prefix : prefix;
}

// A run's own folder beside its journal, for what its steps write: baselines, snapshots, logs.
std::filesystem::path run_directory(const Context& context, const std::string& run_id) {
    return context.state_dir / "runs" / (run_id + ".d");
}

Variables run_variables(const Context& context, const Playbook& playbook,
                        const RunStarted& started) {
    Variables variables{{"version", started.version},
                        {"env", started.env},
                        {"previous_version", started.previous_version},
                        {"run_id", started.run_id},
                        {"actor", started.actor},
                        {"strategy", playbook.strategy(started.strategy)}};
    variables["run_dir"] = run_directory(context, started.run_id).string();
    variables["playbook"] = playbook.name;
    for (const auto& [name, value] : playbook.vars)
        variables[name] = expand(value, variables).value_or(value);
    return variables;
}

RunOptions options_from(const RunStarted& started, const std::vector<std::string>& approvals,
                        bool stdout_reserved) {
    RunOptions options;
    options.strategy = started.strategy;
    options.initial_traffic = started.initial_traffic;
    options.approvals.insert(started.approvals.begin(), started.approvals.end());
    options.approvals.insert(approvals.begin(), approvals.end());
    options.stdout_reserved = stdout_reserved;
    return options;
}

// The ledger entry for how the run ended, with its run id and start, for `stats`.
Result<void> record_outcome(Context& context, const RunState& state, bool rollback_playbook) {
    const auto& started = state.started;
    version::LedgerEntry entry;
    entry.time = util::format_rfc3339_ms(context.now());
    entry.tag_prefix =
        started.tag_prefix.empty() ? context.config.release.tag_prefix : started.tag_prefix;
    entry.environment = started.env;
    entry.actor = context.actor;
    entry.run_id = state.run_id;
    entry.version = started.version;
    entry.started_at = started.time;
    entry.outcome = to_string(state.status);
    switch (state.status) {
        case RunStatus::succeeded:
            if (rollback_playbook) {
                // A rollback procedure that worked: the environment runs an older version again,
                // which `stats` counts as a rollback, timed from the run's start.
                entry.event = version::LedgerEvent::rolled_back;
                entry.outcome = "rolled_back";
                entry.note = fmt::format("run {} (rollback playbook)", state.run_id);
                break;
            }
            entry.event = version::LedgerEvent::deployed;
            entry.note = started.forced ? fmt::format("run {} (forced: {})", state.run_id,
                                                      started.forced->reason)
                                        : fmt::format("run {}", state.run_id);
            break;
        case RunStatus::rolled_back:
            // The version running again; when nothing ran before, nothing runs now either.
            entry.event = started.previous_version.empty() ? version::LedgerEvent::deploy_failed
                                                           : version::LedgerEvent::rolled_back;
            if (!started.previous_version.empty()) entry.version = started.previous_version;
            entry.started_at = state.rollback_started_at;
            entry.note = fmt::format("run {}: {}", state.run_id, state.failure_reason);
            break;
        case RunStatus::failed:
        case RunStatus::rollback_failed:
            entry.event = version::LedgerEvent::deploy_failed;
            entry.note = fmt::format("run {} {}: {}", state.run_id, to_string(state.status),
                                     state.failure_reason);
            break;
        default:
            return {};  // paused or still running: not an outcome yet
    }
    return version::append_to_ledger(context, entry);
}

ExitCode exit_code_for(RunStatus status) {
    switch (status) {
        case RunStatus::succeeded:
            return ExitCode::ok;
        case RunStatus::rollback_failed:
            return ExitCode::environment;
        default:
            return ExitCode::said_no;
    }
}

// Runs (or rolls back) `state` to where it stops, records the outcome in the ledger.
Result<RunOutcome> drive(Context& context, Playbook playbook, RunState state,
                         const std::vector<std::string>& approvals, bool stdout_reserved,
                         std::optional<std::string> rollback_reason) {
    LAUNCHKIT_TRY_ASSIGN(auto journal, RunJournal::open(context, state.run_id));
    auto options = options_from(state.started, approvals, stdout_reserved);
    auto variables = run_variables(context, playbook, state.started);
    LAUNCHKIT_TRY(util::create_directories(variables["run_dir"], 0700));
    PlaybookRunner runner(context, playbook, journal, options, variables, std::move(state));
    Result<RunState> finished = rollback_reason ? runner.roll_back(*rollback_reason) : runner.run();
    if (!finished) return std::unexpected(finished.error());
    LAUNCHKIT_TRY(record_outcome(context, *finished, playbook.is_rollback));
    RunOutcome outcome;
    outcome.environment = finished->started.env;
    outcome.version = finished->started.version;
    outcome.interrupted = runner.interrupted();
    // Stopped by a signal, whatever on_interrupt then did: the run did not do what was asked.
    if (outcome.interrupted) outcome.exit_code = ExitCode::environment;
    // Asked for a rollback and got one: that is success for `rollback`, not a "no".
    else if (rollback_reason && finished->status == RunStatus::rolled_back)
        outcome.exit_code = ExitCode::ok;
    else
        outcome.exit_code = exit_code_for(finished->status);
    outcome.run = std::move(*finished);
    outcome.playbook = std::move(playbook);
    return outcome;
}

Result<Playbook> playbook_of(const RunState& state) {
    LAUNCHKIT_TRY_ASSIGN(auto playbook, load_playbook(state.started.playbook_file));
    override_vars(playbook, state.started.vars);
    return playbook;
}

// The variables a run will have that are known before it starts (not its id or directory).
Variables known_variables(const Context& context, const Playbook& playbook,
                          const DeployOptions& options, const std::string& previous) {
    Variables known{{"version", options.version},
                    {"env", options.environment},
                    {"previous_version", previous},
                    {"actor", context.actor},
                    {"strategy", playbook.strategy(options.strategy)},
                    {"playbook", playbook.name}};
    for (const auto& [name, value] : playbook.vars)
        known[name] = expand(value, known).value_or(value);
    return known;
}

Result<RunOutcome> deploy(Context& context, const DeployOptions& options, bool stdout_reserved) {
    LAUNCHKIT_TRY(version::parse_semver(options.version));
    LAUNCHKIT_TRY(check_environment_name(options.environment));
    if (options.initial_traffic && (*options.initial_traffic < 1 || *options.initial_traffic > 100))
        return fail(ExitCode::invalid_input, "--initial-traffic {}: expected 1 to 100",
                    *options.initial_traffic);
    LAUNCHKIT_TRY_ASSIGN(auto playbook, load_playbook(options.playbook));
    LAUNCHKIT_TRY_ASSIGN(auto vars, parse_var_assignments(playbook, options.vars));
    override_vars(playbook, vars);
    auto prefix = prefix_or_config(context, options.tag_prefix);
    LAUNCHKIT_TRY_ASSIGN(auto ledger, version::ReleaseLedger::open(context));
    LAUNCHKIT_TRY_ASSIGN(auto entries, ledger.read());
    auto previous = version::running_version(entries, prefix, options.environment);
    PromotionRequest promotion{options.version,
                               options.environment,
                               prefix,
                               std::find(options.approvals.begin(), options.approvals.end(),
                                         "deploy") != options.approvals.end() ||
                                   std::find(options.approvals.begin(), options.approvals.end(),
                                             "all") != options.approvals.end(),
                               options.force,
                               options.reason};
    // Everything the run needs, before anything changes: a missing one is exit 2, no run.
    PreflightRequest preflight{options.environment, options.strategy,
                               known_variables(context, playbook, options, previous)};
    LAUNCHKIT_TRY(check_before_run(context, playbook, preflight));
    LAUNCHKIT_TRY_ASSIGN(auto promoted, check_promotion(context, promotion, entries));
    LAUNCHKIT_TRY_ASSIGN(auto lock, lock_environment(context, options.environment));
    // Holding the lock, a run still `running` has no live owner: it was killed mid-way and may
    // have left traffic, flags or a restore half done. Starting over it would hide that.
    LAUNCHKIT_TRY_ASSIGN(auto runs, runs_of(context, options.environment));
    if (!runs.empty() && runs.back().status == RunStatus::running)
        return fail(ExitCode::said_no,
                    "the last run in {}, {}, is still marked running but nothing runs it (killed "
                    "or its machine restarted); finish it with `release-manager resume {}` or "
                    "roll it back with `release-manager abort {}` first",
                    options.environment, runs.back().run_id, runs.back().run_id,
                    runs.back().run_id);
    LAUNCHKIT_TRY_ASSIGN(auto journal, RunJournal::open(context, new_run_id()));
    LAUNCHKIT_TRY(audit_forced_promotion(context, promotion, promoted, journal.run_id()));
    RunStarted started;
    started.time = util::format_rfc3339_ms(context.now());
    started.run_id = journal.run_id();
    started.playbook_file = playbook.source.string();
    started.playbook_digest = playbook.digest;
    started.playbook = playbook.name;
    started.version = options.version;
    started.env = options.environment;
    started.previous_version = previous;
    started.tag_prefix = prefix;
    started.actor = context.actor;
    started.command = context.command;
    started.strategy = options.strategy;
    started.initial_traffic = options.initial_traffic;
    started.approvals = options.approvals;
    started.vars = vars;
    if (promoted.forced)
        started.forced =
            ForcedPromotion{options.reason, promoted.missing, promoted.unsigned_release};
    started.owner_pid = static_cast<int>(getpid());
    LAUNCHKIT_TRY(journal.append(started));
    *context.err << fmt::format("run {}: {} {} to {} (was {})\n", journal.run_id(), playbook.name,
                                options.version, options.environment,
                                previous.empty() ? "nothing" : previous)
                 << std::flush;
    RunState state;
    state.run_id = journal.run_id();
    playbook::apply(state, started);
    for (auto& sent : announce(context, state, notify::NoticeKind::started, context.sleep)) {
        sent.time = util::format_rfc3339_ms(context.now());
        LAUNCHKIT_TRY(journal.append(sent));
        playbook::apply(state, sent);
    }
    return drive(context, std::move(playbook), std::move(state), options.approvals, stdout_reserved,
                 std::nullopt);
}

Result<RunOutcome> resume(Context& context, const ResumeOptions& options, bool stdout_reserved) {
    LAUNCHKIT_TRY_ASSIGN(auto state, find_run(context, options.run_id));
    if (state.ended()) {
        RunOutcome outcome;
        outcome.environment = state.started.env;
        outcome.version = state.started.version;
        outcome.already_ended = true;
        outcome.exit_code = state.status == RunStatus::succeeded ? ExitCode::ok : ExitCode::said_no;
        outcome.run = std::move(state);
        return outcome;
    }
    const auto& file = state.started.playbook_file;
    LAUNCHKIT_TRY_ASSIGN(auto playbook, playbook_of(state));
    if (playbook.digest != state.started.playbook_digest)
        return fail(ExitCode::invalid_input,
                    "{} changed since run {} started; resuming it could run steps it never had",
                    file, state.run_id);
    LAUNCHKIT_TRY_ASSIGN(auto lock, lock_environment(context, state.started.env));
    LAUNCHKIT_TRY_ASSIGN(auto runs, runs_of(context, state.started.env));
    LAUNCHKIT_TRY(check_latest(runs, state));
    *context.err << fmt::format("resuming run {} ({} finished steps)\n", state.run_id,
                                state.completed.size())
                 << std::flush;
    return drive(context, std::move(playbook), std::move(state), options.approvals, stdout_reserved,
                 std::nullopt);
}

// A version may be rolled back to only where it ran before (a deploy that succeeded there, or a
// rollback that put it back), unless forced: going "back" to a version nobody ever deployed there
// is a deploy without its checks.
Result<void> check_rollback_target(const std::vector<version::LedgerEntry>& entries,
                                   const RollbackOptions& options, const std::string& prefix) {
    if (options.version.empty()) return {};
    if (options.force) {
        if (options.reason.empty())
            return fail(ExitCode::invalid_input, "--force needs --reason: it is recorded");
        return {};
    }
    bool ran_there = std::any_of(entries.begin(), entries.end(), [&](const auto& entry) {
        return entry.environment == options.environment && entry.version == options.version &&
               entry.tag_prefix == prefix &&
               (entry.event == version::LedgerEvent::deployed ||
                entry.event == version::LedgerEvent::rolled_back);
    });
    if (!ran_there)
        return fail(ExitCode::invalid_input,
                    "{} never ran in {} (no deploy of it there in the ledger); roll back to a "
                    "version that did, or pass --force --reason WHY",
                    options.version, options.environment);
    return {};
}

// Records in the ledger which version runs now, when no playbook run is there to undo.
Result<RunOutcome> record_rollback(Context& context, const RollbackOptions& options,
                                   const std::string& prefix, const std::string& reason) {
    LAUNCHKIT_TRY_ASSIGN(auto ledger, version::ReleaseLedger::open(context));
    auto note = options.force ? fmt::format("{} (forced)", reason) : reason;
    LAUNCHKIT_TRY(ledger.record_rollback(options.version, prefix, options.environment,
                                         context.actor, util::format_rfc3339_ms(context.now()),
                                         note));
    RunOutcome outcome;
    outcome.environment = options.environment;
    outcome.version = options.version;
    outcome.reason = reason;
    return outcome;
}

Result<RunOutcome> roll_back(Context& context, const RollbackOptions& options,
                             bool stdout_reserved) {
    LAUNCHKIT_TRY(check_environment_name(options.environment));
    if (!options.version.empty()) LAUNCHKIT_TRY(version::parse_semver(options.version));
    auto prefix = prefix_or_config(context, options.tag_prefix);
    std::optional<EnvironmentLock> lock;
    if (!options.environment_locked) {
        LAUNCHKIT_TRY_ASSIGN(lock, lock_environment(context, options.environment));
    }
    LAUNCHKIT_TRY_ASSIGN(auto ledger, version::ReleaseLedger::open(context));
    LAUNCHKIT_TRY_ASSIGN(auto entries, ledger.read());
    LAUNCHKIT_TRY(check_rollback_target(entries, options, prefix));
    if (!options.version.empty() &&
        version::running_version(entries, prefix, options.environment) == options.version)
        return fail(ExitCode::said_no, "{} already runs in {}", options.version,
                    options.environment);
    LAUNCHKIT_TRY_ASSIGN(auto runs, runs_of(context, options.environment));
    auto chosen = runs.empty() ? runs.end() : std::prev(runs.end());
    if (!options.run_id.empty()) {
        chosen = std::find_if(runs.begin(), runs.end(),
                              [&](const RunState& run) { return run.run_id == options.run_id; });
        if (chosen == runs.end())
            return fail(ExitCode::invalid_input, "--run {}: no such run in {}", options.run_id,
                        options.environment);
    }
    auto reason = options.reason.empty() ? "manual rollback" : options.reason;
    if (chosen == runs.end()) {
        // No playbook ran here: the fast way back is recording which version runs now.
        if (options.version.empty())
            return fail(ExitCode::invalid_input,
                        "no run for {} to roll back; name the version to go back to",
                        options.environment);
        return record_rollback(context, options, prefix, reason);
    }
    if (chosen->status == RunStatus::rolled_back) {
        // The run is undone already; stepping back further is naming an older version.
        if (options.version.empty())
            return fail(ExitCode::said_no,
                        "run {} is already rolled back; to go back further, name the version "
                        "(`release-manager rollback {} VERSION`)",
                        chosen->run_id, options.environment);
        if (!options.run_id.empty())
            return fail(ExitCode::said_no, "run {} is already rolled back", chosen->run_id);
        return record_rollback(context, options, prefix, reason);
    }
    LAUNCHKIT_TRY(check_latest(runs, *chosen));
    LAUNCHKIT_TRY_ASSIGN(auto playbook, playbook_of(*chosen));
    if (!options.version.empty()) chosen->started.previous_version = options.version;
    return drive(context, std::move(playbook), std::move(*chosen), {}, stdout_reserved, reason);
}

}  // namespace

Result<RunOutcome> execute_run(Context& context, const RunRequest& request) {
    return std::visit(
        [&](const auto& options) -> Result<RunOutcome> {
            using Options = std::decay_t<decltype(options)>;
            if constexpr (std::is_same_v<Options, DeployOptions>)
                return deploy(context, options, request.stdout_reserved);
            else if constexpr (std::is_same_v<Options, ResumeOptions>)
                return resume(context, options, request.stdout_reserved);
            else
                return roll_back(context, options, request.stdout_reserved);
        },
        request.action);
}

}  // namespace launchkit::playbook

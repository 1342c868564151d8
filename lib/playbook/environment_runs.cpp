#include "playbook/environment_runs.h"

#include <fmt/format.h>

#include "core/config_environments.h"
#include "playbook/run_journal.h"
#include "util/file_io.h"

namespace launchkit::playbook {
namespace {

std::filesystem::path lock_path(const Context& context, const std::string& environment) {
    return context.state_dir / "locks" / ("deploy-" + environment + ".lock");
}

}  // namespace

Result<std::vector<RunState>> runs_of(const Context& context, const std::string& environment) {
    std::vector<RunState> runs;
    for (const auto& id : list_run_ids(context.state_dir)) {
        LAUNCHKIT_TRY_ASSIGN(auto state, RunJournal(context.state_dir, id).replay_if_started());
        if (state && state->started.env == environment) runs.push_back(std::move(*state));
    }
    return runs;
}

Result<std::optional<util::FileLock>> try_lock_environment(const Context& context,
                                                           const std::string& environment) {
    auto path = lock_path(context, environment);
    LAUNCHKIT_TRY(util::create_directories(path.parent_path(), 0700));
    return util::FileLock::try_acquire(path);
}

Result<util::FileLock> lock_environment(const Context& context, const std::string& environment) {
    LAUNCHKIT_TRY_ASSIGN(auto lock, try_lock_environment(context, environment));
    if (!lock) {
        std::string running;
        for (const auto& run : runs_of(context, environment).value_or(std::vector<RunState>{}))
            if (run.status == RunStatus::running)
                running = fmt::format(" (run {} by {})", run.run_id, run.started.actor);
        return fail(ExitCode::said_no,
                    "another deploy to {} is in progress{}; not starting a second", environment,
                    running);
    }
    return std::move(*lock);
}

Result<void> check_latest(const std::vector<RunState>& runs, const RunState& state) {
    if (runs.empty() || runs.back().run_id == state.run_id) return {};
    return fail(ExitCode::said_no,
                "run {} is not the latest in {} (run {} came after it); acting on it would undo "
                "newer work",
                state.run_id, state.started.env, runs.back().run_id);
}

Result<RunState> find_run(const Context& context, const std::string& target) {
    // Run ids and environment names are both [A-Za-z0-9._-]: nothing else reaches a path.
    if (is_environment_name(target)) {
        RunJournal journal(context.state_dir, target);
        if (std::filesystem::exists(journal.path())) return journal.replay();
        LAUNCHKIT_TRY_ASSIGN(auto runs, runs_of(context, target));
        if (!runs.empty()) return std::move(runs.back());
    }
    return fail(ExitCode::invalid_input, "'{}' is neither a run id nor an environment with runs",
                target);
}

}  // namespace launchkit::playbook

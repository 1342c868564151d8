#include "playbook/environment_runs.h"

#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "core/config_environments.h"
#include "playbook/run_journal.h"
#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/time.h"

namespace launchkit::playbook {
namespace {

std::filesystem::path lock_path(const Context& context, const std::string& environment) {
    return context.state_dir / "locks" / ("deploy-" + environment + ".lock");
}

}  // namespace

Result<std::vector<RunState>> runs_of(const Context& context, const std::string& environment) {
    std::vector<RunState> runs;
    LAUNCHKIT_TRY_ASSIGN(auto ids, list_run_ids(context));
    for (const auto& id : ids) {
        LAUNCHKIT_TRY_ASSIGN(auto journal, RunJournal::open(context, id));
        LAUNCHKIT_TRY_ASSIGN(auto state, journal.replay_if_started());
        if (state && state->started.env == environment) runs.push_back(std::move(*state));
    }
    return runs;
}

Result<std::chrono::seconds> lock_ttl() {
    const char* text = std::getenv("LAUNCHKIT_LOCK_TTL");
    if (!text || !*text) return std::chrono::seconds(30);
    int seconds = 0;
    auto [end, error] = std::from_chars(text, text + std::strlen(text), seconds);
    if (error != std::errc{} || *end != '\0' || seconds < 2 || seconds > 3600)
        return fail(ExitCode::invalid_input,
                    "LAUNCHKIT_LOCK_TTL='{}': expected whole seconds from 2 to 3600", text);
    return std::chrono::seconds(seconds);
}

namespace {

// Who holds a lock in etcd, for the message of whoever is refused.
std::string lock_holder(const Context& context) {
    std::array<char, 256> host{};
    ::gethostname(host.data(), host.size() - 1);
    return util::dump_json(nlohmann::json{{"actor", context.actor},
                                          {"host", host.data()},
                                          {"pid", ::getpid()},
                                          {"since", util::format_rfc3339(context.now())}});
}

// The state of a lock from an etcd holder's JSON: " (held by oncall on deploy-1 since ...)".
std::string describe_holder(std::string_view holder) {
    auto json = util::parse_json(holder);
    if (!json || !json->is_object()) return {};
    auto text = [&](const char* field) {
        auto found = json->find(field);
        return found != json->end() && found->is_string() ? found->get<std::string>()
                                                          : std::string("?");
    };
    return fmt::format("; the lock is held by {} on {} since {}", text("actor"), text("host"),
                       text("since"));
}

Result<std::optional<EnvironmentLock>> try_lock(const Context& context,
                                                const std::string& environment,
                                                std::string& holder) {
    LAUNCHKIT_TRY_ASSIGN(auto cluster, store::open_shared_cluster(context));
    if (!cluster) {
        auto path = lock_path(context, environment);
        LAUNCHKIT_TRY(util::create_directories(path.parent_path(), 0700));
        LAUNCHKIT_TRY_ASSIGN(auto lock, util::FileLock::try_acquire(path));
        if (!lock) return std::optional<EnvironmentLock>{};
        return std::optional<EnvironmentLock>(EnvironmentLock(std::move(*lock)));
    }
    LAUNCHKIT_TRY_ASSIGN(auto ttl, lock_ttl());
    LAUNCHKIT_TRY_ASSIGN(auto attempt, store::EtcdLeaseLock::try_acquire(
                                           cluster->client->settings(),
                                           cluster->prefix + "locks/deploy-" + environment,
                                           lock_holder(context), ttl));
    if (!attempt.lock) {
        holder = std::move(attempt.holder);
        return std::optional<EnvironmentLock>{};
    }
    return std::optional<EnvironmentLock>(EnvironmentLock(std::move(attempt.lock)));
}

}  // namespace

Result<std::optional<EnvironmentLock>> try_lock_environment(const Context& context,
                                                            const std::string& environment) {
    std::string holder;
    return try_lock(context, environment, holder);
}

Result<EnvironmentLock> lock_environment(const Context& context, const std::string& environment) {
    std::string holder;
    LAUNCHKIT_TRY_ASSIGN(auto lock, try_lock(context, environment, holder));
    if (!lock) {
        std::string running;
        for (const auto& run : runs_of(context, environment).value_or(std::vector<RunState>{}))
            if (run.status == RunStatus::running)
                running = fmt::format(" (run {} by {})", run.run_id, run.started.actor);
        return fail(ExitCode::said_no,
                    "another deploy to {} is in progress{}; not starting a second{}", environment,
                    running, describe_holder(holder));
    }
    return std::move(*lock);
}

Result<bool> environment_locked(const Context& context, const std::string& environment) {
    LAUNCHKIT_TRY_ASSIGN(auto cluster, store::open_shared_cluster(context));
    if (cluster) {
        LAUNCHKIT_TRY_ASSIGN(auto key,
                             cluster->client->get(cluster->prefix + "locks/deploy-" + environment));
        return key.has_value();
    }
    std::string holder;
    // Read in place, not moved into a local: g++ 12 at -O1 (the quick start's build) takes the
    // moved-from optional's descriptor for uninitialized and -Werror stops the build.
    auto lock = try_lock(context, environment, holder);
    if (!lock) return std::unexpected(lock.error());
    return !lock->has_value();  // taken only to look, and let go here
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
        LAUNCHKIT_TRY_ASSIGN(auto journal, RunJournal::open(context, target));
        LAUNCHKIT_TRY_ASSIGN(auto exists, journal.exists());
        if (exists) return journal.replay();
        LAUNCHKIT_TRY_ASSIGN(auto runs, runs_of(context, target));
        if (!runs.empty()) return std::move(runs.back());
    }
    return fail(ExitCode::invalid_input, "'{}' is neither a run id nor an environment with runs",
                target);
}

}  // namespace launchkit::playbook

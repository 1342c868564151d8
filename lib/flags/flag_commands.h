// What each `feature-flags` subcommand does, given its parsed options: the executable only parses
// and calls these. Exit codes: `get` and `eval` answer 0 (on) / 1 (off); `stale` and
// `audit --verify` answer 1 when they find something; unknown flags are 2.
#pragma once

#include <optional>
#include <string>

#include "core/context.h"

namespace launchkit::flags {

struct CreateFlagOptions {
    std::string name{};
    std::string description{};
    std::string owner{};
    std::string expires{};   // YYYY-MM-DD
    std::string group_id{};  // rollout group; default: the name
    std::string reason{};
};

// enable, disable, get, delete, history: one flag in one environment.
struct FlagTarget {
    std::string name{};
    std::string environment{};  // empty: the default environment
    std::string reason{};
};

struct SetFlagOptions {
    FlagTarget target{};
    std::optional<std::string> rollout{};  // "25", "+10", "-5"
    std::optional<std::string> description{};
    std::optional<std::string> owner{};
    std::optional<std::string> expires{};  // YYYY-MM-DD, or "never"
    std::optional<std::string> group_id{};
};

struct ListFlagsOptions {
    std::string environment{};
};

struct StaleFlagsOptions {
    std::optional<int> days{};  // default: flags.stale_after_days from the config
};

struct AuditOptions {
    bool verify = false;
};

struct WatchFlagsOptions {
    std::vector<std::string> names{};  // empty: every flag
    std::string timeout{};             // stop after this long; empty: until interrupted
    size_t count = 0;                  // stop after this many changes; 0: no limit
    std::string interval = "1s";       // how often the embedded store is looked at
};

// --env, else $LAUNCHKIT_ENV, else the config's flags.environment, else "production".
Result<std::string> resolve_environment(const Context& context, const std::string& option);

Result<ExitCode> run_create(Context& context, const CreateFlagOptions& options);
Result<ExitCode> run_toggle(Context& context, const FlagTarget& target, bool enable);
Result<ExitCode> run_set(Context& context, const SetFlagOptions& options);
Result<ExitCode> run_get(Context& context, const FlagTarget& target);
Result<ExitCode> run_list(Context& context, const ListFlagsOptions& options);
Result<ExitCode> run_delete(Context& context, const FlagTarget& target);
Result<ExitCode> run_history(Context& context, const FlagTarget& target);
Result<ExitCode> run_audit(Context& context, const AuditOptions& options);
// Prints each change to the flags as it is committed, one line each (--json: JSON lines): etcd's
// watch when the store is shared, a look every --interval at the embedded store. Exit 0 at
// --timeout or after --count changes; 1 when --timeout passes before --count changes came.
Result<ExitCode> run_watch(Context& context, const WatchFlagsOptions& options);
Result<ExitCode> run_stale(Context& context, const StaleFlagsOptions& options);

}  // namespace launchkit::flags

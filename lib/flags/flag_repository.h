// Feature flags on top of the store: read, create, change and delete with compare-and-swap, so
// concurrent operators and scripts never lose each other's changes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "flags/flag.h"
#include "store/store.h"

namespace launchkit::flags {

struct FlagChange {
    Flag before{};
    Flag after{};
    bool changed = false;
};

Result<std::vector<Flag>> list_flags(store::Store& store);
Result<std::optional<Flag>> find_flag(store::Store& store, std::string_view name);
// The flag, or exit code 2 with "did you mean" when there is none of that name.
Result<Flag> require_flag(store::Store& store, std::string_view name);

// Exit code 2 when a flag of that name exists already.
Result<Flag> create_flag(store::Store& store, Flag flag, const store::ChangeNote& note);

// Edits a flag in place; an edit that leaves it as it was writes nothing.
using FlagEdit = std::function<Result<void>(Flag&)>;
Result<FlagChange> modify_flag(store::Store& store, std::string_view name, const FlagEdit& edit,
                               const store::ChangeNote& note);

// Returns the flag as it was before deletion.
Result<Flag> delete_flag(store::Store& store, std::string_view name, const store::ChangeNote& note);

// Sets one environment's state, stamping who and when only if something actually changes. With
// explicit strategies the rollout is that of the plain flexibleRollout among them; exit 2 when a
// change of rollout has no such strategy to change.
Result<void> set_environment_state(Flag& flag, const std::string& environment, bool enabled,
                                   int rollout, const store::ChangeNote& note);

}  // namespace launchkit::flags

#include "flags/flag_repository.h"

#include "flags/names.h"

namespace launchkit::flags {
namespace {

std::vector<std::string> names_of(const std::vector<Flag>& flags) {
    std::vector<std::string> names;
    for (const auto& flag : flags) names.push_back(flag.name);
    return names;
}

std::unexpected<Error> no_such_flag(store::Store& store, std::string_view name) {
    auto flags = list_flags(store);
    auto hint = fmt::format("create it with 'feature-flags create {}'", name);
    return unknown_name("flag", name, flags ? names_of(*flags) : std::vector<std::string>{}, hint);
}

}  // namespace

Result<std::vector<Flag>> list_flags(store::Store& store) {
    LAUNCHKIT_TRY_ASSIGN(auto entries, store.list(flag_key_prefix));
    std::vector<Flag> flags;
    for (const auto& entry : entries) {
        LAUNCHKIT_TRY_ASSIGN(Flag flag, flag_from_json(entry.value, entry.key));
        flags.push_back(std::move(flag));
    }
    return flags;
}

Result<std::optional<Flag>> find_flag(store::Store& store, std::string_view name) {
    LAUNCHKIT_TRY(validate_name(name, "flag name"));
    auto key = flag_key(name);
    LAUNCHKIT_TRY_ASSIGN(auto entry, store.get(key));
    if (!entry) return std::optional<Flag>{};
    LAUNCHKIT_TRY_ASSIGN(Flag flag, flag_from_json(entry->value, key));
    return std::optional<Flag>(std::move(flag));
}

Result<Flag> require_flag(store::Store& store, std::string_view name) {
    LAUNCHKIT_TRY_ASSIGN(auto flag, find_flag(store, name));
    if (!flag) return no_such_flag(store, name);
    return std::move(*flag);
}

Result<Flag> create_flag(store::Store& store, Flag flag, const store::ChangeNote& note) {
    LAUNCHKIT_TRY(validate_name(flag.name, "flag name"));
    flag.created_at = note.time;
    flag.created_by = note.actor;
    store::Mutation mutation{store::MutationKind::put, flag_key(flag.name), to_json(flag), 0};
    LAUNCHKIT_TRY_ASSIGN(auto outcome, store.commit({mutation}, note));
    if (!outcome.committed)
        return fail(ExitCode::invalid_input,
                    "flag '{}' already exists (change it with 'feature-flags set {}')", flag.name,
                    flag.name);
    return flag;
}

Result<FlagChange> modify_flag(store::Store& store, std::string_view name, const FlagEdit& edit,
                               const store::ChangeNote& note) {
    LAUNCHKIT_TRY(validate_name(name, "flag name"));
    auto key = flag_key(name);
    FlagChange change;
    auto update = [&](const std::optional<store::StoreEntry>& current)
        -> Result<std::optional<store::Mutation>> {
        if (!current) return no_such_flag(store, name);
        LAUNCHKIT_TRY_ASSIGN(change.before, flag_from_json(current->value, key));
        change.after = change.before;
        LAUNCHKIT_TRY(edit(change.after));
        auto value = to_json(change.after);
        if (value == current->value) return std::optional<store::Mutation>{};
        return std::optional<store::Mutation>(
            store::Mutation{store::MutationKind::put, key, std::move(value), {}});
    };
    LAUNCHKIT_TRY_ASSIGN(auto outcome, store::update_key(store, key, update, note));
    change.changed = outcome.changed;
    return change;
}

Result<Flag> delete_flag(store::Store& store, std::string_view name,
                         const store::ChangeNote& note) {
    LAUNCHKIT_TRY(validate_name(name, "flag name"));
    auto key = flag_key(name);
    Flag deleted;
    auto update = [&](const std::optional<store::StoreEntry>& current)
        -> Result<std::optional<store::Mutation>> {
        if (!current) return no_such_flag(store, name);
        LAUNCHKIT_TRY_ASSIGN(deleted, flag_from_json(current->value, key));
        return std::optional<store::Mutation>(
            store::Mutation{store::MutationKind::remove, key, {}, {}});
    };
    LAUNCHKIT_TRY(store::update_key(store, key, update, note));
    return deleted;
}

Result<void> set_environment_state(Flag& flag, const std::string& environment, bool enabled,
                                   int rollout, const store::ChangeNote& note) {
    auto current = flag.in(environment);
    bool known = flag.environments.contains(environment);
    if (known && current.enabled == enabled && current.rollout == rollout) return {};
    if (!known && !enabled && rollout == FlagEnvironment{}.rollout) return {};
    if (current.strategies && current.rollout != rollout) {
        auto* strategy = current.rollout_strategy();
        if (!strategy)
            return fail(ExitCode::invalid_input,
                        "{} in {} targets by strategies and none is a plain flexibleRollout for a "
                        "rollout to change (see 'feature-flags strategy list {} --env {}')",
                        flag.name, environment, flag.name, environment);
        strategy->rollout = rollout;
        strategy->parameters["rollout"] = std::to_string(rollout);
    }
    current.enabled = enabled;
    current.rollout = rollout;
    current.updated_at = note.time;
    current.updated_by = note.actor;
    flag.environments[environment] = current;
    return {};
}

}  // namespace launchkit::flags

#include "flags/launch_control.h"

#include "flags/names.h"
#include "util/strings.h"

namespace launchkit::flags {
namespace {

std::vector<std::string> names_of(const std::vector<LaunchControl>& controls) {
    std::vector<std::string> names;
    for (const auto& control : controls) names.push_back(control.name);
    return names;
}

Result<void> validate_declared(const DeclaredControls& declared) {
    for (const auto& [name, control] : declared)
        if (auto valid = validate_name(name, "launch control name"); !valid)
            return std::unexpected(
                with_context(valid.error(), control.where + ": launch_controls"));
    return {};
}

Result<std::vector<std::string>> known_names(store::Store& store,
                                             const DeclaredControls& declared) {
    LAUNCHKIT_TRY_ASSIGN(auto controls, list_launch_controls(store, declared));
    return names_of(controls);
}

std::string declared_hint(const DeclaredControls& declared) {
    return fmt::format("not declared under launch_controls: in {}", declared.begin()->second.where);
}

Result<LaunchChange> set_state(store::Store& store, std::string_view name, bool pause,
                               const store::ChangeNote& note, bool allow_new,
                               const DeclaredControls& declared) {
    LAUNCHKIT_TRY(validate_name(name, "launch control name"));
    LAUNCHKIT_TRY(validate_declared(declared));
    bool is_declared = declared.contains(std::string(name));
    auto key = launch_key(name);
    LaunchChange change;
    auto update = [&](const std::optional<store::StoreEntry>& current)
        -> Result<std::optional<store::Mutation>> {
        change = LaunchChange{};
        change.before.name = std::string(name);
        if (current) {
            LAUNCHKIT_TRY_ASSIGN(change.before, launch_control_from_json(current->value, key));
        } else if (!is_declared) {
            LAUNCHKIT_TRY_ASSIGN(auto known, known_names(store, declared));
            auto close = util::closest_match(name, known);
            if (!pause && close)
                return unknown_name("launch control", name, known,
                                    "it has never been paused, so it is running");
            if (pause && !allow_new && (close || !declared.empty()))
                return fail(
                    ExitCode::invalid_input,
                    "no launch control '{}' yet ({}); pass --new to create '{}'", name,
                    close ? fmt::format("did you mean '{}'?", *close) : declared_hint(declared),
                    name);
        }
        change.created = !current && pause;
        change.after = change.before;
        if (change.before.paused == pause) return std::optional<store::Mutation>{};
        change.after.paused = pause;
        change.after.since = note.time;
        change.after.by = note.actor;
        change.after.reason = note.reason;
        return std::optional<store::Mutation>(
            store::Mutation{store::MutationKind::put, key, to_json(change.after), {}});
    };
    LAUNCHKIT_TRY_ASSIGN(auto outcome, store::update_key(store, key, update, note));
    change.changed = outcome.changed;
    return change;
}

}  // namespace

std::string launch_key(std::string_view name) {
    return std::string(launch_key_prefix) + std::string(name);
}

nlohmann::json to_json(const LaunchControl& control) {
    return {{"name", control.name},
            {"state", control.paused ? "paused" : "running"},
            {"since", control.since},
            {"by", control.by},
            {"reason", control.reason}};
}

Result<LaunchControl> launch_control_from_json(const nlohmann::json& json, std::string_view where) {
    LaunchControl control;
    try {
        control.name = json.at("name").get<std::string>();
        auto state = json.at("state").get<std::string>();
        if (state != "paused" && state != "running")
            return fail(ExitCode::environment, "{}: damaged launch control: state '{}'", where,
                        state);
        control.paused = state == "paused";
        control.since = json.value("since", "");
        control.by = json.value("by", "");
        control.reason = json.value("reason", "");
    } catch (const nlohmann::json::exception& error) {
        return fail(ExitCode::environment, "{}: damaged launch control: {}", where, error.what());
    }
    return control;
}

Result<std::vector<LaunchControl>> list_launch_controls(store::Store& store,
                                                        const DeclaredControls& declared) {
    LAUNCHKIT_TRY(validate_declared(declared));
    LAUNCHKIT_TRY_ASSIGN(auto entries, store.list(launch_key_prefix));
    std::map<std::string, LaunchControl> controls;
    for (const auto& [name, config] : declared) controls[name] = LaunchControl{.name = name};
    for (const auto& entry : entries) {
        LAUNCHKIT_TRY_ASSIGN(auto control, launch_control_from_json(entry.value, entry.key));
        controls[control.name] = std::move(control);
    }
    std::vector<LaunchControl> list;
    for (auto& [name, control] : controls) list.push_back(std::move(control));
    return list;
}

Result<LaunchControl> find_launch_control(store::Store& store, std::string_view name,
                                          const DeclaredControls& declared) {
    LAUNCHKIT_TRY(validate_name(name, "launch control name"));
    LAUNCHKIT_TRY(validate_declared(declared));
    auto key = launch_key(name);
    LAUNCHKIT_TRY_ASSIGN(auto entry, store.get(key));
    if (entry) return launch_control_from_json(entry->value, key);
    if (!declared.empty() && !declared.contains(std::string(name))) {
        LAUNCHKIT_TRY_ASSIGN(auto known, known_names(store, declared));
        return unknown_name("launch control", name, known, declared_hint(declared));
    }
    return LaunchControl{.name = std::string(name)};
}

Result<LaunchChange> pause_launch_control(store::Store& store, std::string_view name,
                                          const store::ChangeNote& note, bool allow_new,
                                          const DeclaredControls& declared) {
    return set_state(store, name, true, note, allow_new, declared);
}

Result<LaunchChange> resume_launch_control(store::Store& store, std::string_view name,
                                           const store::ChangeNote& note,
                                           const DeclaredControls& declared) {
    return set_state(store, name, false, note, false, declared);
}

}  // namespace launchkit::flags

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

Result<std::vector<std::string>> known_names(store::Store& store) {
    LAUNCHKIT_TRY_ASSIGN(auto controls, list_launch_controls(store));
    return names_of(controls);
}

Result<LaunchChange> set_state(store::Store& store, std::string_view name, bool pause,
                               const store::ChangeNote& note, bool allow_new) {
    LAUNCHKIT_TRY(validate_name(name, "launch control name"));
    auto key = launch_key(name);
    LaunchChange change;
    auto update = [&](const std::optional<store::StoreEntry>& current)
        -> Result<std::optional<store::Mutation>> {
        change = LaunchChange{};
        change.before.name = std::string(name);
        if (current) {
            LAUNCHKIT_TRY_ASSIGN(change.before, launch_control_from_json(current->value, key));
        } else {
            LAUNCHKIT_TRY_ASSIGN(auto known, known_names(store));
            if (!pause)
                return unknown_name("launch control", name, known,
                                    "it has never been paused, so it is running");
            if (auto close = util::closest_match(name, known); close && !allow_new)
                return fail(ExitCode::invalid_input,
                            "no launch control '{}' yet (did you mean '{}'?); pass --new to "
                            "create '{}'",
                            name, *close, name);
            change.created = true;
        }
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

Result<std::vector<LaunchControl>> list_launch_controls(store::Store& store) {
    LAUNCHKIT_TRY_ASSIGN(auto entries, store.list(launch_key_prefix));
    std::vector<LaunchControl> controls;
    for (const auto& entry : entries) {
        LAUNCHKIT_TRY_ASSIGN(auto control, launch_control_from_json(entry.value, entry.key));
        controls.push_back(std::move(control));
    }
    return controls;
}

Result<LaunchControl> require_launch_control(store::Store& store, std::string_view name) {
    LAUNCHKIT_TRY(validate_name(name, "launch control name"));
    auto key = launch_key(name);
    LAUNCHKIT_TRY_ASSIGN(auto entry, store.get(key));
    if (!entry) {
        LAUNCHKIT_TRY_ASSIGN(auto known, known_names(store));
        return unknown_name("launch control", name, known,
                            "it has never been paused; 'launchctl status' lists all");
    }
    return launch_control_from_json(entry->value, key);
}

Result<LaunchChange> pause_launch_control(store::Store& store, std::string_view name,
                                          const store::ChangeNote& note, bool allow_new) {
    return set_state(store, name, true, note, allow_new);
}

Result<LaunchChange> resume_launch_control(store::Store& store, std::string_view name,
                                           const store::ChangeNote& note) {
    return set_state(store, name, false, note, false);
}

}  // namespace launchkit::flags

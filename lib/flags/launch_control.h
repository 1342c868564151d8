// Launch controls: kill switches for whole subsystems ("pause redemption" during an incident).
// They live in the store under "launch/<name>", audited like flags. A control that was never
// paused has no record and is running; pausing creates the record. launchkit.yaml may declare
// the fleet's controls (`launch_controls:`), and then other names are typos unless --new.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "store/store.h"

namespace launchkit::flags {

inline constexpr std::string_view launch_key_prefix = "launch/";

struct LaunchControl {
    std::string name{};
    bool paused = false;
    std::string since{};   // when it entered its current state (RFC 3339); empty: never paused
    std::string by{};      // who put it there
    std::string reason{};  // why

    bool never_paused() const { return since.empty(); }
};

// The controls launchkit.yaml declares, by name; empty: none declared, any valid name is usable.
using DeclaredControls = std::map<std::string, LaunchControlConfig>;

std::string launch_key(std::string_view name);
nlohmann::json to_json(const LaunchControl& control);
Result<LaunchControl> launch_control_from_json(const nlohmann::json& json, std::string_view where);

struct LaunchChange {
    LaunchControl before{};  // as it was (a new control: running, no since)
    LaunchControl after{};
    bool changed = false;
    bool created = false;
};

// Every control with a record, and every declared one (never paused: running), by name.
Result<std::vector<LaunchControl>> list_launch_controls(store::Store& store,
                                                        const DeclaredControls& declared = {});
// The control; a name never paused is running. Exit code 2 (with "did you mean") only when
// controls are declared and this name is neither declared nor ever used.
Result<LaunchControl> find_launch_control(store::Store& store, std::string_view name,
                                          const DeclaredControls& declared);

// Pausing a paused control changes nothing: the original since/by/reason are kept. A new name
// that is one typo away from an existing control, or not declared when controls are, is refused
// unless `allow_new`. Resuming a never-paused control changes nothing, unless the name looks
// like a typo of another control (exit 2).
Result<LaunchChange> pause_launch_control(store::Store& store, std::string_view name,
                                          const store::ChangeNote& note, bool allow_new,
                                          const DeclaredControls& declared);
Result<LaunchChange> resume_launch_control(store::Store& store, std::string_view name,
                                           const store::ChangeNote& note,
                                           const DeclaredControls& declared);

}  // namespace launchkit::flags

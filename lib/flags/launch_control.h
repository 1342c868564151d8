// Launch controls: kill switches for whole subsystems ("pause redemption" during an incident).
// They live in the store under "launch/<name>", audited like flags. A control that was never
// paused does not exist; pausing creates it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace launchkit::flags {

inline constexpr std::string_view launch_key_prefix = "launch/";

struct LaunchControl {
    std::string name{};
    bool paused = false;
    std::string since{};   // when it entered its current state (RFC 3339)
    std::string by{};      // who put it there
    std::string reason{};  // why
};

std::string launch_key(std::string_view name);
nlohmann::json to_json(const LaunchControl& control);
Result<LaunchControl> launch_control_from_json(const nlohmann::json& json, std::string_view where);

struct LaunchChange {
    LaunchControl before{};  // as it was (a new control: running, no since)
    LaunchControl after{};
    bool changed = false;
    bool created = false;
};

Result<std::vector<LaunchControl>> list_launch_controls(store::Store& store);
// The control, or exit code 2 with "did you mean" when no control has that name.
Result<LaunchControl> require_launch_control(store::Store& store, std::string_view name);

// Pausing a paused control changes nothing: the original since/by/reason are kept. A new name
// that is one typo away from an existing control is refused unless `allow_new`.
Result<LaunchChange> pause_launch_control(store::Store& store, std::string_view name,
                                          const store::ChangeNote& note, bool allow_new);
Result<LaunchChange> resume_launch_control(store::Store& store, std::string_view name,
                                           const store::ChangeNote& note);

}  // namespace launchkit::flags

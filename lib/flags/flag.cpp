#include "flags/flag.h"

#include <algorithm>

namespace launchkit::flags {
namespace {

std::string on_off(bool enabled) {
    return enabled ? "on" : "off";
}

std::string or_none(const std::string& text) {
    return text.empty() ? "none" : text;
}

}  // namespace

FlagEnvironment Flag::in(const std::string& environment) const {
    auto found = environments.find(environment);
    return found == environments.end() ? FlagEnvironment{} : found->second;
}

std::string Flag::last_changed_at() const {
    std::string newest = created_at;
    // RFC 3339 UTC timestamps of one format compare correctly as strings.
    for (const auto& [name, state] : environments) newest = std::max(newest, state.updated_at);
    return newest;
}

std::string flag_key(std::string_view name) {
    return std::string(flag_key_prefix) + std::string(name);
}

nlohmann::json to_json(const Flag& flag) {
    nlohmann::json environments = nlohmann::json::object();
    for (const auto& [name, state] : flag.environments) {
        environments[name] = {{"enabled", state.enabled},
                              {"rollout", state.rollout},
                              {"updated_at", state.updated_at},
                              {"updated_by", state.updated_by}};
    }
    return {{"name", flag.name},
            {"description", flag.description},
            {"owner", flag.owner},
            {"expires", flag.expires},
            {"group_id", flag.group_id},
            {"created_at", flag.created_at},
            {"created_by", flag.created_by},
            {"environments", std::move(environments)}};
}

Result<Flag> flag_from_json(const nlohmann::json& json, std::string_view where) {
    Flag flag;
    try {
        flag.name = json.at("name").get<std::string>();
        flag.description = json.value("description", "");
        flag.owner = json.value("owner", "");
        flag.expires = json.value("expires", "");
        flag.group_id = json.value("group_id", "");
        flag.created_at = json.value("created_at", "");
        flag.created_by = json.value("created_by", "");
        for (const auto& [name, state] : json.at("environments").items()) {
            FlagEnvironment environment;
            environment.enabled = state.at("enabled").get<bool>();
            // Read as the integer it must be: a huge float converted to int is undefined, and a
            // huge integer would wrap.
            auto rollout = state.find("rollout");
            if (rollout != state.end() && !rollout->is_number_integer())
                return fail(ExitCode::environment,
                            "{}: damaged flag record: rollout {} is not "
                            "an integer",
                            where, rollout->dump());
            environment.rollout = rollout == state.end()
                                      ? 100
                                      : static_cast<int>(std::clamp<std::int64_t>(
                                            rollout->get<std::int64_t>(), -1, 101));
            environment.updated_at = state.value("updated_at", "");
            environment.updated_by = state.value("updated_by", "");
            flag.environments.emplace(name, std::move(environment));
        }
    } catch (const nlohmann::json::exception& error) {
        return fail(ExitCode::environment, "{}: damaged flag record: {}", where, error.what());
    }
    return flag;
}

std::vector<std::string> describe_flag_change(const nlohmann::json& before,
                                              const nlohmann::json& after) {
    if (before.is_null() && after.is_null()) return {};
    if (before.is_null()) {
        std::vector<std::string> changes{"created"};
        auto created = flag_from_json(after, "");
        if (created) {
            for (const auto& [name, state] : created->environments)
                changes.push_back(fmt::format("{}: {}", name, on_off(state.enabled)));
        }
        return changes;
    }
    if (after.is_null()) return {"deleted"};
    auto old_flag = flag_from_json(before, "");
    auto new_flag = flag_from_json(after, "");
    if (!old_flag || !new_flag) return {"changed"};

    std::vector<std::string> changes;
    std::vector<std::string> environment_names;
    for (const auto& [name, state] : old_flag->environments) environment_names.push_back(name);
    for (const auto& [name, state] : new_flag->environments)
        if (!old_flag->environments.contains(name)) environment_names.push_back(name);
    std::sort(environment_names.begin(), environment_names.end());
    for (const auto& name : environment_names) {
        auto was = old_flag->in(name);
        auto now = new_flag->in(name);
        if (was.enabled != now.enabled)
            changes.push_back(
                fmt::format("{}: {} → {}", name, on_off(was.enabled), on_off(now.enabled)));
        if (was.rollout != now.rollout)
            changes.push_back(fmt::format("{}: rollout {}% → {}%", name, was.rollout, now.rollout));
    }
    if (old_flag->description != new_flag->description) changes.push_back("description changed");
    if (old_flag->owner != new_flag->owner)
        changes.push_back(
            fmt::format("owner {} → {}", or_none(old_flag->owner), or_none(new_flag->owner)));
    if (old_flag->expires != new_flag->expires)
        changes.push_back(
            fmt::format("expires {} → {}", or_none(old_flag->expires), or_none(new_flag->expires)));
    if (old_flag->group_id != new_flag->group_id)
        changes.push_back(fmt::format("rollout group {} → {}", or_none(old_flag->group_id),
                                      or_none(new_flag->group_id)));
    if (changes.empty()) changes.push_back("touched");
    return changes;
}

}  // namespace launchkit::flags

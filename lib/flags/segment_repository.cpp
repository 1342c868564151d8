#include "flags/segment_repository.h"

#include <set>

#include "flags/flag.h"
#include "flags/flag_repository.h"
#include "flags/names.h"

namespace launchkit::flags {

namespace {

std::string segment_key(std::string_view name) {
    return std::string(segment_key_prefix) + std::string(name);
}

std::vector<std::string> segment_names(store::Store& store) {
    std::vector<std::string> names;
    if (auto segments = list_segments(store))
        for (const auto& segment : *segments) names.push_back(segment.name);
    return names;
}

}  // namespace

nlohmann::json to_json(const Segment& segment) {
    auto constraints = nlohmann::json::array();
    for (const auto& constraint : segment.constraints) constraints.push_back(to_json(constraint));
    return {{"name", segment.name},
            {"description", segment.description},
            {"constraints", std::move(constraints)}};
}

Result<Segment> segment_from_json(const nlohmann::json& json, std::string_view where) {
    auto damaged = [&](std::string_view what) {
        return fail(ExitCode::environment, "{}: damaged segment record: {}", where, what);
    };
    if (!json.is_object() || !json.contains("name") || !json["name"].is_string())
        return damaged("no name");
    Segment segment{json["name"].get<std::string>(), "", {}};
    if (auto description = json.find("description");
        description != json.end() && description->is_string())
        segment.description = description->get<std::string>();
    auto constraints = json.find("constraints");
    if (constraints == json.end() || !constraints->is_array() ||
        constraints->size() > max_constraints)
        return damaged("constraints are not a list");
    for (size_t i = 0; i < constraints->size(); ++i) {
        auto constraint =
            constraint_from_json((*constraints)[i], fmt::format("{}.constraints[{}]", where, i));
        if (!constraint) return damaged(constraint.error().message);
        segment.constraints.push_back(std::move(*constraint));
    }
    return segment;
}

Result<std::vector<Segment>> list_segments(store::Store& store) {
    LAUNCHKIT_TRY_ASSIGN(auto entries, store.list(segment_key_prefix));
    std::vector<Segment> segments;
    for (const auto& entry : entries) {
        LAUNCHKIT_TRY_ASSIGN(auto segment, segment_from_json(entry.value, entry.key));
        segments.push_back(std::move(segment));
    }
    return segments;
}

Result<Segment> require_segment(store::Store& store, std::string_view name) {
    LAUNCHKIT_TRY(validate_name(name, "segment name"));
    auto key = segment_key(name);
    LAUNCHKIT_TRY_ASSIGN(auto entry, store.get(key));
    if (!entry)
        return unknown_name("segment", name, segment_names(store),
                            fmt::format("create it with 'feature-flags segment create {} "
                                        "--constraint ...'",
                                        name));
    return segment_from_json(entry->value, key);
}

Result<bool> put_segment(store::Store& store, const Segment& segment,
                         const store::ChangeNote& note) {
    LAUNCHKIT_TRY(validate_name(segment.name, "segment name"));
    auto key = segment_key(segment.name);
    auto value = to_json(segment);
    auto update = [&](const std::optional<store::StoreEntry>& current)
        -> Result<std::optional<store::Mutation>> {
        if (current && current->value == value) return std::optional<store::Mutation>{};
        return std::optional<store::Mutation>(
            store::Mutation{store::MutationKind::put, key, value, {}});
    };
    LAUNCHKIT_TRY_ASSIGN(auto outcome, store::update_key(store, key, update, note));
    return outcome.changed;
}

Result<Segment> delete_segment(store::Store& store, std::string_view name,
                               const store::ChangeNote& note) {
    LAUNCHKIT_TRY_ASSIGN(auto segment, require_segment(store, name));
    LAUNCHKIT_TRY_ASSIGN(auto flags, list_flags(store));
    std::set<std::string> users;
    for (const auto& flag : flags)
        for (const auto& [environment, state] : flag.environments)
            for (const auto& strategy : state.strategies.value_or(std::vector<Strategy>{}))
                for (const auto& used : strategy.segments)
                    if (used == name) users.insert(fmt::format("{} ({})", flag.name, environment));
    if (!users.empty())
        return fail(ExitCode::invalid_input,
                    "segment '{}' is used by {}; remove it from their strategies first", name,
                    fmt::join(users, ", "));
    auto key = segment_key(name);
    auto update = [&](const std::optional<store::StoreEntry>& current)
        -> Result<std::optional<store::Mutation>> {
        if (!current) return std::optional<store::Mutation>{};
        return std::optional<store::Mutation>(
            store::Mutation{store::MutationKind::remove, key, {}, {}});
    };
    LAUNCHKIT_TRY(store::update_key(store, key, update, note));
    return segment;
}

Result<void> check_segments_exist(store::Store& store, const std::vector<Strategy>& strategies,
                                  std::string_view where) {
    for (size_t i = 0; i < strategies.size(); ++i)
        for (const auto& name : strategies[i].segments) {
            auto segment = require_segment(store, name);
            if (!segment)
                return fail(segment.error().code, "{}.strategies[{}].segments: {}", where, i,
                            segment.error().message);
        }
    return {};
}

Result<TargetingSet> load_targeting(store::Store& store, const std::string& environment) {
    TargetingSet set;
    LAUNCHKIT_TRY_ASSIGN(auto flags, list_flags(store));
    for (const auto& flag : flags) set.add_flag(targeting_of(flag, environment));
    LAUNCHKIT_TRY_ASSIGN(auto segments, list_segments(store));
    for (auto& segment : segments) set.add_segment(std::move(segment));
    return set;
}

}  // namespace launchkit::flags

#include "flags/unleash_format.h"

#include "util/strings.h"

namespace launchkit::flags {

namespace {

std::string segment_name(const nlohmann::json& segment, const std::string& id) {
    auto name = segment.find("name");
    if (name != segment.end() && name->is_string() && !name->get<std::string>().empty())
        return name->get<std::string>();
    return "segment-" + id;
}

}  // namespace

Result<std::map<std::string, Segment>> unleash_segments_from_json(const nlohmann::json& segments,
                                                                  std::string_view where) {
    std::map<std::string, Segment> read;
    if (segments.is_null()) return read;
    if (!segments.is_array() || segments.size() > max_unleash_segments)
        return fail(ExitCode::invalid_input, "{}: expected a list of at most {} segments", where,
                    max_unleash_segments);
    for (size_t i = 0; i < segments.size(); ++i) {
        const auto& item = segments[i];
        auto at = fmt::format("{}[{}]", where, i);
        auto id = item.is_object() ? item.find("id") : item.end();
        if (!item.is_object() || id == item.end() || !(id->is_number_integer() || id->is_string()))
            return fail(ExitCode::invalid_input, "{}.id: expected the segment's id", at);
        auto key = id->is_string() ? id->get<std::string>() : id->dump();
        Segment segment{segment_name(item, key), "", {}};
        if (auto description = item.find("description");
            description != item.end() && description->is_string())
            segment.description = description->get<std::string>();
        auto constraints = item.find("constraints");
        if (constraints != item.end() && !constraints->is_null()) {
            if (!constraints->is_array() || constraints->size() > max_constraints)
                return fail(ExitCode::invalid_input,
                            "{}.constraints: expected a list of at most "
                            "{} constraints",
                            at, max_constraints);
            for (size_t j = 0; j < constraints->size(); ++j) {
                LAUNCHKIT_TRY_ASSIGN(
                    auto constraint,
                    constraint_from_json((*constraints)[j],
                                         fmt::format("{}.constraints[{}]", at, j)));
                segment.constraints.push_back(std::move(constraint));
            }
        }
        if (!read.emplace(key, std::move(segment)).second)
            return fail(ExitCode::invalid_input, "{}.id: segment {} is listed twice", at, key);
    }
    return read;
}

Result<FlagTargeting> unleash_feature_from_json(const nlohmann::json& feature,
                                                const std::map<std::string, Segment>& segments,
                                                std::string_view where) {
    if (!feature.is_object())
        return fail(ExitCode::invalid_input, "{}: a feature is an object with a name", where);
    auto name = feature.find("name");
    if (name == feature.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > 256)
        return fail(ExitCode::invalid_input, "{}.name: expected the feature's name", where);
    FlagTargeting flag;
    flag.name = name->get<std::string>();
    flag.group = flag.name;
    auto at = fmt::format("{} ({})", where, util::printable(flag.name, 80));
    if (auto enabled = feature.find("enabled"); enabled != feature.end()) {
        if (!enabled->is_boolean())
            return fail(ExitCode::invalid_input, "{}.enabled: expected true or false", at);
        flag.enabled = enabled->get<bool>();
    }
    if (auto strategies = feature.find("strategies");
        strategies != feature.end() && !strategies->is_null()) {
        if (!strategies->is_array() || strategies->size() > max_strategies)
            return fail(ExitCode::invalid_input,
                        "{}.strategies: expected a list of at most {} "
                        "strategies",
                        at, max_strategies);
        for (size_t i = 0; i < strategies->size(); ++i) {
            auto strategy_at = fmt::format("{}.strategies[{}]", at, i);
            LAUNCHKIT_TRY_ASSIGN(auto strategy, strategy_from_json((*strategies)[i], strategy_at));
            // Ids become names; an id no segment has stays, and never matches, as in Unleash.
            for (auto& segment : strategy.segments)
                if (auto found = segments.find(segment); found != segments.end())
                    segment = found->second.name;
                else
                    segment = "segment-" + segment;
            flag.strategies.push_back(std::move(strategy));
        }
    }
    if (auto variants = feature.find("variants"); variants != feature.end()) {
        LAUNCHKIT_TRY_ASSIGN(flag.variants, variants_from_json(*variants, at + ".variants"));
    }
    if (auto dependencies = feature.find("dependencies"); dependencies != feature.end()) {
        LAUNCHKIT_TRY_ASSIGN(flag.dependencies,
                             dependencies_from_json(*dependencies, at + ".dependencies"));
    }
    return flag;
}

Result<TargetingSet> targeting_from_unleash(const nlohmann::json& document,
                                            std::string_view where) {
    if (!document.is_object())
        return fail(ExitCode::invalid_input, "{}: expected Unleash's {{\"features\": [...]}}",
                    where);
    auto segments_json = document.find("segments");
    LAUNCHKIT_TRY_ASSIGN(auto segments,
                         unleash_segments_from_json(
                             segments_json == document.end() ? nlohmann::json() : *segments_json,
                             fmt::format("{}: segments", where)));
    auto features = document.find("features");
    if (features == document.end() || !features->is_array() ||
        features->size() > max_unleash_features)
        return fail(ExitCode::invalid_input,
                    "{}: features: expected a list of at most {} "
                    "features",
                    where, max_unleash_features);
    TargetingSet set;
    for (auto& [id, segment] : segments) set.add_segment(segment);
    for (size_t i = 0; i < features->size(); ++i) {
        LAUNCHKIT_TRY_ASSIGN(auto flag,
                             unleash_feature_from_json((*features)[i], segments,
                                                       fmt::format("{}: features[{}]", where, i)));
        if (set.flag(flag.name))
            return fail(ExitCode::invalid_input, "{}: features[{}]: feature '{}' is listed twice",
                        where, i, flag.name);
        set.add_flag(std::move(flag));
    }
    return set;
}

nlohmann::json to_unleash_json(const TargetingSet& set) {
    auto features = nlohmann::json::array();
    std::map<std::string, int> segment_ids;
    auto segments = nlohmann::json::array();
    int next_id = 1;
    for (const auto& [name, segment] : set.segments()) {
        segment_ids[name] = next_id;
        auto constraints = nlohmann::json::array();
        for (const auto& constraint : segment.constraints)
            constraints.push_back(to_json(constraint));
        segments.push_back({{"id", next_id++},
                            {"name", name},
                            {"description", segment.description},
                            {"constraints", std::move(constraints)}});
    }
    for (const auto& [name, flag] : set.flags()) {
        auto strategies = nlohmann::json::array();
        for (const auto& strategy : flag.strategies) {
            auto json = to_json(strategy);
            if (!strategy.segments.empty()) {
                json["segments"] = nlohmann::json::array();
                for (const auto& segment : strategy.segments)
                    if (auto id = segment_ids.find(segment); id != segment_ids.end())
                        json["segments"].push_back(id->second);
            }
            strategies.push_back(std::move(json));
        }
        nlohmann::json feature = {{"name", name},
                                  {"enabled", flag.enabled},
                                  {"strategies", std::move(strategies)},
                                  {"variants", to_json(flag.variants)}};
        if (!flag.dependencies.empty())
            feature["dependencies"] = dependencies_to_json(flag.dependencies);
        features.push_back(std::move(feature));
    }
    return {{"version", 2}, {"features", std::move(features)}, {"segments", std::move(segments)}};
}

}  // namespace launchkit::flags

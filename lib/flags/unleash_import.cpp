#include "flags/unleash_import.h"

#include <map>
#include <set>

#include "flags/names.h"
#include "flags/unleash_format.h"
#include "util/strings.h"

namespace launchkit::flags {

namespace {

// A launchkit name for an Unleash one: itself, or in lower case; nothing when neither is valid.
std::optional<std::string> launchkit_name(const std::string& name, std::string_view what) {
    if (validate_name(name, what)) return name;
    auto lower = util::to_lower(name);
    if (validate_name(lower, what)) return lower;
    return std::nullopt;
}

}  // namespace

bool is_unleash_document(const nlohmann::json& document) {
    return document.is_object() && document.contains("features") && !document.contains("flags");
}

Result<FlagDocument> flag_document_from_unleash(const nlohmann::json& document,
                                                const std::string& environment,
                                                std::string_view source,
                                                std::vector<std::string>& notes) {
    if (!is_unleash_document(document))
        return fail(ExitCode::invalid_input, "{}: expected Unleash's {{\"features\": [...]}}",
                    source);
    auto segments_json = document.contains("segments") ? document["segments"] : nlohmann::json();
    LAUNCHKIT_TRY_ASSIGN(auto segments, unleash_segments_from_json(
                                            segments_json, fmt::format("{}: segments", source)));
    FlagDocument result;
    std::set<std::string> segment_names;
    for (auto& [id, segment] : segments) {
        auto name = launchkit_name(segment.name, "segment name");
        if (!name)
            return fail(ExitCode::invalid_input,
                        "{}: segment {} is named '{}', which cannot be a launchkit name (1-128 "
                        "lowercase letters, digits, '.', '_' or '-')",
                        source, id, util::printable(segment.name, 80));
        if (!segment_names.insert(*name).second)
            return fail(ExitCode::invalid_input, "{}: two segments are named '{}'", source, *name);
        segment.name = *name;
        result.segments.push_back(segment);
    }

    const auto& features = document["features"];
    if (!features.is_array() || features.size() > max_unleash_features)
        return fail(ExitCode::invalid_input, "{}: features: expected a list of at most {}", source,
                    max_unleash_features);
    std::map<std::string, std::string> renamed;  // Unleash's name → launchkit's
    std::vector<FlagTargeting> read;
    for (size_t i = 0; i < features.size(); ++i) {
        LAUNCHKIT_TRY_ASSIGN(auto targeting,
                             unleash_feature_from_json(features[i], segments,
                                                       fmt::format("{}: features[{}]", source, i)));
        auto name = launchkit_name(targeting.name, "flag name");
        if (!name)
            return fail(ExitCode::invalid_input,
                        "{}: features[{}]: '{}' cannot be a launchkit flag name (1-128 letters, "
                        "digits, '.', '_' or '-', lower case once imported)",
                        source, i, util::printable(targeting.name, 80));
        if (!renamed.emplace(targeting.name, *name).second)
            return fail(ExitCode::invalid_input, "{}: features[{}]: '{}' is listed twice", source,
                        i, targeting.name);
        read.push_back(std::move(targeting));
    }
    std::set<std::string> names;
    for (size_t i = 0; i < read.size(); ++i) {
        auto& targeting = read[i];
        Flag flag;
        flag.name = renamed.at(targeting.name);
        if (!names.insert(flag.name).second)
            return fail(ExitCode::invalid_input,
                        "{}: features[{}]: '{}' and another feature both become '{}'", source, i,
                        targeting.name, flag.name);
        if (flag.name != targeting.name) {
            flag.group_id = targeting.name;
            notes.push_back(
                fmt::format("'{}' is imported as '{}' (group id '{}', so buckets and "
                            "variants stay the same)",
                            targeting.name, flag.name, targeting.name));
        }
        if (features[i].contains("description") && features[i]["description"].is_string())
            flag.description = features[i]["description"].get<std::string>();
        FlagEnvironment state;
        state.enabled = targeting.enabled;
        state.strategies = std::move(targeting.strategies);
        state.variants = std::move(targeting.variants);
        if (const auto* rollout = state.rollout_strategy())
            state.rollout = static_cast<int>(rollout->rollout);
        flag.environments[environment] = std::move(state);
        for (auto& dependency : targeting.dependencies) {
            if (auto found = renamed.find(dependency.feature); found != renamed.end())
                dependency.feature = found->second;
            flag.dependencies.push_back(std::move(dependency));
        }
        result.flags.push_back(std::move(flag));
    }
    return result;
}

}  // namespace launchkit::flags

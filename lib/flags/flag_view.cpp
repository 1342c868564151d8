#include "flags/flag_view.h"

#include "core/output.h"

namespace launchkit::flags {

namespace {

nlohmann::json variant_names(const FlagEnvironment& state) {
    auto names = nlohmann::json::array();
    for (const auto& variant : state.variants) names.push_back(variant.name);
    return names;
}

nlohmann::json dependency_names(const Flag& flag) {
    auto names = nlohmann::json::array();
    for (const auto& dependency : flag.dependencies) names.push_back(dependency.feature);
    return names;
}

}  // namespace

nlohmann::json flag_view(const Flag& flag, const std::string& environment) {
    auto state = flag.in(environment);
    return {{"name", flag.name},
            {"environment", environment},
            {"enabled", state.enabled},
            {"on", state.serves_anyone()},
            {"rollout", !state.strategies || state.rollout_strategy()
                            ? nlohmann::json(state.rollout)
                            : nlohmann::json(nullptr)},
            {"group_id", flag.rollout_group()},
            {"description", string_or_null(flag.description)},
            {"owner", string_or_null(flag.owner)},
            {"expires", string_or_null(flag.expires)},
            {"created_at", string_or_null(flag.created_at)},
            {"updated_at", string_or_null(state.updated_at)},
            {"updated_by", string_or_null(state.updated_by)},
            {"strategies",
             state.strategies ? nlohmann::json(state.strategies->size()) : nlohmann::json(nullptr)},
            {"variants", variant_names(state)},
            {"depends_on", dependency_names(flag)}};
}

std::string describe_rollout(const FlagEnvironment& state) {
    if (!state.strategies) return fmt::format("{}%", state.rollout);
    const auto* rollout = state.rollout_strategy();
    return fmt::format("{} ({} strateg{})",
                       rollout ? fmt::format("{:g}%", rollout->rollout) : std::string("-"),
                       state.strategies->size(), state.strategies->size() == 1 ? "y" : "ies");
}

std::string describe_state(const FlagEnvironment& state) {
    if (!state.enabled) return "off";
    if (state.strategies) {
        if (state.strategies->empty()) return "on (no strategies: everyone)";
        if (!state.serves_anyone()) return "off (every strategy is disabled or at 0%)";
        return fmt::format("on where its {} strateg{} match{}", state.strategies->size(),
                           state.strategies->size() == 1 ? "y" : "ies",
                           state.strategies->size() == 1 ? "es" : "");
    }
    if (state.rollout <= 0) return "off (enabled at 0% rollout: no subject gets it)";
    if (state.rollout >= 100) return "on";
    return fmt::format("on for {}% of subjects", state.rollout);
}

}  // namespace launchkit::flags

#include "flags/flag_view.h"

#include "core/output.h"

namespace launchkit::flags {

nlohmann::json flag_view(const Flag& flag, const std::string& environment) {
    auto state = flag.in(environment);
    return {{"name", flag.name},
            {"environment", environment},
            {"enabled", state.enabled},
            {"on", state.serves_anyone()},
            {"rollout", state.rollout},
            {"group_id", flag.rollout_group()},
            {"description", string_or_null(flag.description)},
            {"owner", string_or_null(flag.owner)},
            {"expires", string_or_null(flag.expires)},
            {"created_at", string_or_null(flag.created_at)},
            {"updated_at", string_or_null(state.updated_at)},
            {"updated_by", string_or_null(state.updated_by)}};
}

std::string describe_state(const FlagEnvironment& state) {
    if (!state.enabled) return "off";
    if (state.rollout <= 0) return "off (enabled at 0% rollout: no subject gets it)";
    if (state.rollout >= 100) return "on";
    return fmt::format("on for {}% of subjects", state.rollout);
}

}  // namespace launchkit::flags

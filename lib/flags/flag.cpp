#include "flags/flag.h"

#include <algorithm>
#include <utility>

#include "util/bounded_json.h"

namespace launchkit::flags {
namespace {

std::string on_off(bool enabled) {
    return enabled ? "on" : "off";
}

std::string or_none(const std::string& text) {
    return text.empty() ? "none" : text;
}

std::string describe_variants(const std::vector<Variant>& variants) {
    if (variants.empty()) return "none";
    std::string text;
    for (const auto& variant : variants)
        text += fmt::format("{}{} {:g}%", text.empty() ? "" : ", ", variant.name,
                            variant.weight / 10.0);
    return text;
}

std::string describe_dependencies(const std::vector<FlagDependency>& dependencies) {
    if (dependencies.empty()) return "nothing";
    std::string text;
    for (const auto& dependency : dependencies)
        text += fmt::format("{}{}{}", text.empty() ? "" : ", ", dependency.feature,
                            !dependency.enabled ? " (off)"
                            : dependency.variants.empty()
                                ? ""
                                : fmt::format(" ({})", fmt::join(dependency.variants, "|")));
    return text;
}

}  // namespace

bool FlagEnvironment::serves_anyone() const {
    if (!enabled) return false;
    if (!strategies) return rollout > 0;
    if (strategies->empty()) return true;
    for (const auto& strategy : *strategies) {
        if (strategy.disabled) continue;
        bool zero_rollout = (strategy.kind == StrategyKind::flexible_rollout ||
                             strategy.kind == StrategyKind::gradual_rollout_user_id ||
                             strategy.kind == StrategyKind::gradual_rollout_session_id ||
                             strategy.kind == StrategyKind::gradual_rollout_random) &&
                            strategy.rollout <= 0;
        if (!zero_rollout) return true;
    }
    return false;
}

const Strategy* FlagEnvironment::rollout_strategy() const {
    if (!strategies) return nullptr;
    for (const auto& strategy : *strategies)
        if (strategy.kind == StrategyKind::flexible_rollout && !strategy.disabled &&
            strategy.constraints.empty() && strategy.segments.empty())
            return &strategy;
    return nullptr;
}

Strategy* FlagEnvironment::rollout_strategy() {
    return const_cast<Strategy*>(std::as_const(*this).rollout_strategy());
}

Strategy rollout_as_strategy(int rollout, const std::string& group) {
    Strategy strategy;
    strategy.kind = StrategyKind::flexible_rollout;
    strategy.rollout = rollout;
    strategy.stickiness = "default";
    strategy.group_id = group;
    strategy.parameters = {
        {"rollout", std::to_string(rollout)}, {"stickiness", "default"}, {"groupId", group}};
    return strategy;
}

FlagTargeting targeting_of(const Flag& flag, const std::string& environment) {
    auto state = flag.in(environment);
    FlagTargeting targeting;
    targeting.name = flag.name;
    targeting.group = flag.rollout_group();
    targeting.enabled = state.enabled;
    if (state.strategies)
        targeting.strategies = std::move(*state.strategies);
    else
        targeting.strategies.push_back(rollout_as_strategy(state.rollout, targeting.group));
    targeting.variants = std::move(state.variants);
    targeting.dependencies = flag.dependencies;
    return targeting;
}

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
        if (state.strategies) {
            auto strategies = nlohmann::json::array();
            for (const auto& strategy : *state.strategies) strategies.push_back(to_json(strategy));
            environments[name]["strategies"] = std::move(strategies);
        }
        if (!state.variants.empty()) environments[name]["variants"] = to_json(state.variants);
    }
    nlohmann::json json = {{"name", flag.name},
                           {"description", flag.description},
                           {"owner", flag.owner},
                           {"expires", flag.expires},
                           {"group_id", flag.group_id},
                           {"created_at", flag.created_at},
                           {"created_by", flag.created_by},
                           {"environments", std::move(environments)}};
    if (!flag.dependencies.empty()) json["dependencies"] = dependencies_to_json(flag.dependencies);
    return json;
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
            // huge integer would wrap (2^64 - 1 read as -1: off instead of on).
            auto rollout = state.find("rollout");
            auto rollout_value = rollout == state.end()
                                     ? std::optional<std::int64_t>(100)
                                     : util::integer_value<std::int64_t>(*rollout);
            if (!rollout_value)
                return fail(ExitCode::environment,
                            "{}: damaged flag record: rollout {} is not an integer", where,
                            rollout->dump());
            environment.rollout =
                static_cast<int>(std::clamp<std::int64_t>(*rollout_value, -1, 101));
            environment.updated_at = state.value("updated_at", "");
            environment.updated_by = state.value("updated_by", "");
            auto field = fmt::format("{}: damaged flag record: {}", where, name);
            if (auto strategies = state.find("strategies"); strategies != state.end()) {
                if (!strategies->is_array() || strategies->size() > max_strategies)
                    return fail(ExitCode::environment, "{}.strategies: not a list", field);
                environment.strategies.emplace();
                for (size_t i = 0; i < strategies->size(); ++i) {
                    auto strategy = strategy_from_json((*strategies)[i],
                                                       fmt::format("{}.strategies[{}]", field, i));
                    if (!strategy)
                        return fail(ExitCode::environment, "{}", strategy.error().message);
                    environment.strategies->push_back(std::move(*strategy));
                }
            }
            if (auto variants = state.find("variants"); variants != state.end()) {
                auto read = variants_from_json(*variants, field + ".variants");
                if (!read) return fail(ExitCode::environment, "{}", read.error().message);
                environment.variants = std::move(*read);
            }
            flag.environments.emplace(name, std::move(environment));
        }
        if (auto dependencies = json.find("dependencies"); dependencies != json.end()) {
            auto read = dependencies_from_json(
                *dependencies, fmt::format("{}: damaged flag record: dependencies", where));
            if (!read) return fail(ExitCode::environment, "{}", read.error().message);
            flag.dependencies = std::move(*read);
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
        auto strategies_json = [](const FlagEnvironment& state) {
            auto json = nlohmann::json::array();
            for (const auto& strategy : state.strategies.value_or(std::vector<Strategy>{}))
                json.push_back(to_json(strategy));
            return json;
        };
        auto count = [](const FlagEnvironment& state) {
            return state.strategies ? std::to_string(state.strategies->size())
                                    : std::string("its rollout");
        };
        if (was.strategies.has_value() != now.strategies.has_value() ||
            strategies_json(was) != strategies_json(now))
            changes.push_back(count(was) == count(now) ? fmt::format("{}: strategies changed", name)
                                                       : fmt::format("{}: strategies {} → {}", name,
                                                                     count(was), count(now)));
        if (to_json(was.variants) != to_json(now.variants))
            changes.push_back(fmt::format("{}: variants {} → {}", name,
                                          describe_variants(was.variants),
                                          describe_variants(now.variants)));
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
    if (dependencies_to_json(old_flag->dependencies) !=
        dependencies_to_json(new_flag->dependencies))
        changes.push_back(fmt::format("depends on {} → {}",
                                      describe_dependencies(old_flag->dependencies),
                                      describe_dependencies(new_flag->dependencies)));
    if (changes.empty()) changes.push_back("touched");
    return changes;
}

}  // namespace launchkit::flags

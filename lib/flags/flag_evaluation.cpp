#include "flags/flag_evaluation.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "util/strings.h"

namespace launchkit::flags {

void TargetingSet::add_flag(FlagTargeting flag) {
    auto name = flag.name;
    flags_.insert_or_assign(std::move(name), std::move(flag));
}

void TargetingSet::add_segment(Segment segment) {
    auto name = segment.name;
    segments_.insert_or_assign(std::move(name), std::move(segment));
}

const FlagTargeting* TargetingSet::flag(std::string_view name) const {
    auto found = flags_.find(name);
    return found == flags_.end() ? nullptr : &found->second;
}

const Segment* TargetingSet::segment(std::string_view name) const {
    auto found = segments_.find(name);
    return found == segments_.end() ? nullptr : &found->second;
}

namespace {

struct EnabledResult {
    bool enabled = false;
    const Strategy* strategy = nullptr;
    size_t index = 0;
};

class Evaluator {
  public:
    Evaluator(const TargetingSet& set, const EvaluationContext& context, bool explain)
        : set_(set),
          context_(context),
          explain_(explain),
          segments_([&set](std::string_view name) { return set.segment(name); }) {}

    std::vector<std::string> reasons;

    EnabledResult is_enabled(const FlagTargeting& flag, bool top) {
        if (!dependencies_hold(flag, top)) return {};
        if (!flag.enabled) {
            note(top, "the flag is off in this environment");
            return {};
        }
        if (flag.strategies.empty()) {
            note(top, "on, with no strategies: on for everyone");
            return {true};
        }
        for (size_t i = 0; i < flag.strategies.size(); ++i) {
            const auto& strategy = flag.strategies[i];
            auto outcome =
                evaluate_strategy(strategy, flag.group, context_, segments_, explain_ && top);
            note(top, [&] {
                return fmt::format("strategy {} ({}): {}", i + 1, describe(strategy),
                                   outcome.enabled ? "matched, " + outcome.reason : outcome.reason);
            });
            if (outcome.enabled) return {true, &strategy, i};
        }
        return {};
    }

    // The variant of an enabled flag, or the disabled variant.
    void resolve_variant(const FlagTargeting& flag, const EnabledResult& enabled,
                         FlagEvaluation& result, bool top) {
        if (!enabled.enabled) return;
        if (enabled.strategy && !enabled.strategy->variants.empty()) {
            const auto& strategy = *enabled.strategy;
            auto stickiness = strategy.variants.front().stickiness.empty()
                                  ? strategy.stickiness
                                  : strategy.variants.front().stickiness;
            const auto& group = strategy.group_id.empty() ? flag.group : strategy.group_id;
            if (const auto* variant =
                    select_variant(group, stickiness, strategy.variants, context_)) {
                take(*variant, result);
                note(top, [&] {
                    return fmt::format("variant '{}' of strategy {}", variant->name,
                                       enabled.index + 1);
                });
                return;
            }
        }
        if (flag.variants.empty()) {
            note(top, "no variants: the 'disabled' variant");
            return;
        }
        const auto& stickiness = flag.variants.front().stickiness;
        if (const auto* variant = select_variant(flag.group, stickiness, flag.variants, context_)) {
            take(*variant, result);
            note(top, [&] {
                return fmt::format("variant '{}' by {}", variant->name,
                                   stickiness.empty() ? "default" : stickiness);
            });
        }
    }

  private:
    static void take(const Variant& variant, FlagEvaluation& result) {
        result.variant = variant.name;
        result.variant_enabled = true;
        result.payload = variant.payload;
    }

    // A reason is built only when asked for: formatting it costs more than the evaluation.
    template <typename Reason>
    void note(bool top, Reason&& reason) {
        if (!explain_ || !top) return;
        if constexpr (std::is_invocable_v<Reason>)
            reasons.push_back(reason());
        else
            reasons.emplace_back(std::forward<Reason>(reason));
    }

    // Unleash evaluates one level of dependencies: a parent that itself depends on another
    // never satisfies a child.
    bool dependencies_hold(const FlagTargeting& flag, bool top) {
        for (const auto& dependency : flag.dependencies) {
            const FlagTargeting* parent = set_.flag(dependency.feature);
            if (!parent) {
                note(top,
                     [&] { return fmt::format("parent '{}' does not exist", dependency.feature); });
                return false;
            }
            if (!parent->dependencies.empty()) {
                note(top, [&] {
                    return fmt::format("parent '{}' depends on another flag itself",
                                       dependency.feature);
                });
                return false;
            }
            auto parent_enabled = is_enabled(*parent, false);
            bool holds = false;
            if (!dependency.enabled) {
                holds = !parent_enabled.enabled;
            } else if (!dependency.variants.empty()) {
                FlagEvaluation parent_result;
                resolve_variant(*parent, parent_enabled, parent_result, false);
                holds = parent_enabled.enabled &&
                        std::find(dependency.variants.begin(), dependency.variants.end(),
                                  parent_result.variant) != dependency.variants.end();
            } else {
                holds = parent_enabled.enabled;
            }
            if (!holds) {
                note(top, [&] {
                    return fmt::format("parent '{}' is {}", dependency.feature,
                                       !dependency.enabled ? "on (this flag needs it off)"
                                       : !dependency.variants.empty() && parent_enabled.enabled
                                           ? "on with another variant"
                                           : "off");
                });
                return false;
            }
            note(top,
                 [&] { return fmt::format("parent '{}' is as required", dependency.feature); });
        }
        return true;
    }

    const TargetingSet& set_;
    const EvaluationContext& context_;
    bool explain_;
    SegmentLookup segments_;
};

}  // namespace

Result<std::vector<FlagDependency>> dependencies_from_json(const nlohmann::json& json,
                                                           std::string_view where) {
    std::vector<FlagDependency> dependencies;
    if (json.is_null()) return dependencies;
    if (!json.is_array() || json.size() > 100)
        return fail(ExitCode::invalid_input,
                    "{}: expected a list of {{feature, enabled, "
                    "variants}}",
                    where);
    for (size_t i = 0; i < json.size(); ++i) {
        const auto& item = json[i];
        auto at = fmt::format("{}[{}]", where, i);
        auto feature = item.is_object() ? item.find("feature") : item.end();
        if (!item.is_object() || feature == item.end() || !feature->is_string() ||
            feature->get<std::string>().empty())
            return fail(ExitCode::invalid_input, "{}.feature: expected the parent flag's name", at);
        FlagDependency dependency{feature->get<std::string>(), true, {}};
        if (auto enabled = item.find("enabled"); enabled != item.end() && !enabled->is_null()) {
            if (!enabled->is_boolean())
                return fail(ExitCode::invalid_input, "{}.enabled: expected true or false", at);
            dependency.enabled = enabled->get<bool>();
        }
        if (auto variants = item.find("variants"); variants != item.end() && !variants->is_null()) {
            if (!variants->is_array() || variants->size() > max_variants)
                return fail(ExitCode::invalid_input,
                            "{}.variants: expected a list of variant "
                            "names",
                            at);
            for (const auto& variant : *variants) {
                if (!variant.is_string())
                    return fail(ExitCode::invalid_input, "{}.variants: expected variant names", at);
                dependency.variants.push_back(variant.get<std::string>());
            }
        }
        dependencies.push_back(std::move(dependency));
    }
    return dependencies;
}

nlohmann::json dependencies_to_json(const std::vector<FlagDependency>& dependencies) {
    auto json = nlohmann::json::array();
    for (const auto& dependency : dependencies) {
        nlohmann::json item = {{"feature", dependency.feature}, {"enabled", dependency.enabled}};
        if (!dependency.variants.empty()) item["variants"] = dependency.variants;
        json.push_back(std::move(item));
    }
    return json;
}

FlagEvaluation evaluate_flag(const TargetingSet& set, std::string_view name,
                             const EvaluationContext& context, bool explain) {
    FlagEvaluation result;
    const FlagTargeting* flag = set.flag(name);
    if (!flag) {
        if (explain) result.reasons.push_back("no such flag");
        return result;
    }
    result.found = true;
    Evaluator evaluator(set, context, explain);
    auto enabled = evaluator.is_enabled(*flag, true);
    result.enabled = enabled.enabled;
    if (enabled.strategy) result.strategy = enabled.index;
    evaluator.resolve_variant(*flag, enabled, result, true);
    result.reasons = std::move(evaluator.reasons);
    return result;
}

}  // namespace launchkit::flags

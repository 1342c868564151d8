#include "flags/flag_evaluation.h"

#include <algorithm>

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
            note(top, fmt::format("strategy {} ({}): {}", i + 1, describe(strategy),
                                  outcome.enabled ? "matched, " + outcome.reason : outcome.reason));
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
                note(top,
                     fmt::format("variant '{}' of strategy {}", variant->name, enabled.index + 1));
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
            note(top, fmt::format("variant '{}' by {}", variant->name,
                                  stickiness.empty() ? "default" : stickiness));
        }
    }

  private:
    static void take(const Variant& variant, FlagEvaluation& result) {
        result.variant = variant.name;
        result.variant_enabled = true;
        result.payload = variant.payload;
    }

    void note(bool top, std::string reason) {
        if (explain_ && top) reasons.push_back(std::move(reason));
    }

    // Unleash evaluates one level of dependencies: a parent that itself depends on another
    // never satisfies a child.
    bool dependencies_hold(const FlagTargeting& flag, bool top) {
        for (const auto& dependency : flag.dependencies) {
            const FlagTargeting* parent = set_.flag(dependency.feature);
            if (!parent) {
                note(top, fmt::format("parent '{}' does not exist", dependency.feature));
                return false;
            }
            if (!parent->dependencies.empty()) {
                note(top,
                     fmt::format("parent '{}' depends on another flag itself", dependency.feature));
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
                note(top, fmt::format("parent '{}' is {}", dependency.feature,
                                      !dependency.enabled ? "on (this flag needs it off)"
                                      : !dependency.variants.empty() && parent_enabled.enabled
                                          ? "on with another variant"
                                          : "off"));
                return false;
            }
            note(top, fmt::format("parent '{}' is as required", dependency.feature));
        }
        return true;
    }

    const TargetingSet& set_;
    const EvaluationContext& context_;
    bool explain_;
    SegmentLookup segments_;
};

}  // namespace

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

// Evaluating a flag for a context as Unleash's SDKs do: dependencies on parent flags first, then
// the flag's strategies in order (any match turns it on), then its variant; with, when asked,
// the reasons a person needs to trust the answer (which strategy or constraint decided it).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "flags/evaluation_context.h"
#include "flags/strategy.h"
#include "flags/variant.h"

namespace launchkit::flags {

// The flag is on only while its parent is on (or, with `enabled` false, off); with `variants`,
// only while the parent gives one of them.
struct FlagDependency {
    std::string feature;
    bool enabled = true;
    std::vector<std::string> variants;
};

// Reads Unleash's [{feature, enabled, variants}]; `where` names it in errors.
Result<std::vector<FlagDependency>> dependencies_from_json(const nlohmann::json& json,
                                                           std::string_view where);
nlohmann::json dependencies_to_json(const std::vector<FlagDependency>& dependencies);

// One flag as one environment sees it.
struct FlagTargeting {
    std::string name;
    std::string group;  // rollout group: variants hash by it, and rollouts without a groupId
    bool enabled = false;
    std::vector<Strategy> strategies;  // none: on for everyone while enabled, as in Unleash
    std::vector<Variant> variants;
    std::vector<FlagDependency> dependencies;
};

// The flags and segments an evaluation may consult (a dependency reads its parent).
class TargetingSet {
  public:
    void add_flag(FlagTargeting flag);
    void add_segment(Segment segment);
    const FlagTargeting* flag(std::string_view name) const;
    const Segment* segment(std::string_view name) const;
    const std::map<std::string, FlagTargeting, std::less<>>& flags() const { return flags_; }
    const std::map<std::string, Segment, std::less<>>& segments() const { return segments_; }

  private:
    std::map<std::string, FlagTargeting, std::less<>> flags_;
    std::map<std::string, Segment, std::less<>> segments_;
};

struct FlagEvaluation {
    bool found = false;
    bool enabled = false;
    std::string variant = "disabled";  // Unleash's name when no variant applies
    bool variant_enabled = false;
    std::optional<VariantPayload> payload;
    std::optional<size_t> strategy;    // the strategy that turned it on (from 0)
    std::vector<std::string> reasons;  // with `explain`: each step that decided, in order
};

FlagEvaluation evaluate_flag(const TargetingSet& set, std::string_view name,
                             const EvaluationContext& context, bool explain = false);

}  // namespace launchkit::flags

// Unleash's activation strategies: who an enabled flag is on for (everyone, a share of subjects,
// named users, addresses, hosts), each narrowed by constraints and segments and optionally
// carrying its own variants. Any strategy that matches turns the flag on.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "flags/constraint.h"
#include "flags/evaluation_context.h"
#include "flags/variant.h"
#include "util/ip_range.h"

namespace launchkit::flags {

enum class StrategyKind {
    standard,                 // "default": everyone
    flexible_rollout,         // a share of subjects by stickiness
    user_with_id,             // listed user ids
    remote_address,           // listed addresses and CIDR ranges
    application_hostname,     // listed host names of the evaluating machine
    gradual_rollout_user_id,  // Unleash's older forms of flexibleRollout, read for imports
    gradual_rollout_session_id,
    gradual_rollout_random,
};

std::string_view strategy_name(StrategyKind kind);
std::optional<StrategyKind> parse_strategy_name(std::string_view name);

// Strategies per flag and environment, constraints and segments per strategy.
inline constexpr size_t max_strategies = 100;
inline constexpr size_t max_constraints = 100;
inline constexpr size_t max_list_parameter_items = 10000;

struct Segment {
    std::string name;
    std::string description;
    std::vector<Constraint> constraints;
};

struct Strategy {
    StrategyKind kind = StrategyKind::standard;
    std::string title;
    bool disabled = false;  // kept but skipped, as Unleash does
    // As written (Unleash keeps every parameter as text), for export and display.
    std::map<std::string, std::string> parameters;
    std::vector<Constraint> constraints;
    std::vector<std::string> segments;  // names of segments whose constraints all must hold
    std::vector<Variant> variants;

    // The parameters, read once.
    double rollout = 100;  // flexibleRollout's `rollout`, gradualRollout*'s `percentage`
    std::string stickiness = "default";
    std::string group_id;                       // empty: the flag's rollout group
    std::vector<std::string> listed;            // userIds or hostNames
    std::vector<std::string> addresses;         // remoteAddress's IPs as written
    std::vector<util::IpRange> address_ranges;  // and parsed
};

// Reads a strategy in Unleash's JSON shape ({"name", "parameters", "constraints", "segments",
// "variants", "title", "disabled"}); segment references are names. `where` names it in errors.
Result<Strategy> strategy_from_json(const nlohmann::json& json, std::string_view where);
nlohmann::json to_json(const Strategy& strategy);

// Finds a segment by name; nothing when it does not exist (its strategy then never matches).
using SegmentLookup = std::function<const Segment*(std::string_view name)>;

struct StrategyOutcome {
    bool enabled = false;
    std::string reason;  // filled only when asked: what matched, or what failed first
};

// Whether the strategy turns the flag on for this context: every constraint, then every
// segment's constraints, then the strategy's own rule. `group` is the flag's rollout group.
StrategyOutcome evaluate_strategy(const Strategy& strategy, std::string_view group,
                                  const EvaluationContext& context, const SegmentLookup& segments,
                                  bool explain);

// "flexibleRollout 20 % by userId", "userWithId (3 users)", "default".
std::string describe(const Strategy& strategy);

}  // namespace launchkit::flags

// Unleash variants: named, weighted alternatives of an enabled flag (an experiment's arms, a
// configuration's payload), chosen stickily per subject with Unleash's own hash and seed, so a
// subject gets the same variant from launchkit as from every Unleash SDK.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "flags/evaluation_context.h"

namespace launchkit::flags {

// Variants per flag (or strategy), and the weight they share, as Unleash's server keeps them.
inline constexpr size_t max_variants = 100;
inline constexpr int variant_weight_total = 1000;
inline constexpr size_t max_payload_bytes = 64 * 1024;

struct VariantPayload {
    std::string type;  // string, json, csv or number
    std::string value;
};

// A variant given to every subject whose context field holds one of the values, before weights.
struct VariantOverride {
    std::string context_name;
    std::vector<std::string> values;
};

struct Variant {
    std::string name;
    int weight = 0;
    bool fixed_weight = false;  // Unleash's weightType "fix": kept when the others are spread
    std::string stickiness;     // empty: "default"
    std::optional<VariantPayload> payload;
    std::vector<VariantOverride> overrides;
};

// Reads a list of variants in Unleash's JSON shape; `where` names it in errors. Each weight is a
// whole number 0..1000 and together they must be more than 0 (Unleash's SDKs pick by
// `hash % total`, so any positive total works); names are unique; a `json` payload must parse and
// a `number` payload must be a number.
Result<std::vector<Variant>> variants_from_json(const nlohmann::json& json, std::string_view where);
nlohmann::json to_json(const std::vector<Variant>& variants);

// Spreads the weights as Unleash's server does when variants are saved: fixed weights are kept,
// the rest of 1000 is shared evenly by the others (the first ones get the remainder). Exit 2 when
// fixed weights pass 1000, or when all are fixed and do not add up to it.
Result<void> spread_variant_weights(std::vector<Variant>& variants, std::string_view where);

// The variant for this context: the first with an override matching it, else the one whose
// share of the total holds the subject's hash of "GROUP:STICKY-VALUE" (seed 86028157); nothing
// when the total weight is 0. `stickiness` empty or "default" reads userId, sessionId, then
// remoteAddress; a subject without the sticky field gets a random one.
const Variant* select_variant(std::string_view group_id, std::string_view stickiness,
                              const std::vector<Variant>& variants,
                              const EvaluationContext& context);

}  // namespace launchkit::flags

// Unleash's own JSON for flags and segments (its client API, its export, its client
// specification's `state`): {"features": [{name, enabled, strategies, variants, dependencies}],
// "segments": [{id, name, constraints}]}. Strategies name segments by id there and by name in
// launchkit; segments without a name are called "segment-ID".
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "flags/flag_evaluation.h"

namespace launchkit::flags {

// Flags and segments in one Unleash document.
inline constexpr size_t max_unleash_features = 10000;
inline constexpr size_t max_unleash_segments = 1000;

// Reads `segments` (a list, or null) into launchkit's segments, keyed by Unleash's id as text.
Result<std::map<std::string, Segment>> unleash_segments_from_json(const nlohmann::json& segments,
                                                                  std::string_view where);
// Reads one feature; `segments` maps the ids its strategies use to segment names. Fields
// launchkit does not model (project, type, stale, tags, ...) are ignored; anything it models is
// validated in full.
Result<FlagTargeting> unleash_feature_from_json(const nlohmann::json& feature,
                                                const std::map<std::string, Segment>& segments,
                                                std::string_view where);
// A whole document, all or nothing: the first invalid feature or segment is the error.
Result<TargetingSet> targeting_from_unleash(const nlohmann::json& document, std::string_view where);

nlohmann::json to_unleash_json(const TargetingSet& set);

}  // namespace launchkit::flags

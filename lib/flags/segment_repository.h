// Segments on top of the store: named constraint sets that strategies of any flag reference, kept
// under "segments/<name>" and changed with compare-and-swap like flags. A segment in use cannot
// be deleted; a strategy cannot reference one that does not exist.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "flags/flag_evaluation.h"
#include "store/store.h"

namespace launchkit::flags {

inline constexpr std::string_view segment_key_prefix = "segments/";

nlohmann::json to_json(const Segment& segment);
// Reads a stored segment; a damaged one is exit 3 naming `where`.
Result<Segment> segment_from_json(const nlohmann::json& json, std::string_view where);

Result<std::vector<Segment>> list_segments(store::Store& store);
// The segment, or exit 2 with "did you mean".
Result<Segment> require_segment(store::Store& store, std::string_view name);
// Creates or replaces a segment (its constraints validated by the caller).
Result<bool> put_segment(store::Store& store, const Segment& segment,
                         const store::ChangeNote& note);
// Exit 2 naming the flags whose strategies use it.
Result<Segment> delete_segment(store::Store& store, std::string_view name,
                               const store::ChangeNote& note);

// Exit 2 for the first segment `strategies` name that the store does not have.
Result<void> check_segments_exist(store::Store& store, const std::vector<Strategy>& strategies,
                                  std::string_view where);

// Every flag and segment, as `environment` evaluates them.
Result<TargetingSet> load_targeting(store::Store& store, const std::string& environment);

}  // namespace launchkit::flags

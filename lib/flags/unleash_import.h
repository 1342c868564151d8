// Unleash's features document (its client API's and export's shape: {"features": [...],
// "segments": [...]}) as flags of one launchkit environment, for `feature-flags import`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "flags/flag_transfer.h"

namespace launchkit::flags {

// Whether a parsed document is Unleash's rather than launchkit's: it has "features" and no
// "flags".
bool is_unleash_document(const nlohmann::json& document);

// Every feature becomes a flag whose `environment` has the feature's enabled state, strategies
// (an empty list stays empty: on for everyone, as in Unleash) and variants; segments keep their
// names (or "segment-ID"). Unleash allows capitals in names and launchkit does not: such a name
// is imported in lower case with the original kept as the flag's group id, so every subject keeps
// its bucket and variant; `notes` says so for each. A name that is invalid even then, or two
// names that become one, is exit 2. All of it is validated before anything is returned.
Result<FlagDocument> flag_document_from_unleash(const nlohmann::json& document,
                                                const std::string& environment,
                                                std::string_view source,
                                                std::vector<std::string>& notes);

}  // namespace launchkit::flags

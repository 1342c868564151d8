// The real unleash-client Node SDK (npm, pinned by tests/flags/unleash-client/package-lock.json),
// installed into the build tree by the first test that asks, and its answers for flags and
// contexts: what launchkit's evaluation is checked against.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace launchkit::testing {

// The SDK's answer for each context and each of `flags`, after it fetched `features` (Unleash's
// features document) over HTTP: [context][flag] = {"enabled", "variant": {"name", "enabled",
// "feature_enabled", "payload"}}. Installs the SDK first when the build tree lacks it (needs
// Node.js and the npm registry); a test that cannot get an answer fails.
nlohmann::json unleash_client_answers(const nlohmann::json& features,
                                      const std::vector<std::string>& flags,
                                      const nlohmann::json& contexts);

}  // namespace launchkit::testing

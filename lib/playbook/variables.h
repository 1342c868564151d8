// ${name} references in playbook settings: expanded from the run's variables just before a step
// runs, and listed beforehand so that a reference to nothing is refused before anything runs.
// `$${` writes a literal `${`.
#pragma once

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit::playbook {

using Variables = std::map<std::string, std::string>;

// Exit code 2 naming the first reference that `variables` does not define.
Result<std::string> expand(std::string_view text, const Variables& variables);
// Expands every string inside `value` (keys are left alone).
Result<nlohmann::json> expand_json(const nlohmann::json& value, const Variables& variables);

// The names referenced in `text`, or in every string inside `value`; an unterminated `${` is
// reported as the name "${".
std::set<std::string> references(std::string_view text);
std::set<std::string> references(const nlohmann::json& value);

}  // namespace launchkit::playbook

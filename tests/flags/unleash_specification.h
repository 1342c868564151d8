// Unleash's client specification as the tests read it: the copied files, and what launchkit
// leaves out of them and why (shared by the library's run and the executable's run).
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace launchkit::testing {

inline const std::filesystem::path unleash_specification_dir =
    std::filesystem::path(LAUNCHKIT_SOURCE_DIR) / "tests/flags/unleash-specification";

// Files about something other than evaluating a flag.
inline const std::map<std::string, std::string> unleash_files_left_out = {
    {"19-delta-api-hydration.json", "the SDKs' delta synchronisation protocol, not evaluation"},
    {"20-delta-api-events.json", "the SDKs' delta synchronisation protocol, not evaluation"},
};

// Features launchkit refuses to store, with the part of the error that says why. An SDK
// evaluates them to "off"; launchkit stops them at the door (exit 2), so their cases are left out.
inline const std::map<std::string, std::string> unleash_features_refused = {
    {"F7.invalid-operator", "unknown operator 'NOT_A_VALID_OPERATOR'"},
    {"Feature.remoteAddress.C", "'192.invalid' is not an IP address or a CIDR range"},
    {"invalid-regex-defaults-to-false", "invalid regular expression: missing closing parenthesis"},
    {"R90.reject_lookahead", "a lookahead ((?=) is not in the RE2 syntax"},
    {"R91.reject_backreference", "a backreference (\\1) is not in the RE2 syntax"},
    {"CIDR.mixed.values", "got '127.invalid'"},
    {"CIDR.invalid.only", "got '127.invalid'"},
    {"CIDR.ipv6.mixed.values", "got 'bad::cidr'"},
};

inline nlohmann::json read_specification_file(const std::string& name) {
    std::ifstream in(unleash_specification_dir / name);
    return nlohmann::json::parse(in);
}

}  // namespace launchkit::testing

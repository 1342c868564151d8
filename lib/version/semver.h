// Semantic Versioning 2.0.0 (https://semver.org): parsing with errors that name the offending part,
// and precedence including pre-release identifiers, with build metadata kept but not compared.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace launchkit::version {

struct SemVer {
    std::uint64_t major = 0;
    std::uint64_t minor = 0;
    std::uint64_t patch = 0;
    std::vector<std::string> prerelease;  // dot-separated identifiers after '-'
    std::vector<std::string> build;       // dot-separated identifiers after '+'

    bool is_prerelease() const { return !prerelease.empty(); }
    std::string to_string() const;
    // The same version without pre-release and build parts (1.3.0-rc.2 → 1.3.0).
    SemVer release_part() const { return SemVer{major, minor, patch, {}, {}}; }

    bool operator==(const SemVer&) const = default;  // exact, build metadata included
};

// The longest version accepted, as node-semver does: SemVer sets no bound, but every input here
// has one, and no real version comes near it.
inline constexpr size_t max_semver_length = 256;

// Parses a complete SemVer string (no prefix, no surrounding spaces).
Result<SemVer> parse_semver(std::string_view text);

// SemVer precedence (spec item 11); build metadata is ignored, so 1.0.0+a and 1.0.0+b are equal.
std::strong_ordering compare_precedence(const SemVer& left, const SemVer& right);

inline bool precedes(const SemVer& left, const SemVer& right) {
    return compare_precedence(left, right) < 0;
}

}  // namespace launchkit::version

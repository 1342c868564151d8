// Version ranges as compatibility matrices and release notes write them: "1.1.x - 1.2.x",
// ">=1.2.0 <2", "^1.2", "~1.2.3", "v1.2.x+", "*" and alternatives joined by "||".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "version/semver.h"

namespace launchkit::version {

struct VersionBound {
    SemVer version;
    bool inclusive = true;
};

// One contiguous interval; no bound means unbounded on that side.
struct VersionInterval {
    std::optional<VersionBound> lower;
    std::optional<VersionBound> upper;

    bool contains(const SemVer& version) const;
};

struct VersionRange {
    std::string text;                           // as written, for messages
    std::vector<VersionInterval> alternatives;  // any one matching is enough

    bool contains(const SemVer& version) const;
};

// The longest range accepted: room for dozens of alternatives, a bound on what is echoed back.
inline constexpr size_t max_version_range_length = 1024;

// Parses a range; errors name the part that is not a version or operator.
Result<VersionRange> parse_version_range(std::string_view text);

// A version as matrices write it: "v1.2.0", "1.2" and "2" (a schema number) become 1.2.0, 1.2.0
// and 2.0.0; a full SemVer is taken as it is.
Result<SemVer> parse_loose_version(std::string_view text);

}  // namespace launchkit::version

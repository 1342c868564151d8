// A version compatibility matrix (the Zeitwork Platform Upgrade Guide's "Operator v1.2.0 —
// compatible with Node Agent v1.1.x - v1.2.x"): which versions of each component may run beside
// which, checked for every state an ordered upgrade passes through before anything changes.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "version/version_range.h"

namespace launchkit::version {

// What one version of a component needs of the others (component → range).
using CompatibilityRules = std::map<std::string, VersionRange>;

struct MatrixComponent {
    std::string name;
    std::string version_text;       // as written ("v2"); empty: from the ledger
    std::optional<SemVer> version;  // running when the matrix was written
    std::string tag_prefix;         // its releases in the ledger ("operator-v"); empty: none
    CompatibilityRules compatible;  // what the running version needs
    // What other versions need; a version not listed needs what the nearest listed release of its
    // MAJOR.MINOR needs (1.3.1 as 1.3.0), else what `compatible` says.
    std::vector<std::pair<SemVer, CompatibilityRules>> releases;
    // The Zeitwork guide's "never skip versions": each upgrade goes at most to the next minor (or
    // the next major's first minor), and never past a release listed here.
    bool no_skip = false;
    std::string notes;

    const CompatibilityRules& rules_for(const SemVer& candidate) const;
    // Why upgrading from `from` to `to` skips versions, or empty when it does not (or may).
    std::string skipped(const SemVer& from, const SemVer& to) const;
};

struct CompatibilityMatrix {
    std::filesystem::path source;
    std::vector<MatrixComponent> components;  // in the file's order

    const MatrixComponent* find(const std::string& name) const;
};

Result<CompatibilityMatrix> load_compatibility_matrix(const std::filesystem::path& path);
// `path` names the document in errors.
Result<CompatibilityMatrix> parse_compatibility_matrix(std::string_view text,
                                                       const std::filesystem::path& path);

// A pair that may not run together: `component` at `version` needs `needs` in `range`.
struct CompatibilityViolation {
    std::string component;
    std::string version;
    std::string needs;
    std::string range;
    std::string found;
};

// Versions by component: one state of the fleet.
using FleetVersions = std::map<std::string, SemVer>;

std::vector<CompatibilityViolation> check_compatibility(const CompatibilityMatrix& matrix,
                                                        const FleetVersions& versions);

}  // namespace launchkit::version

// Which part of a version to increment, and how: explicit bumps, the Conventional Commits rule for
// `auto` (with the 0.x rule), and numbered pre-releases (1.3.0-rc.1, rc.2, ...).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "version/conventional_commit.h"
#include "version/semver.h"

namespace launchkit::version {

enum class BumpKind { none, patch, minor, major };

std::string_view to_string(BumpKind kind);

// "patch" | "minor" | "major" → BumpKind; anything else is an invalid-input error.
Result<BumpKind> parse_bump_kind(std::string_view text);

// Increments `base` as node-semver's `inc` does: 1.2.3 + minor → 1.3.0; a pre-release of the
// version the bump would give is completed instead (1.0.0-rc.1 + patch, minor or major → 1.0.0;
// 1.2.1-rc.1 + minor → 1.3.0). Build metadata is dropped.
SemVer bump(const SemVer& base, BumpKind kind);

// The bump the commits call for: breaking → major, feat → minor, fix/perf/revert → patch, else
// none (semantic-release's default rules).
// Before 1.0.0 a breaking change bumps minor instead, so 0.x never jumps to 1.0.0 by accident.
BumpKind bump_for_commits(const std::vector<ConventionalCommit>& commits, const SemVer& base);

// `target` with the next `<id>.<n>` pre-release, n one past the highest among `existing`
// versions that share target's MAJOR.MINOR.PATCH and id (1 when there is none).
SemVer next_prerelease(const SemVer& target, const std::string& id,
                       const std::vector<SemVer>& existing);

// Checks a pre-release id given on the command line (`--pre rc`): one SemVer identifier.
Result<void> validate_prerelease_id(std::string_view id);

}  // namespace launchkit::version

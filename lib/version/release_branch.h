// Which kind of release a branch may cut, as semantic-release's `branches:` defines it: release
// branches take any higher version, maintenance branches (`1.x`, `1.4.x`) only versions inside
// their range, pre-release branches (`beta`) only numbered pre-releases on their channel.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "core/config.h"
#include "version/semver.h"

namespace launchkit::version {

enum class BranchKind { release, maintenance, prerelease };

std::string_view to_string(BranchKind kind);

struct ReleaseBranch {
    std::string name;  // the branch HEAD is on
    BranchKind kind = BranchKind::release;
    std::optional<SemVer> minimum{};  // maintenance: versions >= minimum and < limit
    std::optional<SemVer> limit{};
    std::string range{};          // maintenance: "1.4.x", as written
    std::string prerelease_id{};  // pre-release branches
    std::string channel{};        // empty: the default channel
    std::string where{};          // the configuration line that matched
};

// The configured entry `branch` matches (a name or a glob); exit 2 naming the configured branches
// when none does. The first release branch publishes on the default channel, every other branch
// on a channel named after it unless it sets `channel:`.
Result<ReleaseBranch> match_release_branch(const std::vector<ReleaseBranchConfig>& configured,
                                           const std::string& branch);

// Exit 2 when `version` may not be released from `branch`, saying what may.
Result<void> check_version_on_branch(const ReleaseBranch& branch, const SemVer& version);

}  // namespace launchkit::version

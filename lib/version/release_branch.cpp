#include "version/release_branch.h"

#include <fnmatch.h>

#include "core/config_release_branches.h"
#include "util/strings.h"

namespace launchkit::version {
namespace {

// "1.x" / "1.x.x" → [1.0.0, 2.0.0); "1.4.x" → [1.4.0, 1.5.0).
std::pair<SemVer, SemVer> maintenance_bounds(std::string_view range) {
    auto parts = util::split(range, '.');
    auto number = [](std::string_view text) { return std::stoull(std::string(text)); };
    std::uint64_t major = number(parts[0]);
    if (parts[1] == "x") return {SemVer{major, 0, 0, {}, {}}, SemVer{major + 1, 0, 0, {}, {}}};
    std::uint64_t minor = number(parts[1]);
    return {SemVer{major, minor, 0, {}, {}}, SemVer{major, minor + 1, 0, {}, {}}};
}

}  // namespace

std::string_view to_string(BranchKind kind) {
    switch (kind) {
        case BranchKind::release:
            return "release";
        case BranchKind::maintenance:
            return "maintenance";
        case BranchKind::prerelease:
            return "pre-release";
    }
    return "release";
}

Result<ReleaseBranch> match_release_branch(const std::vector<ReleaseBranchConfig>& configured,
                                           const std::string& branch) {
    bool first_release_branch = true;
    for (const auto& entry : configured) {
        std::string range = entry.range;
        if (range.empty() && entry.prerelease.empty() && is_maintenance_range(entry.name))
            range = entry.name;
        bool is_release = range.empty() && entry.prerelease.empty();
        bool matches =
            entry.name == branch || fnmatch(entry.name.c_str(), branch.c_str(), FNM_PATHNAME) == 0;
        if (!matches) {
            if (is_release) first_release_branch = false;
            continue;
        }
        ReleaseBranch result{.name = branch, .where = entry.where};
        if (!range.empty()) {
            result.kind = BranchKind::maintenance;
            result.range = range;
            std::tie(result.minimum, result.limit) = maintenance_bounds(range);
            result.channel = entry.channel.empty() ? branch : entry.channel;
        } else if (!entry.prerelease.empty()) {
            result.kind = BranchKind::prerelease;
            result.prerelease_id = entry.prerelease;
            result.channel = entry.channel.empty() ? branch : entry.channel;
        } else {
            result.channel =
                entry.channel.empty() && !first_release_branch ? branch : entry.channel;
        }
        return result;
    }
    std::string names;
    for (const auto& entry : configured) names += (names.empty() ? "" : ", ") + entry.name;
    return fail(ExitCode::invalid_input,
                "branch '{}' is not configured to release (release.branches: {}); check out one "
                "of those, or add it",
                branch, names);
}

Result<void> check_version_on_branch(const ReleaseBranch& branch, const SemVer& version) {
    if (branch.kind == BranchKind::maintenance &&
        (precedes(version, *branch.minimum) || !precedes(version, *branch.limit)))
        return fail(ExitCode::invalid_input,
                    "refusing to release {} from maintenance branch '{}': it takes only versions "
                    ">= {} and < {} ({}); release it from a release branch",
                    version.to_string(), branch.name, branch.minimum->to_string(),
                    branch.limit->to_string(), branch.where);
    if (branch.kind == BranchKind::prerelease && !version.is_prerelease())
        return fail(ExitCode::invalid_input,
                    "refusing to release {} from pre-release branch '{}': it releases only "
                    "{}-pre-releases ({}); merge into a release branch to release it",
                    version.to_string(), branch.name, branch.prerelease_id, branch.where);
    return {};
}

}  // namespace launchkit::version

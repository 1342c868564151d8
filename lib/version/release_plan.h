// Deciding a release: the current version (the newest SemVer tag reachable from HEAD or untagged
// release commit after it, else the VERSION file), the next one (explicit, bumped, from
// Conventional Commits, or a numbered pre-release), the branch rules it must obey, the commits it
// covers and the files it changes. Planning reads only; apply_release is the single place that
// writes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "core/config.h"
#include "util/time.h"
#include "version/bump.h"
#include "version/git_repository.h"
#include "version/release_branch.h"
#include "version/semver.h"

namespace launchkit::version {

struct ReleaseRequest {
    std::filesystem::path repository = ".";
    std::string bump;           // patch | minor | major | auto | release; empty with `version`
    std::string version;        // an explicit version (--version)
    std::string prerelease_id;  // --pre rc
    std::string tag_prefix = "v";
    std::string component_path;  // --path: a subtree of the repository; empty for all of it
    std::string changelog_file = "CHANGELOG.md";  // relative to the component path
    std::string version_file = "VERSION";         // relative to the component path
    bool allow_shallow = false;                   // --allow-shallow
    std::vector<ReleaseBranchConfig> branches;    // release.branches; empty: any branch
    std::string branch;                           // --branch; empty: the one HEAD is on
};

// Where the current version came from and what the history says. Only releases reachable from
// HEAD count, so a maintenance branch cut from v1.4.0 is not bumped from main's v1.5.0.
struct CurrentVersion {
    std::optional<SemVer> version;  // newest by precedence; none for a first release
    // "tag v1.2.0", "release commit 1a2b3c4 (untagged)", "VERSION file", or "none"
    std::string source;
    std::string ref;                     // the tag or commit `version` came from; empty otherwise
    std::optional<SemVer> last_release;  // newest that is not a pre-release
    std::string last_release_ref;
    std::vector<SemVer> released;   // every version with the prefix: all tags, reachable or not,
                                    // and the untagged release commits
    std::vector<std::string> tags;  // every tag with the prefix, reachable or not
};

struct ReleasePlan {
    CurrentVersion current;
    SemVer version;
    std::string bump;  // patch | minor | major (also for auto) | explicit | release
    std::string tag;   // tag_prefix + version
    std::optional<ReleaseBranch> branch;  // when release.branches is configured
    std::vector<Commit> commits;          // the commits the changelog section covers, newest first
    std::string changelog_section;
    std::filesystem::path changelog_path;  // absolute
    std::filesystem::path version_path;    // absolute
    std::string changelog_content;         // the whole new file
    std::string version_content;
};

// Reads the tags and the release commits after the newest final release reachable from HEAD, and
// the VERSION file if there are neither. A shallow clone is exit 2 unless `allow_shallow`.
Result<CurrentVersion> find_current_version(const GitRepository& repository,
                                            const ReleaseRequest& request);

// Plans the release. Exit code 2 for bad input, a version not above the current one, a version
// whose tag exists, or one the branch may not release; exit code 1 when `auto` finds no commit
// that calls for a release.
Result<ReleasePlan> plan_release(const GitRepository& repository, const ReleaseRequest& request,
                                 util::TimePoint now);

struct ReleaseOutcome {
    bool committed = false;
    bool tagged = false;
    std::string commit;  // full hash of the release commit, or HEAD when not committing
};

// Writes CHANGELOG and VERSION atomically, commits exactly those two files and creates the
// annotated tag, as asked.
Result<ReleaseOutcome> apply_release(const GitRepository& repository, const ReleasePlan& plan,
                                     bool commit, bool tag);

}  // namespace launchkit::version

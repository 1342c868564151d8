// Deciding a release: the current version (newest SemVer tag, else the VERSION file), the next one
// (explicit, bumped, from Conventional Commits, or a numbered pre-release), the commits it covers
// and the files it changes. Planning reads only; apply_release is the single place that writes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "util/time.h"
#include "version/bump.h"
#include "version/git_repository.h"
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
};

// Where the current version came from and what the tags say.
struct CurrentVersion {
    std::optional<SemVer> version;       // newest by precedence; none for a first release
    std::string source;                  // "tag v1.2.0", "VERSION file", or "none"
    std::string tag;                     // the tag of `version`, when it came from one
    std::optional<SemVer> last_release;  // newest tag that is not a pre-release
    std::string last_release_tag;
    std::vector<SemVer> tagged;  // every SemVer tag with the prefix
};

struct ReleasePlan {
    CurrentVersion current;
    SemVer version;
    std::string bump;             // patch | minor | major (also for auto) | explicit | release
    std::string tag;              // tag_prefix + version
    std::vector<Commit> commits;  // the commits the changelog section covers, newest first
    std::string changelog_section;
    std::filesystem::path changelog_path;  // absolute
    std::filesystem::path version_path;    // absolute
    std::string changelog_content;         // the whole new file
    std::string version_content;
};

// Reads the tags once and the VERSION file if there are no tags.
Result<CurrentVersion> find_current_version(const GitRepository& repository,
                                            const ReleaseRequest& request);

// Plans the release. Exit code 2 for bad input or a version not above the current one; exit code 1
// when `auto` finds no commit that calls for a release.
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

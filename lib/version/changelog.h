// CHANGELOG.md sections rendered from Conventional Commits, grouped Breaking / Features / Fixes /
// Performance / Reverts / Other with short hashes, and inserted above older sections of an
// existing file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "version/conventional_commit.h"
#include "version/git_repository.h"

namespace launchkit::version {

enum class ChangeGroup { breaking, features, fixes, performance, reverts, other };

std::string_view heading(ChangeGroup group);

// Which changelog group a commit belongs to (a breaking change is listed only under Breaking).
ChangeGroup group_of(const ConventionalCommit& commit);

// Commits launchkit itself made for a release ("chore(release): ...") are left out of changelogs.
bool is_release_commit(const ConventionalCommit& commit);

// Removes every revert whose reverted commit is also in `commits`, and that commit: together they
// change nothing, so they neither bump the version nor appear in the changelog (as
// semantic-release does). Newest first, so reverting a revert brings the original back.
void cancel_reverts(std::vector<Commit>& commits);

// One version's section: "## [1.3.0] - 2026-11-25" and its groups; `title` is the bracketed part.
std::string render_section(std::string_view title, std::string_view date,
                           const std::vector<Commit>& commits);

// A whole changelog for every tagged release in `commits` (newest first, with tags attached, as
// GitRepository::log returns them); commits above the newest tag form an "Unreleased" section.
std::string render_full_changelog(const std::vector<Commit>& commits, std::string_view tag_prefix);

// The new file content with `section` added: above the first "## " heading of `existing`, or after
// a fresh header when there is no file yet. Refuses when the version already has a section.
Result<std::string> insert_section(std::string_view existing, std::string_view section,
                                   std::string_view version_title);

}  // namespace launchkit::version

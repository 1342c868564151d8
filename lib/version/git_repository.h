// The git operations release versioning needs, each one `git` process spawned with argv. Reads are
// batched (all tags in one call, all commits of a range in one call) so 10,000 commits stay fast.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"

namespace launchkit::version {

struct Commit {
    std::string hash;
    std::string short_hash;
    std::string author;
    long long time = 0;             // committer time, Unix seconds
    std::string subject;            // first line of the message
    std::string body;               // the rest
    std::vector<std::string> tags;  // tags (matching the requested prefix) that point at it
};

class GitRepository {
  public:
    // Opens the work tree containing `directory`; exit code 2 when it is not a git repository.
    static Result<GitRepository> open(const std::filesystem::path& directory);

    const std::filesystem::path& root() const { return root_; }

    // The names of all tags that start with `prefix`, in one call; with `reachable_only`, only
    // those whose commit is an ancestor of HEAD (a maintenance branch does not see main's tags).
    Result<std::vector<std::string>> tags(std::string_view prefix,
                                          bool reachable_only = false) const;

    // A shallow clone (CI's default checkout) lacks the history and tags a version is computed
    // from.
    Result<bool> is_shallow() const;

    // The branch HEAD is on; none when HEAD is detached.
    Result<std::optional<std::string>> current_branch() const;

    // Commits reachable from HEAD and not from `exclude_ref` whose message contains `text`
    // (a fixed string), newest first, with hash and subject only.
    Result<std::vector<Commit>> commits_mentioning(const std::string& text,
                                                   const std::string& exclude_ref) const;

    // Commits reachable from HEAD and not from `exclude_ref` (all when empty), newest first,
    // merges left out, limited to `path` when it is not empty. With `tag_prefix`, tags starting
    // with it are attached to the commits they point at (decorating costs time with many tags,
    // so it is skipped without one).
    Result<std::vector<Commit>> log(
        const std::string& exclude_ref, const std::string& path,
        const std::optional<std::string>& tag_prefix = std::nullopt) const;

    // `git status --porcelain` lines; empty means a clean work tree.
    Result<std::string> status() const;

    Result<std::string> head() const;  // full hash of HEAD
    Result<bool> has_commits() const;

    Result<void> add(const std::vector<std::filesystem::path>& paths) const;
    // Takes `paths` out of the index again (after a failed commit).
    Result<void> unstage(const std::vector<std::filesystem::path>& paths) const;
    // Fails (exit code 3) when git has no committer identity to commit or tag with.
    Result<void> check_identity() const;
    // Commits exactly `paths` (already added), whatever else is staged.
    Result<void> commit(const std::string& message,
                        const std::vector<std::filesystem::path>& paths) const;
    Result<void> create_annotated_tag(const std::string& name, const std::string& message) const;

  private:
    explicit GitRepository(std::filesystem::path root) : root_(std::move(root)) {}
    Result<std::string> git(std::vector<std::string> arguments) const;

    std::filesystem::path root_;
};

}  // namespace launchkit::version

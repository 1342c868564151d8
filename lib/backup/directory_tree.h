// How a `dir:` backup sees its directory: one walk (sorted, depth-first, the root followed when it
// is a symlink) shared by the archiver and by the later check that the tree is still the one
// archived, so both visit the same entries in the same order.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <sys/stat.h>

#include "base/error.h"

namespace launchkit::backup {

// `relative` is "" for the root; `info` is lstat's (stat's for the root).
using TreeVisitor = std::function<Result<void>(
    const std::filesystem::path& absolute, const std::string& relative, const struct stat& info)>;

// Visits `root` and everything below it except `skip` (the backup repository, when it lies
// inside the tree), which is passed to `skipped` instead.
Result<void> walk_directory_tree(
    const std::filesystem::path& root, const std::filesystem::path& skip, const TreeVisitor& visit,
    const std::function<void(const std::filesystem::path&)>& skipped = {});

// What any write to an entry changes (inode, mode, size, mtime, ctime), as one line of the
// tree's state digest: the same digest taken later says the tree was not touched since.
std::string tree_state_line(const std::string& relative, const struct stat& info);

struct TreeState {
    std::string sha256;              // over every entry's tree_state_line, in walk order
    bool only_plain_entries = true;  // files, directories and symlinks only
};
Result<TreeState> read_tree_state(const std::filesystem::path& root,
                                  const std::filesystem::path& skip);

}  // namespace launchkit::backup

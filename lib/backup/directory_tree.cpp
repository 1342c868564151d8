#include "backup/directory_tree.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "util/sha256.h"

namespace launchkit::backup {

Result<void> walk_directory_tree(const std::filesystem::path& root,
                                 const std::filesystem::path& skip, const TreeVisitor& visit,
                                 const std::function<void(const std::filesystem::path&)>& skipped) {
    std::function<Result<void>(const std::filesystem::path&, const std::string&)> walk =
        [&](const std::filesystem::path& absolute, const std::string& relative) -> Result<void> {
        if (!skip.empty() && !relative.empty() && absolute == skip) {
            if (skipped) skipped(absolute);
            return {};
        }
        struct stat info {};
        // The root is followed when it is a symlink (`dir:/srv/app/current` → releases/5), as
        // `tar -C DIR .` does; everything below is taken as it is.
        int status =
            relative.empty() ? ::stat(absolute.c_str(), &info) : ::lstat(absolute.c_str(), &info);
        if (status != 0)
            return fail(ExitCode::environment, "cannot read {}: {}", absolute.string(),
                        std::strerror(errno));
        LAUNCHKIT_TRY(visit(absolute, relative, info));
        if (!S_ISDIR(info.st_mode)) return {};
        std::vector<std::string> names;
        std::error_code error;
        for (const auto& child : std::filesystem::directory_iterator(absolute, error))
            names.push_back(child.path().filename().string());
        if (error)
            return fail(ExitCode::environment, "cannot list {}: {}", absolute.string(),
                        error.message());
        std::sort(names.begin(), names.end());  // the same tree is walked the same way
        for (const auto& name : names)
            LAUNCHKIT_TRY(walk(absolute / name, relative.empty() ? name : relative + "/" + name));
        return {};
    };
    return walk(root, "");
}

std::string tree_state_line(const std::string& relative, const struct stat& info) {
    // The path ends in NUL: no file name holds one, so lines cannot run into each other.
    std::string line = relative;
    line.push_back('\0');
    line += fmt::format("{} {:o} {} {}.{} {}.{}\n", info.st_ino, info.st_mode, info.st_size,
                        info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_ctim.tv_sec,
                        info.st_ctim.tv_nsec);
    return line;
}

Result<TreeState> read_tree_state(const std::filesystem::path& root,
                                  const std::filesystem::path& skip) {
    util::Sha256 hash;
    TreeState state;
    LAUNCHKIT_TRY(walk_directory_tree(root, skip,
                                      [&](const std::filesystem::path&, const std::string& relative,
                                          const struct stat& info) -> Result<void> {
                                          hash.update(tree_state_line(relative, info));
                                          if (!S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode) &&
                                              !S_ISLNK(info.st_mode))
                                              state.only_plain_entries = false;
                                          return {};
                                      }));
    state.sha256 = hash.hex_digest();
    return state;
}

}  // namespace launchkit::backup

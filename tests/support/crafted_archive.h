// Hand-made tar.zst archives for the tar-slip tests: entries a backup would never contain
// (absolute paths, "..", symlinks out of the target), written with libarchive.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace launchkit::testing {

struct CraftedEntry {
    enum class Type { file, directory, symlink, hardlink } type = Type::file;
    std::string path;
    std::string content{};  // file
    std::string link{};     // symlink or hard-link target
};

void write_crafted_archive(const std::filesystem::path& path,
                           const std::vector<CraftedEntry>& entries);

}  // namespace launchkit::testing

// Hand-made tar.zst archives for the tar-slip tests: entries a backup would never contain
// (absolute paths, "..", symlinks out of the target), written with libarchive.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace launchkit::testing {

struct CraftedEntry {
    enum class Type {
        file,
        directory,
        symlink,
        hardlink,
        character_device,
        fifo
    } type = Type::file;
    std::string path;
    std::string content{};     // file; for a directory, data a real archive never carries
    std::string link{};        // symlink or hard-link target
    unsigned permissions = 0;  // 0: the type's usual (0644, 0755, 0777)
};

void write_crafted_archive(const std::filesystem::path& path,
                           const std::vector<CraftedEntry>& entries);

}  // namespace launchkit::testing

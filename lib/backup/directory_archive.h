// `dir:` backups: a directory as a pax tar stream (libarchive) compressed with zstd (libzstd, on
// worker threads so reading and compressing overlap), hashed as it is written. Reading it back
// checks every header and byte and, when extracting, refuses tar-slip entries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "backup/backup_manifest.h"
#include "base/error.h"
#include "util/progress_meter.h"

namespace launchkit::backup {

struct ArchiveStats {
    std::uint64_t entries = 0;
    std::uint64_t content_bytes = 0;    // file contents, before compression
    BackupFile file;                    // the archive itself: name, size, SHA-256
    std::vector<std::string> warnings;  // files that changed while being read, sockets skipped
    // Written only: over what a restore gives back (paths, types, permissions, link targets,
    // bytes), the same for the tree extracted from this archive or restored by restic from a
    // copy of the directory; and the directory's state (directory_tree.h) as it was read.
    std::string content_sha256;
    std::string state_sha256;
};

// Archives `source` (its modes, owners, mtimes, symlinks, hard links and empty directories) into
// the new file `archive`, recorded under `name`.
// `skip` (the backup repository itself, when it lies inside `source`) is left out.
Result<ArchiveStats> write_directory_archive(const std::filesystem::path& source,
                                             const std::filesystem::path& archive,
                                             const std::string& name, util::ProgressMeter* progress,
                                             const std::filesystem::path& skip = {});

struct ExtractOptions {
    bool allow_external_symlinks = false;  // restore symlinks that point outside the target
    util::ProgressMeter* progress = nullptr;
};

// Reads the whole archive. With `extract_into` (an existing empty directory) it also writes the
// entries there, refusing absolute paths, "..", entries written through symlinks and (unless
// allowed) symlinks that point outside; the caller discards the directory on error.
Result<ArchiveStats> read_directory_archive(
    const std::filesystem::path& archive, const std::string& name,
    const std::optional<std::filesystem::path>& extract_into, const ExtractOptions& options);

// "3.6.2 zstd/1.5.4" (libarchive, libzstd), for the manifest's tool versions.
Result<std::string> archive_library_version();

}  // namespace launchkit::backup

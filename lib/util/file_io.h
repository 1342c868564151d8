// Durable file operations: whole-file reads, atomic replacement (temp + fsync + rename + directory
// fsync) and fsync'd appends, so a process killed at any point leaves old or new state, never torn.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "base/error.h"

namespace launchkit::util {

// Reads a whole file. Errors name the path; a missing file is ExitCode::environment.
Result<std::string> read_file(const std::filesystem::path& path);

// Reads a whole file that a person or another tool handed over (keys, signatures, checksum
// lists): one larger than `max_bytes` is refused as invalid input naming `what`, the path and the
// limit, before more than `max_bytes` + 1 bytes are read (a FIFO or /dev/zero never exhausts
// memory).
Result<std::string> read_file_at_most(const std::filesystem::path& path, std::uint64_t max_bytes,
                                      std::string_view what);

// Reads a file from byte `offset` to its end (the unread tail of a log).
Result<std::string> read_file_from(const std::filesystem::path& path, std::int64_t offset);

// Whether a replacement must survive a power cut once write_file_atomically returns, or may then
// come back as the file it replaced (a cache that the caller rebuilds from a log that is durable):
// the second spares the directory's fsync.
enum class ReplaceDurability { durable, may_revert };

// Replaces `path` with `content` atomically: a reader sees the old file or the new one, whole. An
// existing file keeps its permission bits; a new one gets `mode_for_new_file`.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   mode_t mode_for_new_file = 0644,
                                   ReplaceDurability durability = ReplaceDurability::durable);

// Appends `content` with O_APPEND in one write and fsyncs it (journals and ledgers). A new file
// gets `mode_for_new_file`: launchkit's own records are private.
Result<void> append_durably(const std::filesystem::path& path, std::string_view content,
                            mode_t mode_for_new_file = 0600);

// Appends one line ending in '\n' after cutting a torn last line (no newline, not a whole JSON
// object) that a killed writer left: that line was never acknowledged, and the new one must not
// be glued to it. A whole object missing only its newline is kept. The caller serialises writers
// of `path` (a lock, or a single owner).
Result<void> append_line_durably(const std::filesystem::path& path, std::string_view line,
                                 mode_t mode_for_new_file = 0600);

// Flushes a directory's entries, so a rename or a new file inside it survives a crash.
Result<void> fsync_directory(const std::filesystem::path& directory);

// mkdir -p, naming the directory that could not be created. Every directory it creates gets
// `mode` exactly, whatever the umask (the state directory is 0700 even under umask 000).
Result<void> create_directories(const std::filesystem::path& directory, mode_t mode = 0755);

// Removes the temporary files write_file_atomically left in `directory` for `path` when the
// process writing them was killed; call it holding the lock that serialises those writes.
void remove_leftover_temporaries(const std::filesystem::path& path);

// std::filesystem::remove_all, and when that fails (a tree restored with its read-only
// directories, as restic restores them), again after giving the owner write access to every
// directory below `path`. Symlinks are removed, never followed.
std::error_code remove_tree(const std::filesystem::path& path);

}  // namespace launchkit::util

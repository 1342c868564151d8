// SHA256SUMS files as `sha256sum` writes and checks them ("DIGEST  NAME" per line, names relative
// to the file's own folder): what a release signature covers, one digest per artifact.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace launchkit::sign {

struct ChecksumEntry {
    std::string digest;  // 64 lower-case hex digits
    std::string name;    // as listed: relative to the checksums file's folder
};

// The SHA-256 of a file, read in pieces (artifacts can be gigabytes). Exit 3 when unreadable.
Result<std::string> file_sha256(const std::filesystem::path& path);

// The text of a checksums file in `folder` listing `files` (each named relative to `folder`).
// Exit 2 for a name sha256sum could not read back (a line break or backslash in it) or a file
// listed twice; 3 for a file that cannot be read.
Result<std::string> write_checksums(const std::vector<std::filesystem::path>& files,
                                    const std::filesystem::path& folder);

// Reads one; `where` names it in errors (exit 2 naming the line).
Result<std::vector<ChecksumEntry>> parse_checksums(std::string_view text, std::string_view where);

}  // namespace launchkit::sign

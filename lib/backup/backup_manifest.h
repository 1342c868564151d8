// manifest.json: what one backup holds and how to check it. Written last, so a backup folder with a
// manifest is complete; every file's size and SHA-256 let `verify` detect any change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backup/backup_source.h"
#include "base/error.h"

namespace launchkit::backup {

struct BackupFile {
    std::string path;  // relative to the backup folder ("data.tar.zst")
    std::uint64_t size = 0;
    std::string sha256;
};

struct BackupManifest {
    std::string id;  // "20261125T181950.123Z-3f9a2c": sortable by time, unique
    std::string source;
    BackupKind kind = BackupKind::directory;
    std::string target;  // what was backed up: the path, the database or the command
    std::string tag;
    std::map<std::string, std::string> labels;
    std::string created_at;  // RFC 3339 UTC
    std::string host;
    std::string actor;
    std::map<std::string, std::string> tools;  // "libarchive": "3.6.2", "pg_dump": "15.18", …
    std::vector<BackupFile> files;
    std::uint64_t source_bytes = 0;  // bytes read from the source (before compression)
    std::uint64_t entries = 0;       // directory: archive entries
    double seconds = 0;              // how long the backup took
    // directory: the tree as archived (ArchiveStats): what a restore gives back, and the state
    // the directory was in, which tells later whether it is still the tree archived. Empty in
    // manifests written before launchkit took them.
    std::string tree_content_sha256;
    std::string tree_state_sha256;

    std::uint64_t stored_bytes() const;
};

nlohmann::json manifest_json(const BackupManifest& manifest);
// `where` names the file in errors.
// Every backup kind stores one data file; a manifest listing more than this is damaged.
inline constexpr size_t max_manifest_files = 16;

Result<BackupManifest> parse_manifest(std::string_view text, const std::string& where);

}  // namespace launchkit::backup

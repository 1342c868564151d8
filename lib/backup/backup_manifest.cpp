#include "backup/backup_manifest.h"

#include <set>

#include "util/bounded_json.h"
#include "util/sha256.h"

namespace launchkit::backup {

std::uint64_t BackupManifest::stored_bytes() const {
    std::uint64_t total = 0;
    for (const auto& file : files) total += file.size;
    return total;
}

nlohmann::json manifest_json(const BackupManifest& manifest) {
    auto files = nlohmann::json::array();
    for (const auto& file : manifest.files)
        files.push_back({{"path", file.path}, {"size", file.size}, {"sha256", file.sha256}});
    auto json = nlohmann::json{{"format", 1},
                               {"id", manifest.id},
                               {"source", manifest.source},
                               {"kind", kind_name(manifest.kind)},
                               {"target", manifest.target},
                               {"tag", manifest.tag},
                               {"labels", manifest.labels},
                               {"created_at", manifest.created_at},
                               {"host", manifest.host},
                               {"actor", manifest.actor},
                               {"tools", manifest.tools},
                               {"files", files},
                               {"source_bytes", manifest.source_bytes},
                               {"stored_bytes", manifest.stored_bytes()},
                               {"entries", manifest.entries},
                               {"seconds", manifest.seconds}};
    if (!manifest.tree_content_sha256.empty())
        json["tree"] = {{"content_sha256", manifest.tree_content_sha256},
                        {"state_sha256", manifest.tree_state_sha256}};
    return json;
}

Result<BackupManifest> parse_manifest(std::string_view text, const std::string& where) {
    auto parsed = util::parse_json(text);
    if (!parsed) return fail(ExitCode::environment, "{}: {}", where, parsed.error().message);
    try {
        auto& json = *parsed;
        BackupManifest manifest;
        // Compared as the integer it must be: a huge float converted to int is undefined.
        auto format = json.find("format");
        if (format == json.end() || !format->is_number_integer() ||
            format->get<std::int64_t>() != 1)
            return fail(ExitCode::environment, "{}: unsupported manifest format (expected 1)",
                        where);
        manifest.id = json.at("id").get<std::string>();
        manifest.source = json.at("source").get<std::string>();
        auto kind = parse_kind(json.at("kind").get<std::string>());
        if (!kind)
            return fail(ExitCode::environment, "{}: unknown kind '{}'", where,
                        json.at("kind").get<std::string>());
        manifest.kind = *kind;
        manifest.target = json.value("target", "");
        manifest.tag = json.value("tag", "");
        manifest.labels = json.value("labels", std::map<std::string, std::string>{});
        manifest.created_at = json.at("created_at").get<std::string>();
        manifest.host = json.value("host", "");
        manifest.actor = json.value("actor", "");
        manifest.tools = json.value("tools", std::map<std::string, std::string>{});
        // Every kind writes one data file; a long list is damage (and would be verified, file by
        // file, without end).
        if (!json.at("files").is_array() || json.at("files").size() > max_manifest_files)
            return fail(ExitCode::environment,
                        "{}: damaged manifest: 'files' must list at most {} files", where,
                        max_manifest_files);
        for (const auto& file : json.at("files"))
            manifest.files.push_back({file.at("path").get<std::string>(),
                                      util::json_integer<std::uint64_t>(file.at("size")),
                                      file.at("sha256").get<std::string>()});
        manifest.source_bytes = util::json_integer_or<std::uint64_t>(json, "source_bytes", 0);
        manifest.entries = util::json_integer_or<std::uint64_t>(json, "entries", 0);
        manifest.seconds = json.value("seconds", 0.0);
        if (auto tree = json.find("tree"); tree != json.end()) {
            manifest.tree_content_sha256 = tree->at("content_sha256").get<std::string>();
            manifest.tree_state_sha256 = tree->at("state_sha256").get<std::string>();
            if (!util::is_sha256_hex(manifest.tree_content_sha256) ||
                !util::is_sha256_hex(manifest.tree_state_sha256))
                return fail(ExitCode::environment,
                            "{}: damaged manifest: 'tree' digests must be 64 hex digits", where);
        }
        std::set<std::string> names;
        for (const auto& file : manifest.files) {
            if (!names.insert(file.path).second)
                return fail(ExitCode::environment, "{}: damaged manifest: '{}' is listed twice",
                            where, file.path);
            std::filesystem::path path = file.path;
            if (path.is_absolute() || path.empty() || file.path.find("..") != std::string::npos ||
                path.has_parent_path())
                return fail(ExitCode::environment,
                            "{}: file '{}' is not a plain name inside the backup folder", where,
                            file.path);
        }
        return manifest;
    } catch (const nlohmann::json::exception& error) {
        return fail(ExitCode::environment, "{}: not a valid backup manifest: {}", where,
                    error.what());
    }
}

}  // namespace launchkit::backup

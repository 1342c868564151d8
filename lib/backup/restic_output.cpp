#include "backup/restic_output.h"

#include <fmt/format.h>

#include "backup/archive_paths.h"
#include "util/bounded_json.h"
#include "util/strings.h"

namespace launchkit::backup {
namespace {

std::vector<std::string> restic_string_list(const nlohmann::json& object, const char* name) {
    std::vector<std::string> values;
    auto found = object.find(name);
    if (found == object.end() || !found->is_array()) return values;
    for (const auto& value : *found)
        if (value.is_string()) values.push_back(value.get<std::string>());
    return values;
}

}  // namespace

std::string ResticSnapshot::tag_value(std::string_view name) const {
    auto prefix = std::string(name) + "=";
    for (const auto& tag : tags)
        if (tag.starts_with(prefix)) return tag.substr(prefix.size());
    return "";
}

Result<ResticConfig> parse_restic_config(std::string_view text, std::string_view where) {
    auto parsed = util::parse_json(text);
    if (!parsed)
        return fail(ExitCode::environment, "{}: restic's config: {}", where,
                    parsed.error().message);
    ResticConfig config;
    // Read as the small integer it is: restic writes 1 or 2, and a float cast to int is undefined.
    if (parsed->is_object())
        if (auto version = util::integer_value<int>(util::member_or_null(*parsed, "version"));
            version && *version >= 0 && *version <= 1000)
            config.version = *version;
    auto id = parsed->is_object() ? util::string_member(*parsed, "id") : std::nullopt;
    if (!id || id->empty())
        return fail(ExitCode::environment, "{}: restic's config names no repository id", where);
    config.id = std::move(*id);
    return config;
}

Result<std::vector<ResticSnapshot>> parse_restic_snapshots(std::string_view text,
                                                           std::string_view where) {
    auto parsed = util::parse_json(text.empty() ? std::string_view("[]") : text);
    if (!parsed)
        return fail(ExitCode::environment, "{}: restic snapshots --json: {}", where,
                    parsed.error().message);
    auto& json = *parsed;
    if (json.is_null()) json = nlohmann::json::array();
    if (!json.is_array())
        return fail(ExitCode::environment, "{}: restic snapshots --json: expected a list", where);
    std::vector<ResticSnapshot> snapshots;
    for (const auto& entry : json) {
        if (!entry.is_object()) continue;
        ResticSnapshot snapshot;
        snapshot.id = util::string_member(entry, "id").value_or("");
        snapshot.short_id = util::string_member(entry, "short_id").value_or("");
        snapshot.time = util::string_member(entry, "time").value_or("");
        snapshot.hostname = util::string_member(entry, "hostname").value_or("");
        snapshot.paths = restic_string_list(entry, "paths");
        snapshot.tags = restic_string_list(entry, "tags");
        if (!snapshot.id.empty()) snapshots.push_back(std::move(snapshot));
    }
    return snapshots;
}

ResticBackupMessage parse_restic_backup_message(std::string_view line) {
    ResticBackupMessage said;
    auto message = util::parse_json(line);
    if (!message || !message->is_object()) return said;
    auto type = util::string_member(*message, "message_type").value_or("");
    auto number = [&](const char* name) {
        const auto& found = util::member_or_null(*message, name);
        return found.is_number() ? found.get<double>() : 0.0;
    };
    if (type == "status") {
        ResticProgress report;
        report.fraction = number("percent_done");
        report.bytes_done = util::count_member(*message, "bytes_done");
        report.total_bytes = util::count_member(*message, "total_bytes");
        said.progress = report;
    } else if (type == "summary") {
        ResticBackupSummary summary;
        summary.snapshot_id = util::string_member(*message, "snapshot_id").value_or("");
        summary.data_added = util::count_member(*message, "data_added");
        summary.files_new = util::count_member(*message, "files_new");
        summary.bytes_processed = util::count_member(*message, "total_bytes_processed");
        summary.seconds = number("total_duration");
        said.summary = std::move(summary);
    }
    return said;
}

Result<std::filesystem::path> restored_path(const std::filesystem::path& target,
                                            std::string_view path) {
    auto refused = [&] {
        return fail(ExitCode::environment,
                    "the snapshot's path '{}' is not an absolute path inside the restore target",
                    util::printable(path, 200));
    };
    if (!path.starts_with('/')) return refused();
    auto relative = safe_entry_path(path.substr(1));
    if (!relative || relative->empty()) return refused();
    return target / *relative;
}

}  // namespace launchkit::backup

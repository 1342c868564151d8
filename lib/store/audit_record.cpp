#include "store/audit_record.h"

#include "util/bounded_json.h"
#include "util/sha256.h"

namespace launchkit::store {
namespace {

nlohmann::json record_body(const AuditRecord& record) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& change : record.changes) {
        changes.push_back({{"op", to_string(change.kind)},
                           {"key", change.key},
                           {"old", change.old_value},
                           {"new", change.new_value}});
    }
    return {{"sequence", record.sequence},    {"revision", record.revision},
            {"time", record.note.time},       {"actor", record.note.actor},
            {"command", record.note.command}, {"reason", record.note.reason},
            {"changes", std::move(changes)},  {"previous", record.previous_hash}};
}

}  // namespace

std::string dump_json(const nlohmann::json& value, int indent) {
    return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json to_json(const AuditRecord& record) {
    auto body = record_body(record);
    body["hash"] = record.hash;
    return body;
}

std::string compute_record_hash(const AuditRecord& record) {
    return util::sha256_hex(dump_json(record_body(record)));
}

bool record_hash_matches(std::string_view line, const AuditRecord& record) {
    // Keys are written sorted, so the hash field sits between "command" and "previous".
    const std::string field = fmt::format(",\"hash\":\"{}\"", record.hash);
    if (auto at = line.rfind(field); record.hash.size() == 64 && at != std::string_view::npos) {
        std::string canonical;
        canonical.reserve(line.size() - field.size());
        canonical.append(line.substr(0, at)).append(line.substr(at + field.size()));
        if (util::sha256_hex(canonical) == record.hash) return true;
    }
    return compute_record_hash(record) == record.hash;
}

std::string seal_record(AuditRecord& record, std::string_view previous_hash) {
    record.previous_hash = std::string(previous_hash);
    // The line is the hashed text with the hash spliced in where sorted keys put it, between
    // "command" and "previous" (as record_hash_matches reads it back): one serialisation, not two.
    std::string body = dump_json(record_body(record));
    record.hash = util::sha256_hex(body);
    constexpr std::string_view previous_field = ",\"previous\":";
    auto at = body.rfind(previous_field);
    std::string line;
    line.reserve(body.size() + 80);
    line.append(body, 0, at)
        .append(",\"hash\":\"")
        .append(record.hash)
        .append("\"")
        .append(body, at)
        .append("\n");
    return line;
}

Result<AuditRecord> parse_audit_record(std::string_view line, std::string_view where) {
    auto damaged = [&](std::string_view what) {
        return fail(ExitCode::environment, "{}: damaged audit record: {}", where, what);
    };
    auto parsed = util::parse_json(line);
    if (!parsed) return damaged(parsed.error().message);
    auto& json = *parsed;
    if (!json.is_object()) return damaged("not a JSON object");
    AuditRecord record;
    try {
        record.sequence = json_counter(json.at("sequence"));
        record.revision = json_counter(json.at("revision"));
        record.note.time = json.at("time").get<std::string>();
        record.note.actor = json.at("actor").get<std::string>();
        record.note.command = json.at("command").get<std::string>();
        record.note.reason = json.at("reason").get<std::string>();
        record.previous_hash = json.at("previous").get<std::string>();
        record.hash = json.at("hash").get<std::string>();
        for (const auto& change : json.at("changes")) {
            AuditChange parsed;
            auto op = change.at("op").get<std::string>();
            if (op != "put" && op != "delete") return damaged(fmt::format("unknown op '{}'", op));
            parsed.kind = op == "put" ? MutationKind::put : MutationKind::remove;
            parsed.key = change.at("key").get<std::string>();
            parsed.old_value = change.at("old");
            parsed.new_value = change.at("new");
            record.changes.push_back(std::move(parsed));
        }
    } catch (const nlohmann::json::exception& error) {
        return damaged(error.what());
    }
    return record;
}

}  // namespace launchkit::store

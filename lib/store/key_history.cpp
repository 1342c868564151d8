#include "store/key_history.h"

#include <fmt/format.h>

#include "store/audit_record.h"
#include "util/bounded_json.h"

namespace launchkit::store {

Result<void> apply_record(KeyMap& keys, const AuditRecord& record, bool check_old,
                          std::string_view where) {
    for (const auto& change : record.changes) {
        auto found = keys.find(change.key);
        if (check_old) {
            const nlohmann::json current =
                found == keys.end() ? nlohmann::json(nullptr) : found->second.value;
            if (current != change.old_value)
                return fail(ExitCode::said_no,
                            "{}: record {} says '{}' was {} but the records before it leave {}",
                            where, record.sequence, change.key, dump_json(change.old_value),
                            dump_json(current));
        }
        if (change.kind == MutationKind::remove) {
            if (found != keys.end()) keys.erase(found);
            continue;
        }
        if (found == keys.end()) {
            StoreEntry entry;
            entry.key = change.key;
            entry.create_revision = record.revision;
            found = keys.emplace(change.key, std::move(entry)).first;
        }
        found->second.value = change.new_value;
        found->second.mod_revision = record.revision;
        found->second.version += 1;
    }
    return {};
}

std::optional<std::string> find_conflict(const KeyMap& keys,
                                         const std::vector<Mutation>& mutations) {
    for (const auto& mutation : mutations) {
        if (!mutation.expected_revision) continue;
        auto found = keys.find(mutation.key);
        std::int64_t current = found == keys.end() ? 0 : found->second.mod_revision;
        if (current != *mutation.expected_revision) return mutation.key;
    }
    return std::nullopt;
}

Result<std::vector<AuditChange>> apply_mutations(KeyMap& keys,
                                                 const std::vector<Mutation>& mutations,
                                                 std::int64_t revision) {
    std::vector<AuditChange> changes;
    for (const auto& mutation : mutations) {
        auto found = keys.find(mutation.key);
        bool exists = found != keys.end();
        AuditChange change;
        change.kind = mutation.kind;
        change.key = mutation.key;
        change.old_value = exists ? found->second.value : nlohmann::json(nullptr);
        if (mutation.kind == MutationKind::remove) {
            if (!exists) continue;
        } else {
            if (exists && found->second.value == mutation.value) continue;
            change.new_value = mutation.value;
        }
        AuditRecord single;
        single.revision = revision;
        single.changes.push_back(change);
        LAUNCHKIT_TRY(apply_record(keys, single, false, ""));
        changes.push_back(std::move(change));
    }
    return changes;
}

std::optional<std::string> ChainReplay::next(const AuditRecord& record, std::string_view where) {
    if (record.sequence != records_ + 1)
        return fmt::format(
            "{}: sequence {} where {} was expected (a record was removed or "
            "reordered)",
            where, record.sequence, records_ + 1);
    if (record.previous_hash != head_hash_)
        return fmt::format(
            "{}: previous hash does not match record {} (a record was removed, "
            "inserted or edited)",
            where, records_);
    if (compute_record_hash(record) != record.hash)
        return fmt::format("{}: record {} was edited (its hash does not match its content)", where,
                           record.sequence);
    if (record.revision != revision_ + 1)
        return fmt::format("{}: revision {} where {} was expected (a revision was forged)", where,
                           record.revision, revision_ + 1);
    if (auto applied = apply_record(keys_, record, true, where); !applied)
        return applied.error().message;
    records_ = record.sequence;
    revision_ = record.revision;
    head_hash_ = record.hash;
    return std::nullopt;
}

std::optional<std::string> find_unrecorded_change(const KeyMap& recorded, const KeyMap& stored) {
    for (const auto& [key, entry] : stored) {
        auto found = recorded.find(key);
        if (found == recorded.end() || found->second.value != entry.value ||
            found->second.mod_revision != entry.mod_revision ||
            found->second.create_revision != entry.create_revision ||
            found->second.version != entry.version)
            return fmt::format(
                "key '{}' is not what the audit log records (changed without an audit record)",
                key);
    }
    for (const auto& [key, entry] : recorded)
        if (!stored.contains(key))
            return fmt::format("key '{}' is missing (removed without an audit record)", key);
    return std::nullopt;
}

nlohmann::json entry_to_json(const StoreEntry& entry) {
    return {{"value", entry.value},
            {"create_revision", entry.create_revision},
            {"mod_revision", entry.mod_revision},
            {"version", entry.version}};
}

Result<StoreEntry> entry_from_json(const nlohmann::json& json, std::string key,
                                   std::string_view where) {
    auto revision = [&](const char* name) -> Result<std::int64_t> {
        auto found = json.find(name);
        auto number =
            found == json.end() ? std::nullopt : util::integer_value<std::int64_t>(*found);
        if (!number || !is_store_counter(*number))
            return fail(ExitCode::environment, "{}: '{}' has no valid {}", where, key, name);
        return *number;
    };
    if (!json.is_object() || !json.contains("value"))
        return fail(ExitCode::environment, "{}: '{}' is not a store entry", where, key);
    StoreEntry entry;
    entry.value = json.at("value");
    LAUNCHKIT_TRY_ASSIGN(entry.create_revision, revision("create_revision"));
    LAUNCHKIT_TRY_ASSIGN(entry.mod_revision, revision("mod_revision"));
    LAUNCHKIT_TRY_ASSIGN(entry.version, revision("version"));
    entry.key = std::move(key);
    return entry;
}

}  // namespace launchkit::store

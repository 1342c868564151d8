#include "backup/manifest_record.h"

#include <fmt/format.h>

#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/sha256.h"
#include "util/time.h"

namespace launchkit::backup {
namespace {

constexpr std::string_view key_prefix = "backups/";

}  // namespace

std::string manifest_record_key(const std::string& id) {
    return std::string(key_prefix) + id;
}

Result<void> record_manifest(const Context& context, const std::string& id,
                             std::string_view manifest_text, const std::string& reason) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    store::Mutation put{.kind = store::MutationKind::put,
                        .key = manifest_record_key(id),
                        .value = {{"manifest_sha256", util::sha256_hex(manifest_text)}},
                        .expected_revision = 0};  // a backup id is never reused
    LAUNCHKIT_TRY(store->commit({put}, store::change_note(context, reason)));
    return {};
}

Result<void> forget_manifest(const Context& context, const std::string& id,
                             const std::string& reason) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto key = manifest_record_key(id);
    LAUNCHKIT_TRY_ASSIGN(auto entry, store->get(key));
    if (!entry) return {};
    store::Mutation remove{.kind = store::MutationKind::remove,
                           .key = key,
                           .value = {},
                           .expected_revision = entry->mod_revision};
    LAUNCHKIT_TRY(store->commit({remove}, store::change_note(context, reason)));
    return {};
}

Result<void> record_offsite_copy(const Context& context, const std::string& id,
                                 const std::string& repository_id, const std::string& snapshot) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto key = manifest_record_key(id);
    LAUNCHKIT_TRY_ASSIGN(auto entry, store->get(key));
    if (!entry || !entry->value.is_object())
        return fail(ExitCode::environment,
                    "backup {} has no record in the store to add its off-site copy to", id);
    auto value = entry->value;
    if (!value["offsite"].is_object()) value["offsite"] = nlohmann::json::object();
    value["offsite"][repository_id] = {{"snapshot", snapshot},
                                       {"copied_at", util::format_rfc3339(context.now())}};
    store::Mutation put{.kind = store::MutationKind::put,
                        .key = key,
                        .value = std::move(value),
                        .expected_revision = entry->mod_revision};
    LAUNCHKIT_TRY(store->commit(
        {put}, store::change_note(context, fmt::format("backup {} copied off-site", id))));
    return {};
}

Result<OffsiteCopies> recorded_offsite_copies(const Context& context) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto entries, store->list(key_prefix));
    OffsiteCopies copies;
    for (const auto& entry : entries) {
        auto& copies_of = copies[entry.key.substr(key_prefix.size())];
        if (!entry.value.is_object()) continue;
        // find, not []: [] on a const object without the key is undefined.
        auto offsite = entry.value.find("offsite");
        if (offsite == entry.value.end() || !offsite->is_object()) continue;
        for (const auto& [repository, copy] : offsite->items())
            if (auto snapshot = util::string_member(copy, "snapshot"))
                copies_of[repository] = *snapshot;
    }
    return copies;
}

Result<std::map<std::string, std::string>> recorded_manifests(const Context& context) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto entries, store->list(key_prefix));
    std::map<std::string, std::string> records;
    for (const auto& entry : entries) {
        const auto& digest =
            entry.value.is_object() ? entry.value.value("manifest_sha256", "") : std::string();
        records[entry.key.substr(key_prefix.size())] = digest;
    }
    return records;
}

Result<void> check_manifest(const std::map<std::string, std::string>& records,
                            const std::string& id, std::string_view manifest_text,
                            const std::string& manifest_path) {
    auto found = records.find(id);
    if (found == records.end())
        return fail(ExitCode::environment,
                    "{}: no digest of this manifest is recorded in the store (its record was "
                    "deleted, or the folder was copied in): nothing vouches for where it "
                    "restores to",
                    manifest_path);
    if (found->second != util::sha256_hex(manifest_text))
        return fail(ExitCode::environment,
                    "{}: changed since the backup was made (its digest is not the one in the "
                    "store's audit chain); do not restore it",
                    manifest_path);
    return {};
}

}  // namespace launchkit::backup

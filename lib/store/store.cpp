#include "store/store.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "util/bounded_json.h"

namespace launchkit::store {

std::int64_t json_counter(const nlohmann::json& value) {
    auto number = util::json_integer<std::int64_t>(value);
    if (!is_store_counter(number))
        throw nlohmann::json::out_of_range::create(
            406, fmt::format("{} is not from 0 to 2^62", number), &value);
    return number;
}

std::string_view to_string(MutationKind kind) {
    return kind == MutationKind::put ? "put" : "delete";
}

Result<std::vector<AuditRecord>> Store::audit_since(std::string_view prefix, std::int64_t after) {
    LAUNCHKIT_TRY_ASSIGN(auto records, audit(prefix));
    std::erase_if(records, [&](const AuditRecord& record) { return record.revision <= after; });
    return records;
}

Result<UpdateOutcome> update_key(Store& store, const std::string& key, const KeyUpdate& update,
                                 const ChangeNote& note) {
    // Each retry means another writer committed in between, so progress is guaranteed overall;
    // the bound only stops a livelock from hanging a script forever.
    constexpr int max_attempts = 1000;
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        LAUNCHKIT_TRY_ASSIGN(auto current, store.get(key));
        LAUNCHKIT_TRY_ASSIGN(auto mutation, update(current));
        UpdateOutcome outcome;
        outcome.before = current;
        if (!mutation) {
            outcome.revision = current ? current->mod_revision : 0;
            return outcome;
        }
        mutation->key = key;
        mutation->expected_revision = current ? current->mod_revision : 0;
        LAUNCHKIT_TRY_ASSIGN(auto commit, store.commit({*mutation}, note));
        if (commit.committed) {
            outcome.changed = commit.applied > 0;
            outcome.revision = commit.revision;
            return outcome;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(50 * (attempt % 20)));
    }
    return fail(ExitCode::environment, "{}: gave up updating '{}' after {} conflicting writes",
                store.location(), key, max_attempts);
}

}  // namespace launchkit::store

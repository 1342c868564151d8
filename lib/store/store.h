// The state store that flags, launch controls and later the playbook journal share: versioned keys
// with compare-and-swap, prefix listing, and one hash-chained audit log of every change. The
// interface follows etcd's model (a global revision; per key create/mod revision and version) so
// an etcd backend can sit behind it beside the embedded file backend.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit::store {

// Revisions, versions, sequences and log sizes count what was ever written: no store reaches
// 2^62, and below it the `+ 1` of the next commit cannot overflow. A file or an answer holding
// more, or less than 0, is damaged.
inline constexpr std::int64_t max_store_counter = std::int64_t{1} << 62;

// Whether `value` is a count a store can hold: from 0 to max_store_counter. Every reader of one,
// from a file or an answer, checks it here, so the bound cannot drift between them.
constexpr bool is_store_counter(std::int64_t value) {
    return value >= 0 && value <= max_store_counter;
}

// The integer `value` when it is from 0 to max_store_counter; else nlohmann's out_of_range (406),
// for readers that report a damaged record from the exceptions of its fields.
std::int64_t json_counter(const nlohmann::json& value);

struct StoreEntry {
    std::string key{};
    nlohmann::json value{};
    std::int64_t create_revision = 0;  // store revision that created the key
    std::int64_t mod_revision = 0;     // store revision of its last change: the CAS token
    std::int64_t version = 0;          // changes since creation (1 after the first put)
};

enum class MutationKind { put, remove };

struct Mutation {
    MutationKind kind = MutationKind::put;
    std::string key{};
    nlohmann::json value{};  // put only
    // Compare-and-swap: the key's mod_revision must equal this; 0 means "must not exist".
    // Without it the mutation is unconditional.
    std::optional<std::int64_t> expected_revision{};
};

// Who made a change and why: written into the audit record of every commit.
struct ChangeNote {
    std::string time{};     // RFC 3339 UTC
    std::string actor{};    // --actor, $LAUNCHKIT_ACTOR or the login name
    std::string command{};  // the command line that made the change
    std::string reason{};   // --reason; may be empty
};

struct AuditChange {
    MutationKind kind = MutationKind::put;
    std::string key{};
    nlohmann::json old_value{};  // null when the key did not exist
    nlohmann::json new_value{};  // null when the key was removed
};

// One committed transaction. `hash` is the SHA-256 of the record's canonical JSON (without
// `hash`), which includes `previous_hash`: editing or deleting any record breaks the chain.
struct AuditRecord {
    std::int64_t sequence = 0;  // 1, 2, 3, ... without gaps
    std::int64_t revision = 0;  // store revision the transaction produced
    ChangeNote note{};
    std::vector<AuditChange> changes{};
    std::string previous_hash{};
    std::string hash{};
};

struct AuditVerification {
    bool intact = false;
    std::int64_t records = 0;
    std::string head_hash{};
    std::string problem{};  // what is wrong and where, when not intact
};

// Outcome of a commit: either applied at `revision`, or refused because `conflict_key` changed
// since it was read (its CAS revision no longer matches). Conflicts are values, not errors, so
// callers can re-read and retry.
struct CommitOutcome {
    bool committed = false;
    std::int64_t revision = 0;
    std::size_t applied = 0;  // mutations that changed something
    std::string conflict_key{};
};

class Store {
  public:
    virtual ~Store() = default;

    // Where the store lives, for messages ("/var/lib/launchkit/store", "etcd http://...").
    virtual std::string location() const = 0;

    virtual Result<std::optional<StoreEntry>> get(std::string_view key) = 0;
    // Every key starting with `prefix`, sorted by key.
    virtual Result<std::vector<StoreEntry>> list(std::string_view prefix) = 0;
    // Applies all mutations atomically with one audit record, or none when a CAS fails. A mutation
    // that changes nothing (same value, or removing a missing key) is dropped; when nothing is
    // left, nothing is written and the outcome carries the current revision.
    virtual Result<CommitOutcome> commit(const std::vector<Mutation>& mutations,
                                         const ChangeNote& note) = 0;
    // Audit records touching a key under `prefix`, oldest first, with only those changes.
    virtual Result<std::vector<AuditRecord>> audit(std::string_view prefix) = 0;
    // The same, only the records after revision `after` (what a watcher has not seen yet). This
    // filters `audit`; etcd reads only the newest records.
    virtual Result<std::vector<AuditRecord>> audit_since(std::string_view prefix,
                                                         std::int64_t after);
    // Recomputes the whole chain and checks that the current state is what it records.
    virtual Result<AuditVerification> verify_audit() = 0;
    // The store's revision now (0 for an empty store).
    virtual Result<std::int64_t> revision() = 0;
    // Blocks until the store's revision passes `after` or `timeout` runs out: true when it did.
    // etcd watches the chain's head (no polling); the embedded store looks every `poll_interval`.
    virtual Result<bool> wait_for_commit(std::int64_t after, std::chrono::milliseconds timeout,
                                         std::chrono::milliseconds poll_interval) = 0;
};

// What an update function decides for one key given its current entry: nullopt leaves it as is.
using KeyUpdate = std::function<Result<std::optional<Mutation>>(const std::optional<StoreEntry>&)>;

struct UpdateOutcome {
    bool changed = false;
    std::optional<StoreEntry> before{};  // the entry `update` decided on
    std::int64_t revision = 0;
};

// Read-modify-write of one key with compare-and-swap, retried while other writers win the race:
// the way every command changes shared state without losing a concurrent update.
Result<UpdateOutcome> update_key(Store& store, const std::string& key, const KeyUpdate& update,
                                 const ChangeNote& note);

std::string_view to_string(MutationKind kind);

}  // namespace launchkit::store

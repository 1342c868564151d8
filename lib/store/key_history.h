// What a committed change does to the keys, defined once for every backend: the commit that
// writes a record, the reader that replays a log and `audit --verify` all apply records with
// these functions, so a backend cannot drift from what its audit log says.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "store/audit_record.h"
#include "store/store.h"

namespace launchkit::store {

using KeyMap = std::map<std::string, StoreEntry, std::less<>>;

// Applies a record's changes to `keys`. With `check_old`, each change's old value must match the
// current one (exit 1 naming `where` otherwise): the log is then proven to describe one
// consistent history.
Result<void> apply_record(KeyMap& keys, const AuditRecord& record, bool check_old,
                          std::string_view where);

// The key of the first mutation whose compare-and-swap revision `keys` does not match.
std::optional<std::string> find_conflict(const KeyMap& keys,
                                         const std::vector<Mutation>& mutations);

// Applies `mutations` to `keys` as one transaction at `revision` (later mutations see earlier
// ones) and returns the changes to record; a mutation that changes nothing is left out.
Result<std::vector<AuditChange>> apply_mutations(KeyMap& keys,
                                                 const std::vector<Mutation>& mutations,
                                                 std::int64_t revision);

// The audit chain read from its first record on, with what every backend's `verify` checks of
// each record: its sequence follows, it names the record before by hash, its own hash matches
// its content, its revision is one past the one before, and each change's old value is what the
// records before it left.
class ChainReplay {
  public:
    // Why `record` cannot be the chain's next record (`where` names it), or nullopt once it has
    // been applied.
    std::optional<std::string> next(const AuditRecord& record, std::string_view where);

    std::int64_t records() const { return records_; }
    std::int64_t revision() const { return revision_; }
    const std::string& head_hash() const { return head_hash_; }
    const KeyMap& keys() const { return keys_; }

  private:
    KeyMap keys_;
    std::int64_t records_ = 0;
    std::int64_t revision_ = 0;
    std::string head_hash_ = std::string(genesis_hash);
};

// The first key whose entry in `stored` is not what `recorded` (the replayed log) holds:
// "key 'K' is not what the audit log records (changed without an audit record)" or "key 'K' is
// missing (removed without an audit record)"; nullopt when they agree.
std::optional<std::string> find_unrecorded_change(const KeyMap& recorded, const KeyMap& stored);

// A key's entry as JSON ({value, create_revision, mod_revision, version}) and back; `where`
// names it in errors, which are exit 3 (launchkit wrote it: a bad one was damaged).
nlohmann::json entry_to_json(const StoreEntry& entry);
Result<StoreEntry> entry_from_json(const nlohmann::json& json, std::string key,
                                   std::string_view where);

}  // namespace launchkit::store

// The fleet backend: the store kept in etcd, so every machine and operator sees one truth.
//
//   PREFIX/keys/KEY          {"value", "create_revision", "mod_revision", "version"}
//   PREFIX/audit/SEQUENCE    one audit record, the same JSON line the embedded store appends
//                            (SEQUENCE zero-padded to 20 digits, so keys sort in order)
//   PREFIX/head              {"sequence", "revision", "hash"}: the chain's newest record
//
// Revisions are launchkit's own (1, 2, 3 ... per commit, as in the embedded store), not etcd's,
// which other users of the cluster advance too. A commit is one etcd transaction that writes
// the keys, the audit record and the head together, on condition that the head and every key it
// read are unchanged: the audit record can never be missing from a change, and a writer that
// lost the race reads again and retries. No change is ever half applied.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "store/etcd_client.h"
#include "store/store.h"

namespace launchkit::store {

// "etcd://HOST:PORT[,HOST:PORT...]/PREFIX" (plain HTTP) or "etcd+https://..." (TLS).
struct EtcdLocation {
    std::vector<std::string> endpoints{};  // http(s)://HOST:PORT
    std::string prefix{};                  // ends with '/'
};

// Exit 2 naming what is wrong with `url`.
Result<EtcdLocation> parse_etcd_location(std::string_view url);

class EtcdStore final : public Store {
  public:
    // The most keys one commit may change: etcd allows 128 operations per transaction, and the
    // audit record and head take two.
    static constexpr size_t max_mutations = 126;

    EtcdStore(EtcdClient client, std::string prefix);

    std::string location() const override;
    Result<std::optional<StoreEntry>> get(std::string_view key) override;
    Result<std::vector<StoreEntry>> list(std::string_view prefix) override;
    Result<CommitOutcome> commit(const std::vector<Mutation>& mutations,
                                 const ChangeNote& note) override;
    Result<std::vector<AuditRecord>> audit(std::string_view prefix) override;
    Result<std::vector<AuditRecord>> audit_since(std::string_view prefix,
                                                 std::int64_t after) override;
    Result<AuditVerification> verify_audit() override;
    Result<std::int64_t> revision() override;
    Result<bool> wait_for_commit(std::int64_t after, std::chrono::milliseconds timeout,
                                 std::chrono::milliseconds poll_interval) override;

    // Writes a store copied from elsewhere into this prefix, which must be empty (`release-manager
    // store migrate`): the audit records' lines verbatim, the keys, and the head last, in
    // transactions of at most 128 operations. Until the head is written the copy reads as an
    // empty store with stray records, which verify reports, never as a shorter valid chain.
    Result<void> import_copy(const std::vector<std::string>& audit_lines,
                             const std::vector<StoreEntry>& entries, std::int64_t revision,
                             const std::string& head_hash);

    EtcdClient& client() { return client_; }

  private:
    // What `get` read, with the head read in the same round trip. A commit that follows (the
    // read-modify-write of update_key) starts from it instead of reading again: its transaction
    // compares every one of these revisions, so a stale read only costs a retry, never a lost
    // update.
    struct ReadSnapshot {
        std::optional<EtcdKeyValue> head{};
        std::map<std::string, std::optional<EtcdKeyValue>> keys{};  // by etcd key
    };

    std::string key_path(std::string_view key) const;
    // Records from sequence number `first` on, with only the changes under `prefix`.
    Result<std::vector<AuditRecord>> audit_from_sequence(std::string_view prefix,
                                                         std::int64_t first);
    Result<StoreEntry> read_entry(const EtcdKeyValue& kv) const;

    EtcdClient client_;
    std::string prefix_;
    std::optional<ReadSnapshot> last_read_{};
};

}  // namespace launchkit::store

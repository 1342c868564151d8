// The embedded backend: the store kept as files in the state directory, zero set-up.
//
//   store/audit.jsonl  the hash-chained audit log; the source of truth (one line per commit)
//   store/state.json   a snapshot of every key, with how much of the log it includes
//   store/.lock        flock'd by writers, so read-modify-write is serialised across processes
//
// A commit appends its audit record (fsync'd) and then replaces the snapshot (temp file, fsync,
// rename, directory fsync). Readers take no lock: a snapshot that lags the log (a writer died
// between the two steps) is brought up to date by replaying the log's newer records, so a crash at
// any point leaves the old state or the new one. A damaged file is reported, never rewritten.
#pragma once

#include <filesystem>
#include <map>

#include "store/store.h"

namespace launchkit::store {

class FileStore final : public Store {
  public:
    // `directory` is <state dir>/store; created on the first commit.
    explicit FileStore(std::filesystem::path directory);

    std::string location() const override { return directory_.string(); }
    Result<std::optional<StoreEntry>> get(std::string_view key) override;
    Result<std::vector<StoreEntry>> list(std::string_view prefix) override;
    Result<CommitOutcome> commit(const std::vector<Mutation>& mutations,
                                 const ChangeNote& note) override;
    Result<std::vector<AuditRecord>> audit(std::string_view prefix) override;
    Result<AuditVerification> verify_audit() override;

    const std::filesystem::path& state_path() const { return state_path_; }
    const std::filesystem::path& audit_path() const { return audit_path_; }

  private:
    struct Snapshot {
        std::int64_t revision = 0;
        std::int64_t records = 0;      // audit records included
        std::int64_t audit_bytes = 0;  // length of the log those records occupy
        std::string head_hash;         // hash of the last included record
        std::map<std::string, StoreEntry, std::less<>> keys;
        bool torn_tail = false;  // the log ends in a partial line (a writer died mid-append)
    };

    Result<Snapshot> read_snapshot() const;
    // The snapshot plus every complete log record it does not include yet.
    Result<Snapshot> load() const;
    Result<void> write_snapshot(const Snapshot& snapshot) const;
    Result<void> append_record(const std::string& line) const;

    std::filesystem::path directory_;
    std::filesystem::path state_path_;
    std::filesystem::path audit_path_;
    std::filesystem::path lock_path_;
};

}  // namespace launchkit::store

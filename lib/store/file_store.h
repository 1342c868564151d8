// The embedded backend: the store kept as files in the state directory, zero set-up.
//
//   store/audit.jsonl  the hash-chained audit log, and the store's write-ahead log: the source of
//                      truth, one line per commit
//   store/state.json   a snapshot of every key, with how much of the log it includes
//   store/.lock        flock'd by writers, so read-modify-write is serialised across processes
//
// A commit is one appended, fsync'd audit record: that single fsync is what makes it durable.
// The snapshot is rewritten (temp file, fsync, rename) only every
// `SnapshotPolicy::every_records` records or once the log has grown `every_bytes` past it, so
// its cost is shared by several commits. Everyone who reads brings the snapshot up to date by
// replaying the log's newer records with the same apply_record the commit used, so a crash at
// any point leaves the old state or the new one. A store kept open in one process remembers what
// it read and replays only what other processes appended since. A damaged file is reported,
// never rewritten.
#pragma once

#include <filesystem>
#include <map>
#include <optional>

#include <sys/types.h>

#include "store/store.h"

namespace launchkit::store {

// When the snapshot is rewritten. Every command that opens the store replays the records after
// it (~16 us each: parse and hash), and a rewrite costs one fsync (~0.3 ms): with one process per
// command, as scripts run them, N records per snapshot cost about fsync/N + N/2 replays per
// command, least near N = sqrt(2 fsync / replay) = 6. Bytes bound it for large records.
struct SnapshotPolicy {
    std::int64_t every_records = 8;
    std::int64_t every_bytes = 16 * 1024;
};

class FileStore final : public Store {
  public:
    // `directory` is <state dir>/store; created on the first commit.
    explicit FileStore(std::filesystem::path directory, SnapshotPolicy policy = {});

    std::string location() const override { return directory_.string(); }
    Result<std::optional<StoreEntry>> get(std::string_view key) override;
    Result<std::vector<StoreEntry>> list(std::string_view prefix) override;
    Result<CommitOutcome> commit(const std::vector<Mutation>& mutations,
                                 const ChangeNote& note) override;
    Result<std::vector<AuditRecord>> audit(std::string_view prefix) override;
    Result<AuditVerification> verify_audit() override;
    Result<std::int64_t> revision() override;
    Result<bool> wait_for_commit(std::int64_t after, std::chrono::milliseconds timeout,
                                 std::chrono::milliseconds poll_interval) override;

    const std::filesystem::path& state_path() const { return state_path_; }
    const std::filesystem::path& audit_path() const { return audit_path_; }

  private:
    // Which state.json a snapshot was read from: a rewrite by another process changes it.
    struct FileIdentity {
        bool exists = false;
        dev_t device = 0;
        ino_t inode = 0;
        off_t size = 0;
        // Apart: a clock set to 2300 (or `touch -d`) gives seconds whose nanoseconds overflow.
        std::int64_t modified_seconds = 0;
        long modified_nanoseconds = 0;
        bool operator==(const FileIdentity&) const = default;
    };

    struct Snapshot {
        std::int64_t revision = 0;
        std::int64_t records = 0;      // audit records included
        std::int64_t audit_bytes = 0;  // length of the log those records occupy
        std::string head_hash;         // hash of the last included record
        std::map<std::string, StoreEntry, std::less<>> keys;
        bool torn_tail = false;  // the log ends in a partial line (a writer died mid-append)
        // What state.json itself holds, and which file that was.
        std::int64_t stored_records = 0;
        std::int64_t stored_bytes = 0;
        FileIdentity stored_identity{};
    };

    static Result<FileIdentity> identify(const std::filesystem::path& path);
    Result<Snapshot> read_snapshot() const;
    // The snapshot plus every complete log record it does not include yet. The reference stays
    // valid until the next call.
    Result<const Snapshot*> load();
    // Applies the complete records the log holds beyond `snapshot.audit_bytes`.
    Result<void> catch_up(Snapshot& snapshot) const;
    Result<void> write_snapshot(Snapshot& snapshot) const;
    Result<void> append_record(const std::string& line) const;

    std::filesystem::path directory_;
    std::filesystem::path state_path_;
    std::filesystem::path audit_path_;
    std::filesystem::path lock_path_;
    SnapshotPolicy policy_;
    std::optional<Snapshot> cache_;  // what the last load() built
};

}  // namespace launchkit::store

#include "store/file_store.h"

#include <thread>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/audit_record.h"
#include "store/key_history.h"
#include "util/bounded_json.h"
#include "util/crash_point.h"
#include "util/file_io.h"
#include "util/file_lock.h"
#include "util/sha256.h"

namespace launchkit::store {
namespace {

constexpr std::string_view snapshot_format = "launchkit-store/1";

// state.json opens with the SHA-256 of the rest of its text, so an edit to any field (a revision,
// a key's version) is found when it is read, before a writer builds on it. The digest is of the
// text as written: checking it costs one hash, not a second serialisation.
constexpr std::string_view digest_lead = "{\"digest\":\"";

std::string seal_state(const std::string& body) {
    return fmt::format("{}{}\",{}", digest_lead, util::sha256_hex(body), body.substr(1));
}

// The state file's body without its digest line, or why its digest does not match. A file
// written before digests existed has none: it is taken as it is, and gets one when next written.
Result<std::string> check_state_digest(std::string_view text) {
    constexpr size_t hex = 64;
    if (!text.starts_with(digest_lead)) return std::string(text);
    if (text.size() < digest_lead.size() + hex + 2 || text[digest_lead.size() + hex] != '"' ||
        text[digest_lead.size() + hex + 1] != ',')
        return fail(ExitCode::environment, "its digest is malformed");
    auto digest = text.substr(digest_lead.size(), hex);
    auto body = "{" + std::string(text.substr(digest_lead.size() + hex + 2));
    if (util::sha256_hex(body) != digest)
        return fail(ExitCode::environment,
                    "its content does not match its digest (edited or damaged)");
    return body;
}

}  // namespace

FileStore::FileStore(std::filesystem::path directory, SnapshotPolicy policy)
    : directory_(std::move(directory)),
      state_path_(directory_ / "state.json"),
      audit_path_(directory_ / "audit.jsonl"),
      lock_path_(directory_ / ".lock"),
      policy_(policy) {}

Result<FileStore::FileIdentity> FileStore::identify(const std::filesystem::path& path) {
    struct stat info {};
    FileStore::FileIdentity identity;
    if (::stat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) return identity;
        return fail(ExitCode::environment, "cannot stat '{}': {}", path.string(),
                    std::strerror(errno));
    }
    identity.exists = true;
    identity.device = info.st_dev;
    identity.inode = info.st_ino;
    identity.size = info.st_size;
    identity.modified_seconds = info.st_mtim.tv_sec;
    identity.modified_nanoseconds = info.st_mtim.tv_nsec;
    return identity;
}

Result<FileStore::Snapshot> FileStore::read_snapshot() const {
    Snapshot snapshot;
    snapshot.head_hash = std::string(genesis_hash);
    std::error_code missing;
    if (!std::filesystem::exists(state_path_, missing)) return snapshot;
    LAUNCHKIT_TRY_ASSIGN(std::string text, util::read_file(state_path_));
    auto corrupt = [&](std::string_view what) {
        return fail(ExitCode::environment,
                    "{}: corrupt state file ({}); left untouched — 'release-manager doctor' "
                    "examines the store and its audit log",
                    state_path_.string(), what);
    };
    auto body = check_state_digest(text);
    if (!body) return corrupt(body.error().message);
    auto parsed = util::parse_json(*body);
    if (!parsed) return corrupt(parsed.error().message);
    auto& json = *parsed;
    try {
        if (json.at("format").get<std::string>() != snapshot_format)
            return corrupt(fmt::format("unknown format '{}', expected '{}'",
                                       json.at("format").get<std::string>(), snapshot_format));
        snapshot.revision = json_counter(json.at("revision"));
        const auto& audit = json.at("audit");
        snapshot.records = json_counter(audit.at("records"));
        snapshot.audit_bytes = json_counter(audit.at("bytes"));
        snapshot.head_hash = audit.at("head").get<std::string>();
        for (const auto& [key, stored] : json.at("keys").items()) {
            StoreEntry entry;
            entry.key = key;
            entry.value = stored.at("value");
            entry.create_revision = json_counter(stored.at("create_revision"));
            entry.mod_revision = json_counter(stored.at("mod_revision"));
            entry.version = json_counter(stored.at("version"));
            snapshot.keys.emplace(key, std::move(entry));
        }
    } catch (const nlohmann::json::exception& error) {
        return corrupt(error.what());
    }
    snapshot.stored_records = snapshot.records;
    snapshot.stored_bytes = snapshot.audit_bytes;
    return snapshot;
}

Result<const FileStore::Snapshot*> FileStore::load() {
    // A snapshot read earlier is still good while state.json is the same file: only the log's
    // newer records need replaying. Another process's rewrite of state.json changes its identity.
    LAUNCHKIT_TRY_ASSIGN(FileIdentity identity, identify(state_path_));
    if (!cache_ || cache_->stored_identity != identity) {
        cache_.reset();
        LAUNCHKIT_TRY_ASSIGN(Snapshot snapshot, read_snapshot());
        snapshot.stored_identity = identity;
        cache_ = std::move(snapshot);
    }
    if (auto caught_up = catch_up(*cache_); !caught_up) {
        cache_.reset();
        return std::unexpected(std::move(caught_up.error()));
    }
    return &*cache_;
}

Result<void> FileStore::catch_up(Snapshot& snapshot) const {
    snapshot.torn_tail = false;
    LAUNCHKIT_TRY_ASSIGN(FileIdentity log_file, identify(audit_path_));
    const auto log_size = static_cast<std::int64_t>(log_file.size);
    if (log_size < snapshot.audit_bytes)
        return fail(ExitCode::environment,
                    "{}: the audit log is shorter than {} records ({} < {} bytes): records were "
                    "removed; left untouched — run 'release-manager doctor'",
                    audit_path_.string(), state_path_.filename().string(), log_size,
                    snapshot.audit_bytes);
    if (log_size == snapshot.audit_bytes) return {};

    // Records committed since the snapshot was written (the log is the source of truth).
    LAUNCHKIT_TRY_ASSIGN(std::string log, util::read_file_from(audit_path_, snapshot.audit_bytes));
    std::string_view tail = log;
    while (!tail.empty()) {
        auto newline = tail.find('\n');
        if (newline == std::string_view::npos) {
            snapshot.torn_tail = true;  // a partial record: never acknowledged, not committed
            break;
        }
        // Named only in an error: every command replays up to a snapshot interval of records.
        auto where = [&] {
            return fmt::format("{} record {}", audit_path_.string(), snapshot.records + 1);
        };
        auto record = parse_audit_record(tail.substr(0, newline), {});
        if (!record) return fail(record.error().code, "{}{}", where(), record.error().message);
        if (record->sequence != snapshot.records + 1 ||
            record->previous_hash != snapshot.head_hash ||
            record->revision != snapshot.revision + 1 ||
            !record_hash_matches(tail.substr(0, newline), *record))
            return fail(ExitCode::environment,
                        "{}: does not continue the hash chain; left untouched — run "
                        "'release-manager doctor'",
                        where());
        LAUNCHKIT_TRY(apply_record(snapshot.keys, *record, false, audit_path_.native()));
        snapshot.revision = record->revision;
        snapshot.records = record->sequence;
        snapshot.head_hash = std::move(record->hash);
        snapshot.audit_bytes += static_cast<std::int64_t>(newline + 1);
        tail.remove_prefix(newline + 1);
    }
    return {};
}

Result<void> FileStore::write_snapshot(Snapshot& snapshot) const {
    nlohmann::json keys = nlohmann::json::object();
    for (const auto& [key, entry] : snapshot.keys) keys[key] = entry_to_json(entry);
    nlohmann::json json = {{"format", snapshot_format},
                           {"revision", snapshot.revision},
                           {"audit",
                            {{"records", snapshot.records},
                             {"bytes", snapshot.audit_bytes},
                             {"head", snapshot.head_hash}}},
                           {"keys", std::move(keys)}};
    // The snapshot is a cache of the log: if a power cut undoes its rename, the previous snapshot
    // returns, which covers fewer records of the same log and is caught up from it. So its
    // content is fsync'd (it is never read torn) but not the directory's entry.
    LAUNCHKIT_TRY(util::write_file_atomically(state_path_, seal_state(dump_json(json, 1) + "\n"),
                                              0600, util::ReplaceDurability::may_revert));
    snapshot.stored_records = snapshot.records;
    snapshot.stored_bytes = snapshot.audit_bytes;
    LAUNCHKIT_TRY_ASSIGN(snapshot.stored_identity, identify(state_path_));
    return {};
}

Result<void> FileStore::append_record(const std::string& line) const {
    if (util::crash_requested("audit-append-torn")) {
        (void)util::append_durably(audit_path_, line.substr(0, line.size() / 2));
        util::crash_now();
    }
    LAUNCHKIT_TRY(util::append_durably(audit_path_, line));
    util::crash_point("store-after-audit-append");
    return {};
}

Result<std::int64_t> FileStore::revision() {
    LAUNCHKIT_TRY_ASSIGN(const Snapshot* snapshot, load());
    return snapshot->revision;
}

Result<bool> FileStore::wait_for_commit(std::int64_t after, std::chrono::milliseconds timeout,
                                        std::chrono::milliseconds poll_interval) {
    // Deadlines run on the steady clock: a wall-clock step must not end or stretch the wait.
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        LAUNCHKIT_TRY_ASSIGN(auto now_at, revision());
        if (now_at > after) return true;
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        std::this_thread::sleep_for(
            std::min(std::max(poll_interval, std::chrono::milliseconds(10)), remaining));
    }
}

Result<std::optional<StoreEntry>> FileStore::get(std::string_view key) {
    LAUNCHKIT_TRY_ASSIGN(const Snapshot* snapshot, load());
    auto found = snapshot->keys.find(key);
    if (found == snapshot->keys.end()) return std::optional<StoreEntry>{};
    return std::optional<StoreEntry>(found->second);
}

Result<std::vector<StoreEntry>> FileStore::list(std::string_view prefix) {
    LAUNCHKIT_TRY_ASSIGN(const Snapshot* snapshot, load());
    std::vector<StoreEntry> entries;
    for (auto it = snapshot->keys.lower_bound(prefix);
         it != snapshot->keys.end() && std::string_view(it->first).starts_with(prefix); ++it)
        entries.push_back(it->second);
    return entries;
}

Result<CommitOutcome> FileStore::commit(const std::vector<Mutation>& mutations,
                                        const ChangeNote& note) {
    LAUNCHKIT_TRY(util::create_directories(directory_, 0700));
    LAUNCHKIT_TRY_ASSIGN(auto lock, util::FileLock::acquire(lock_path_));
    // Holding the lock, no other writer is between its temporary file and its rename: what is
    // there was left by a writer that was killed.
    util::remove_leftover_temporaries(state_path_);
    LAUNCHKIT_TRY(load());
    Snapshot& snapshot = *cache_;

    CommitOutcome outcome;
    outcome.revision = snapshot.revision;
    if (auto conflict = find_conflict(snapshot.keys, mutations)) {
        outcome.conflict_key = *conflict;
        return outcome;
    }

    AuditRecord record;
    record.sequence = snapshot.records + 1;
    record.revision = snapshot.revision + 1;
    record.note = note;
    KeyMap working = snapshot.keys;
    LAUNCHKIT_TRY_ASSIGN(record.changes, apply_mutations(working, mutations, record.revision));
    outcome.committed = true;
    if (record.changes.empty()) return outcome;

    if (snapshot.torn_tail) {
        // Cut the partial record a crashed writer left, so the new record starts on its own line.
        if (::truncate(audit_path_.c_str(), static_cast<off_t>(snapshot.audit_bytes)) != 0)
            return fail(ExitCode::environment, "cannot truncate '{}': {}", audit_path_.string(),
                        std::strerror(errno));
    }
    std::string line = seal_record(record, snapshot.head_hash);
    if (auto appended = append_record(line); !appended) {
        cache_.reset();  // what reached the log is unknown: read it again next time
        return std::unexpected(std::move(appended.error()));
    }

    // Committed: the fsync'd record is the change. The snapshot follows now and then.
    snapshot.keys = std::move(working);
    snapshot.revision = record.revision;
    snapshot.records = record.sequence;
    snapshot.head_hash = record.hash;
    snapshot.audit_bytes += static_cast<std::int64_t>(line.size());
    snapshot.torn_tail = false;
    if (snapshot.records - snapshot.stored_records >= policy_.every_records ||
        snapshot.audit_bytes - snapshot.stored_bytes >= policy_.every_bytes) {
        if (auto written = write_snapshot(snapshot); !written) {
            cache_.reset();
            return std::unexpected(std::move(written.error()));
        }
    }
    outcome.revision = record.revision;
    outcome.applied = record.changes.size();
    return outcome;
}

Result<std::vector<AuditRecord>> FileStore::audit(std::string_view prefix) {
    std::vector<AuditRecord> records;
    std::error_code missing;
    if (!std::filesystem::exists(audit_path_, missing)) return records;
    LAUNCHKIT_TRY_ASSIGN(std::string log, util::read_file(audit_path_));
    std::string_view rest = log;
    for (int line_number = 1; !rest.empty(); ++line_number) {
        auto newline = rest.find('\n');
        if (newline == std::string_view::npos) break;  // a crashed writer's partial record
        auto where = fmt::format("{}:{}", audit_path_.string(), line_number);
        LAUNCHKIT_TRY_ASSIGN(AuditRecord record,
                             parse_audit_record(rest.substr(0, newline), where));
        rest.remove_prefix(newline + 1);
        std::erase_if(record.changes, [&](const AuditChange& change) {
            return !std::string_view(change.key).starts_with(prefix);
        });
        if (!record.changes.empty()) records.push_back(std::move(record));
    }
    return records;
}

Result<AuditVerification> FileStore::verify_audit() {
    AuditVerification verification;
    auto broken = [&](std::string problem) {
        verification.intact = false;
        verification.problem = std::move(problem);
        return verification;
    };
    auto read = read_snapshot();
    if (!read) return broken(read.error().message);
    Snapshot snapshot = std::move(*read);
    std::string log;
    std::error_code missing;
    if (std::filesystem::exists(audit_path_, missing)) {
        LAUNCHKIT_TRY_ASSIGN(log, util::read_file(audit_path_));
    }

    ChainReplay replay;
    std::optional<KeyMap> at_snapshot;
    if (snapshot.records == 0) at_snapshot = replay.keys();
    std::string_view rest = log;
    std::int64_t offset = 0;
    for (std::int64_t line_number = 1; !rest.empty(); ++line_number) {
        auto newline = rest.find('\n');
        if (newline == std::string_view::npos) {
            if (offset < snapshot.audit_bytes)
                return broken(
                    fmt::format("{}:{}: truncated record", audit_path_.string(), line_number));
            break;  // a crashed writer's partial record, never acknowledged
        }
        auto where = fmt::format("{}:{}", audit_path_.string(), line_number);
        auto record = parse_audit_record(rest.substr(0, newline), where);
        if (!record) return broken(record.error().message);
        if (auto problem = replay.next(*record, where)) return broken(std::move(*problem));
        verification.records = record->sequence;
        offset += static_cast<std::int64_t>(newline + 1);
        rest.remove_prefix(newline + 1);
        if (record->sequence == snapshot.records) {
            if (record->hash != snapshot.head_hash || offset != snapshot.audit_bytes ||
                record->revision != snapshot.revision)
                return broken(fmt::format("{}: record {} is not the one {} was written after",
                                          where, record->sequence, state_path_.string()));
            at_snapshot = replay.keys();
        }
    }
    if (verification.records < snapshot.records)
        return broken(fmt::format("{}: holds {} records but {} records {}: the newest were removed",
                                  audit_path_.string(), verification.records, state_path_.string(),
                                  snapshot.records));
    if (auto problem = find_unrecorded_change(*at_snapshot, snapshot.keys))
        return broken(fmt::format("{}: {}", state_path_.string(), *problem));
    verification.intact = true;
    verification.head_hash = replay.head_hash();
    return verification;
}

}  // namespace launchkit::store

#include "store/etcd_store.h"

#include <chrono>
#include <random>
#include <set>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "store/audit_record.h"
#include "store/key_history.h"
#include "util/bounded_json.h"
#include "util/strings.h"

namespace launchkit::store {
namespace {

// Keys read per range request: a page stays far below the gateway's answer limit.
constexpr std::int64_t etcd_page_keys = 1000;
// Losing the race means another writer committed: progress overall, so the bound only stops a
// livelock from hanging a script.
constexpr int etcd_commit_attempts = 200;

struct ChainHead {
    std::int64_t sequence = 0;
    std::int64_t revision = 0;
    std::string hash = std::string(genesis_hash);
    std::int64_t etcd_mod_revision = 0;  // 0: no head yet (an empty store)
};

std::string sequence_key(std::int64_t sequence) {
    return fmt::format("{:020d}", sequence);
}

Result<ChainHead> read_head(const std::optional<EtcdKeyValue>& kv, std::string_view where) {
    ChainHead head;
    if (!kv) return head;
    auto json = util::parse_json(kv->value);
    auto damaged = [&](std::string_view what) {
        return fail(ExitCode::environment,
                    "{}: the audit chain's head is damaged ({}); 'release-manager doctor' "
                    "examines the store",
                    where, what);
    };
    if (!json || !json->is_object()) return damaged("not a JSON object");
    auto sequence = json->find("sequence");
    auto revision = json->find("revision");
    auto hash = json->find("hash");
    auto sequence_value =
        sequence == json->end() ? std::nullopt : util::integer_value<std::int64_t>(*sequence);
    auto revision_value =
        revision == json->end() ? std::nullopt : util::integer_value<std::int64_t>(*revision);
    if (!sequence_value || !revision_value || hash == json->end() || !hash->is_string())
        return damaged("expected sequence, revision and hash");
    head.sequence = *sequence_value;
    head.revision = *revision_value;
    for (auto value : {head.sequence, head.revision})
        if (!is_store_counter(value))
            return damaged(fmt::format("{} is not from 0 to 2^62", value));
    head.hash = hash->get<std::string>();
    head.etcd_mod_revision = kv->mod_revision;
    return head;
}

EtcdCompare unchanged_since(std::string key, std::int64_t etcd_mod_revision) {
    EtcdCompare compare;
    compare.key = std::move(key);
    compare.target = EtcdCompare::Target::mod_revision;
    compare.result = EtcdCompare::Result::equal;
    compare.number = etcd_mod_revision;
    return compare;
}

EtcdOperation etcd_put(std::string key, std::string value) {
    EtcdOperation operation;
    operation.kind = EtcdOperation::Kind::put;
    operation.key = std::move(key);
    operation.value = std::move(value);
    return operation;
}

EtcdOperation etcd_read(std::string key) {
    EtcdOperation operation;
    operation.kind = EtcdOperation::Kind::range;
    operation.key = std::move(key);
    return operation;
}

// Every key from `from` up to `end`, in pages, all as of one cluster revision (the first page's,
// or `revision` when given); `revision` is set to it.
Result<std::vector<EtcdKeyValue>> range_all(EtcdClient& client, const std::string& from,
                                            const std::string& end, std::int64_t& revision) {
    std::vector<EtcdKeyValue> all;
    std::string next = from;
    while (true) {
        LAUNCHKIT_TRY_ASSIGN(auto page, client.range(next, end, etcd_page_keys, revision));
        if (revision == 0) revision = page.revision;
        for (auto& kv : page.kvs) all.push_back(std::move(kv));
        if (!page.more || all.empty()) return all;
        next = all.back().key + std::string(1, '\0');
    }
}

}  // namespace

Result<EtcdLocation> parse_etcd_location(std::string_view url) {
    EtcdLocation location;
    std::string scheme;
    std::string_view rest;
    if (url.starts_with("etcd://")) {
        scheme = "http://";
        rest = url.substr(7);
    } else if (url.starts_with("etcd+https://")) {
        scheme = "https://";
        rest = url.substr(13);
    } else {
        return fail(ExitCode::invalid_input,
                    "store '{}': expected etcd://HOST:PORT[,HOST:PORT...]/PREFIX or "
                    "etcd+https://...",
                    url);
    }
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 >= rest.size())
        return fail(ExitCode::invalid_input,
                    "store '{}': name a key prefix after the hosts (etcd://HOST:PORT/launchkit)",
                    url);
    for (auto host : util::split(rest.substr(0, slash), ',')) {
        auto colon = host.rfind(':');
        if (host.empty() || colon == std::string_view::npos || colon == 0 ||
            colon + 1 == host.size() ||
            host.substr(colon + 1).find_first_not_of("0123456789") != std::string_view::npos)
            return fail(ExitCode::invalid_input, "store '{}': '{}' is not HOST:PORT", url, host);
        location.endpoints.push_back(scheme + std::string(host));
    }
    location.prefix = std::string(rest.substr(slash + 1));
    if (!location.prefix.ends_with('/')) location.prefix += '/';
    return location;
}

EtcdStore::EtcdStore(EtcdClient client, std::string prefix)
    : client_(std::move(client)), prefix_(std::move(prefix)) {
    if (!prefix_.ends_with('/')) prefix_ += '/';
}

std::string EtcdStore::location() const {
    return fmt::format("{}/{}", client_.location(), prefix_);
}

std::string EtcdStore::key_path(std::string_view key) const {
    return prefix_ + "keys/" + std::string(key);
}

Result<StoreEntry> EtcdStore::read_entry(const EtcdKeyValue& kv) const {
    auto key = kv.key.substr(prefix_.size() + 5);  // after "keys/"
    auto where = fmt::format("{} key {}", location(), kv.key);
    auto json = util::parse_json(kv.value);
    if (!json) return fail(ExitCode::environment, "{}: {}", where, json.error().message);
    return entry_from_json(*json, std::move(key), where);
}

Result<void> EtcdStore::import_copy(const std::vector<std::string>& audit_lines,
                                    const std::vector<StoreEntry>& entries, std::int64_t revision,
                                    const std::string& head_hash) {
    std::vector<EtcdOperation> puts;
    for (size_t i = 0; i < audit_lines.size(); ++i)
        puts.push_back(etcd_put(prefix_ + "audit/" + sequence_key(static_cast<std::int64_t>(i + 1)),
                                audit_lines[i]));
    for (const auto& entry : entries)
        puts.push_back(etcd_put(key_path(entry.key), dump_json(entry_to_json(entry))));
    constexpr size_t batch = 100;
    for (size_t start = 0; start < puts.size(); start += batch) {
        EtcdTransaction transaction;
        transaction.success.assign(
            puts.begin() + static_cast<std::ptrdiff_t>(start),
            puts.begin() + static_cast<std::ptrdiff_t>(std::min(puts.size(), start + batch)));
        LAUNCHKIT_TRY(client_.transact(transaction));
    }
    if (audit_lines.empty()) return {};
    // The head only if no other writer has made one meanwhile.
    EtcdTransaction head;
    head.compare.push_back(unchanged_since(prefix_ + "head", 0));
    head.success.push_back(etcd_put(
        prefix_ + "head", dump_json({{"sequence", static_cast<std::int64_t>(audit_lines.size())},
                                     {"revision", revision},
                                     {"hash", head_hash}})));
    LAUNCHKIT_TRY_ASSIGN(auto written, client_.transact(head));
    if (!written.succeeded)
        return fail(ExitCode::environment,
                    "{}: another writer created the chain's head during the copy", location());
    return {};
}

Result<std::int64_t> EtcdStore::revision() {
    LAUNCHKIT_TRY_ASSIGN(auto head_kv, client_.get(prefix_ + "head"));
    LAUNCHKIT_TRY_ASSIGN(auto head, read_head(head_kv, location()));
    return head.revision;
}

Result<bool> EtcdStore::wait_for_commit(std::int64_t after, std::chrono::milliseconds timeout,
                                        std::chrono::milliseconds /*poll_interval*/) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string head_key = prefix_ + "head";
    while (true) {
        LAUNCHKIT_TRY_ASSIGN(auto read, client_.range(head_key, {}, 1));
        std::optional<EtcdKeyValue> head_kv;
        if (!read.kvs.empty()) head_kv = read.kvs.front();
        LAUNCHKIT_TRY_ASSIGN(auto head, read_head(head_kv, location()));
        if (head.revision > after) return true;
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        // Every commit rewrites the head: watch it from just after the moment read.
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        LAUNCHKIT_TRY_ASSIGN(auto changed,
                             client_.wait_for_change(head_key, {}, read.revision + 1, remaining));
        if (!changed) return false;
    }
}

Result<std::optional<StoreEntry>> EtcdStore::get(std::string_view key) {
    EtcdTransaction read;
    read.success.push_back(etcd_read(prefix_ + "head"));
    read.success.push_back(etcd_read(key_path(key)));
    LAUNCHKIT_TRY_ASSIGN(auto current, client_.transact(read));
    if (current.ranges.size() != 2)
        return fail(ExitCode::environment, "{}: etcd answered {} reads for 2", location(),
                    current.ranges.size());
    ReadSnapshot snapshot;
    if (!current.ranges[0].empty()) snapshot.head = current.ranges[0][0];
    std::optional<EtcdKeyValue> kv;
    if (!current.ranges[1].empty()) kv = current.ranges[1][0];
    snapshot.keys.emplace(key_path(key), kv);
    last_read_ = std::move(snapshot);
    if (!kv) return std::optional<StoreEntry>{};
    LAUNCHKIT_TRY_ASSIGN(auto entry, read_entry(*kv));
    return std::optional<StoreEntry>(std::move(entry));
}

Result<std::vector<StoreEntry>> EtcdStore::list(std::string_view prefix) {
    auto from = key_path(prefix);
    std::int64_t revision = 0;
    LAUNCHKIT_TRY_ASSIGN(auto kvs, range_all(client_, from, prefix_range_end(from), revision));
    std::vector<StoreEntry> entries;
    entries.reserve(kvs.size());
    for (const auto& kv : kvs) {
        LAUNCHKIT_TRY_ASSIGN(auto entry, read_entry(kv));
        entries.push_back(std::move(entry));
    }
    return entries;
}

Result<CommitOutcome> EtcdStore::commit(const std::vector<Mutation>& mutations,
                                        const ChangeNote& note) {
    if (mutations.size() > max_mutations)
        return fail(ExitCode::invalid_input,
                    "{}: one change of {} keys; an etcd transaction takes at most {}", location(),
                    mutations.size(), max_mutations);
    std::set<std::string> keys;
    for (const auto& mutation : mutations) keys.insert(mutation.key);
    const std::string head_key = prefix_ + "head";
    std::minstd_rand jitter(std::random_device{}());

    // The snapshot of the last get serves the first attempt when it holds every key; it is used
    // once, whatever the outcome.
    std::optional<ReadSnapshot> snapshot = std::exchange(last_read_, std::nullopt);
    if (snapshot) {
        for (const auto& key : keys)
            if (!snapshot->keys.contains(key_path(key))) snapshot.reset();
    }

    for (int attempt = 0; attempt < etcd_commit_attempts; ++attempt) {
        const bool from_snapshot = snapshot.has_value();
        if (!snapshot) {
            // One consistent read of the head and every key the change touches.
            EtcdTransaction read;
            read.success.push_back(etcd_read(head_key));
            for (const auto& key : keys) read.success.push_back(etcd_read(key_path(key)));
            LAUNCHKIT_TRY_ASSIGN(auto current, client_.transact(read));
            if (current.ranges.size() != keys.size() + 1)
                return fail(ExitCode::environment, "{}: etcd answered {} reads for {}", location(),
                            current.ranges.size(), keys.size() + 1);
            snapshot = ReadSnapshot{};
            if (!current.ranges[0].empty()) snapshot->head = current.ranges[0][0];
            size_t index = 1;
            for (const auto& key : keys) {
                const auto& found = current.ranges[index++];
                snapshot->keys[key_path(key)] =
                    found.empty() ? std::nullopt : std::optional<EtcdKeyValue>(found[0]);
            }
        }
        const ReadSnapshot current = *std::exchange(snapshot, std::nullopt);
        LAUNCHKIT_TRY_ASSIGN(auto head, read_head(current.head, location()));

        KeyMap before;
        std::map<std::string, std::int64_t> etcd_revisions;
        for (const auto& key : keys) {
            const auto& found = current.keys.at(key_path(key));
            etcd_revisions[key] = found ? found->mod_revision : 0;
            if (!found) continue;
            LAUNCHKIT_TRY_ASSIGN(auto entry, read_entry(*found));
            before.emplace(key, std::move(entry));
        }

        CommitOutcome outcome;
        outcome.revision = head.revision;
        auto conflict = find_conflict(before, mutations);
        // An earlier read may be stale: only what etcd says now decides a conflict or a no-op.
        if (from_snapshot && conflict) continue;
        if (conflict) {
            outcome.conflict_key = *conflict;
            return outcome;
        }
        AuditRecord record;
        record.sequence = head.sequence + 1;
        record.revision = head.revision + 1;
        record.note = note;
        KeyMap after = before;
        LAUNCHKIT_TRY_ASSIGN(record.changes, apply_mutations(after, mutations, record.revision));
        if (record.changes.empty()) {
            if (from_snapshot) continue;
            outcome.committed = true;
            return outcome;
        }
        outcome.committed = true;
        std::string line = seal_record(record, head.hash);
        if (line.ends_with('\n')) line.pop_back();

        EtcdTransaction write;
        write.compare.push_back(unchanged_since(head_key, head.etcd_mod_revision));
        for (const auto& [key, etcd_revision] : etcd_revisions)
            write.compare.push_back(unchanged_since(key_path(key), etcd_revision));
        write.success.push_back(
            etcd_put(prefix_ + "audit/" + sequence_key(record.sequence), std::move(line)));
        write.success.push_back(etcd_put(head_key, dump_json({{"sequence", record.sequence},
                                                              {"revision", record.revision},
                                                              {"hash", record.hash}})));
        for (const auto& key : keys) {
            auto found = after.find(key);
            auto was = before.find(key);
            if (found == after.end()) {
                if (was == before.end()) continue;
                EtcdOperation remove;
                remove.kind = EtcdOperation::Kind::remove;
                remove.key = key_path(key);
                write.success.push_back(std::move(remove));
            } else if (was == before.end() ||
                       was->second.mod_revision != found->second.mod_revision) {
                write.success.push_back(
                    etcd_put(key_path(key), dump_json(entry_to_json(found->second))));
            }
        }
        LAUNCHKIT_TRY_ASSIGN(auto written, client_.transact(write));
        if (written.succeeded) {
            outcome.revision = record.revision;
            outcome.applied = record.changes.size();
            return outcome;
        }
        // Another writer committed between the read and the write: read again, after a short,
        // random pause so that writers on many machines do not collide in step.
        auto pause = std::uniform_int_distribution<int>(0, 200 * std::min(attempt + 1, 20))(jitter);
        std::this_thread::sleep_for(std::chrono::microseconds(pause));
    }
    return fail(ExitCode::environment, "{}: gave up committing after {} conflicting writers",
                location(), etcd_commit_attempts);
}

Result<std::vector<AuditRecord>> EtcdStore::audit(std::string_view prefix) {
    return audit_from_sequence(prefix, 1);
}

Result<std::vector<AuditRecord>> EtcdStore::audit_since(std::string_view prefix,
                                                        std::int64_t after) {
    // Each record moves the sequence and the revision on by one, so the record after revision
    // `after` is found from the head without reading the records before it. A chain where that
    // does not hold (damaged: verify says so) is read whole, so that nothing is skipped.
    LAUNCHKIT_TRY_ASSIGN(auto head_kv, client_.get(prefix_ + "head"));
    LAUNCHKIT_TRY_ASSIGN(auto head, read_head(head_kv, location()));
    // `after` is the caller's (a --since given on the command line): any int64.
    if (after < 0 || after > head.revision) return Store::audit_since(prefix, after);
    std::int64_t first = head.sequence - (head.revision - after) + 1;
    if (first <= 1) return Store::audit_since(prefix, after);
    LAUNCHKIT_TRY_ASSIGN(auto records, audit_from_sequence({}, first - 1));
    if (records.empty() || records.front().revision != after)
        return Store::audit_since(prefix, after);
    records.erase(records.begin());
    for (auto& record : records)
        std::erase_if(record.changes, [&](const AuditChange& change) {
            return !std::string_view(change.key).starts_with(prefix);
        });
    std::erase_if(records, [](const AuditRecord& record) { return record.changes.empty(); });
    return records;
}

Result<std::vector<AuditRecord>> EtcdStore::audit_from_sequence(std::string_view prefix,
                                                                std::int64_t first) {
    const std::string from = prefix_ + "audit/";
    std::int64_t revision = 0;
    LAUNCHKIT_TRY_ASSIGN(
        auto kvs, range_all(client_, from + sequence_key(first), prefix_range_end(from), revision));
    std::vector<AuditRecord> records;
    for (const auto& kv : kvs) {
        LAUNCHKIT_TRY_ASSIGN(
            AuditRecord record,
            parse_audit_record(kv.value, fmt::format("{} key {}", location(), kv.key)));
        std::erase_if(record.changes, [&](const AuditChange& change) {
            return !std::string_view(change.key).starts_with(prefix);
        });
        if (!record.changes.empty()) records.push_back(std::move(record));
    }
    return records;
}

Result<AuditVerification> EtcdStore::verify_audit() {
    AuditVerification verification;
    auto broken = [&](std::string problem) {
        verification.intact = false;
        verification.problem = std::move(problem);
        return verification;
    };
    // The log, the keys and the head as of one cluster revision.
    const std::string audit_from = prefix_ + "audit/";
    const std::string keys_from = prefix_ + "keys/";
    std::int64_t revision = 0;
    LAUNCHKIT_TRY_ASSIGN(auto log,
                         range_all(client_, audit_from, prefix_range_end(audit_from), revision));
    LAUNCHKIT_TRY_ASSIGN(auto stored,
                         range_all(client_, keys_from, prefix_range_end(keys_from), revision));
    LAUNCHKIT_TRY_ASSIGN(auto head_range, client_.range(prefix_ + "head", {}, 1, revision));
    std::optional<EtcdKeyValue> head_kv;
    if (!head_range.kvs.empty()) head_kv = head_range.kvs[0];
    auto head = read_head(head_kv, location());
    if (!head) return broken(head.error().message);

    ChainReplay replay;
    for (const auto& kv : log) {
        auto where = fmt::format("{} key {}", location(), kv.key);
        auto record = parse_audit_record(kv.value, where);
        if (!record) return broken(record.error().message);
        // The key must name the record it holds: a record moved to another key is a reorder.
        if (kv.key != audit_from + sequence_key(replay.records() + 1))
            return broken(
                fmt::format("{}: sequence {} where {} was expected (a record was "
                            "removed or reordered)",
                            where, record->sequence, replay.records() + 1));
        if (auto problem = replay.next(*record, where)) return broken(std::move(*problem));
    }
    verification.records = replay.records();
    if (head->sequence != replay.records() || head->hash != replay.head_hash() ||
        head->revision != replay.revision())
        return broken(
            fmt::format("{}: the chain's head names record {} but the log ends at "
                        "record {} (records were removed or the head was edited)",
                        location(), head->sequence, replay.records()));
    KeyMap present;
    for (const auto& kv : stored) {
        auto entry = read_entry(kv);
        if (!entry) return broken(entry.error().message);
        auto key = entry->key;
        present.emplace(std::move(key), std::move(*entry));
    }
    if (auto problem = find_unrecorded_change(replay.keys(), present))
        return broken(fmt::format("{}: {}", location(), *problem));
    verification.intact = true;
    verification.head_hash = replay.head_hash();
    return verification;
}

}  // namespace launchkit::store

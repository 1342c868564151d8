// The embedded store's semantics: revisions and compare-and-swap, prefix listing, atomic
// transactions, the audit chain and how damage is reported.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>

#include "store/audit_record.h"
#include "store/file_store.h"
#include "support/temp_dir.h"
#include "util/file_io.h"
#include "util/sha256.h"

using namespace launchkit;
using namespace launchkit::store;
using launchkit::testing::TempDir;

namespace {

ChangeNote note(std::string reason = "") {
    return {"2026-11-25T12:00:00Z", "ann", "test", std::move(reason)};
}

Mutation put(std::string key, nlohmann::json value, std::optional<std::int64_t> expected = {}) {
    return {MutationKind::put, std::move(key), std::move(value), expected};
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The snapshot rewritten at every commit, for tests that inspect or damage it.
constexpr SnapshotPolicy every_commit{1, 1};

void write_lines(const std::filesystem::path& path, const std::vector<std::string>& lines) {
    std::ofstream out(path, std::ios::trunc);
    for (const auto& line : lines) out << line << '\n';
}

}  // namespace

TEST_CASE("puts assign revisions like etcd: global revision, per-key versions", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    CHECK_FALSE(*store.get("flags/a"));  // an empty store needs no files

    REQUIRE(store.commit({put("flags/a", 1)}, note())->revision == 1);
    REQUIRE(store.commit({put("flags/b", 2)}, note())->revision == 2);
    REQUIRE(store.commit({put("flags/a", 3)}, note())->revision == 3);
    auto a = *store.get("flags/a");
    REQUIRE(a);
    CHECK(a->value == 3);
    CHECK(a->create_revision == 1);
    CHECK(a->mod_revision == 3);
    CHECK(a->version == 2);

    // A second handle (another process) sees the same state.
    FileStore other(dir.path() / "store");
    CHECK((*other.get("flags/b"))->value == 2);
}

TEST_CASE("compare-and-swap refuses a stale revision and 0 means must-not-exist", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("k", "v1", 0)}, note())->committed);
    auto created_again = *store.commit({put("k", "v2", 0)}, note());
    CHECK_FALSE(created_again.committed);
    CHECK(created_again.conflict_key == "k");

    auto stale = *store.commit({put("k", "v2", 7)}, note());
    CHECK_FALSE(stale.committed);
    CHECK((*store.get("k"))->value == "v1");

    auto current = (*store.get("k"))->mod_revision;
    CHECK(store.commit({put("k", "v2", current)}, note())->committed);
    CHECK((*store.get("k"))->value == "v2");
}

TEST_CASE("a transaction applies all its mutations or none", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("a", 1), put("b", 1)}, note())->revision == 1);
    // The second mutation's CAS fails, so the first must not be applied either.
    auto outcome = *store.commit({put("a", 2, 1), put("b", 2, 99)}, note());
    CHECK_FALSE(outcome.committed);
    CHECK(outcome.conflict_key == "b");
    CHECK((*store.get("a"))->value == 1);
    CHECK(store.audit("")->size() == 1);

    auto both = *store.commit({put("a", 2, 1), {MutationKind::remove, "b", {}, 1}}, note());
    CHECK(both.committed);
    CHECK(both.applied == 2);
    CHECK_FALSE(*store.get("b"));
    auto records = *store.audit("");
    REQUIRE(records.size() == 2);
    CHECK(records[1].changes.size() == 2);  // one record per transaction
}

TEST_CASE("a mutation that changes nothing writes nothing", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("a", 1)}, note())->applied == 1);
    auto same = *store.commit({put("a", 1)}, note());
    CHECK(same.committed);
    CHECK(same.applied == 0);
    CHECK(same.revision == 1);
    CHECK(store.commit({{MutationKind::remove, "missing", {}, {}}}, note())->applied == 0);
    CHECK(store.audit("")->size() == 1);
}

TEST_CASE("list returns exactly the keys under a prefix, sorted", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("flags/b", 1), put("flags/a", 1), put("flagsx", 1),
                          put("launch/a", 1), put("flag", 1)},
                         note()));
    auto flags = *store.list("flags/");
    REQUIRE(flags.size() == 2);
    CHECK(flags[0].key == "flags/a");
    CHECK(flags[1].key == "flags/b");
    CHECK(store.list("")->size() == 5);
    CHECK(store.list("nothing/")->empty());
}

TEST_CASE("update_key retries on conflict and never loses a concurrent update", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    FileStore rival(dir.path() / "store");
    int calls = 0;
    auto outcome = update_key(
        store, "counter",
        [&](const std::optional<StoreEntry>& current) -> Result<std::optional<Mutation>> {
            // The first time, another writer sneaks in between our read and our commit.
            if (++calls == 1) REQUIRE(rival.commit({put("counter", 10)}, note())->committed);
            int value = current ? current->value.get<int>() : 0;
            return std::optional<Mutation>(put("counter", value + 1));
        },
        note());
    REQUIRE(outcome);
    CHECK(outcome->changed);
    CHECK(calls == 2);
    CHECK((*store.get("counter"))->value == 11);
}

TEST_CASE("the audit log records who, what, old and new, and verifies", "[store][audit]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("flags/x", false)}, note("created")));
    REQUIRE(store.commit({put("flags/x", true)}, note("incident 42")));
    REQUIRE(store.commit({put("launch/y", "paused")}, note()));

    auto records = *store.audit("flags/");
    REQUIRE(records.size() == 2);
    CHECK(records[1].sequence == 2);
    CHECK(records[1].note.actor == "ann");
    CHECK(records[1].note.reason == "incident 42");
    CHECK(records[1].changes[0].old_value == false);
    CHECK(records[1].changes[0].new_value == true);
    CHECK(records[1].previous_hash == records[0].hash);

    auto verification = *store.verify_audit();
    CHECK(verification.intact);
    CHECK(verification.records == 3);
    CHECK(verification.head_hash.size() == 64);
}

TEST_CASE("audit verify detects an edited, deleted or reordered record", "[store][audit]") {
    TempDir dir;
    FileStore store(dir.path() / "store", every_commit);
    for (int i = 0; i < 4; ++i) REQUIRE(store.commit({put("flags/x", i)}, note("step")));
    auto lines = read_lines(store.audit_path());
    REQUIRE(lines.size() == 4);

    SECTION("an edited reason") {
        auto edited = lines;
        auto at = edited[1].find("\"reason\":\"step\"");
        REQUIRE(at != std::string::npos);
        edited[1].replace(at, 15, "\"reason\":\"oops\"");
        write_lines(store.audit_path(), edited);
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
        CHECK_THAT(verification.problem, Catch::Contains(":2:") && Catch::Contains("edited"));
    }
    SECTION("a deleted middle record") {
        auto shortened = lines;
        shortened.erase(shortened.begin() + 1);
        // Keep the file as long as before, so only the chain can tell.
        shortened.back() += std::string(lines[1].size() + 1, ' ');
        write_lines(store.audit_path(), shortened);
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
        CHECK_THAT(verification.problem, Catch::Contains("sequence 3 where 2 was expected"));
    }
    SECTION("a deleted newest record") {
        write_lines(store.audit_path(), {lines[0], lines[1], lines[2]});
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
        CHECK_THAT(verification.problem, Catch::Contains("the newest were removed"));
        // Ordinary commands refuse to build on a log that lost records.
        auto read = store.get("flags/x");
        REQUIRE_FALSE(read);
        CHECK(read.error().code == ExitCode::environment);
        CHECK_THAT(read.error().message, Catch::Contains("audit.jsonl"));
    }
    SECTION("a state file changed behind the log's back") {
        auto text = *util::read_file(store.state_path());
        auto at = text.find("\"value\": 3");
        REQUIRE(at != std::string::npos);
        text.replace(at, 10, "\"value\": 9");
        REQUIRE(util::write_file_atomically(store.state_path(), text));
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
        CHECK_THAT(verification.problem, Catch::Contains("does not match its digest"));
        // ...and no writer builds on it.
        auto refused = store.commit({put("flags/y", 1)}, note("on top"));
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ExitCode::environment);
    }
    SECTION("any field edited, even with the digest recomputed") {
        auto [field, from, to] = GENERATE(table<std::string, std::string, std::string>(
            {{"version", "\"version\": 4", "\"version\": 7"},
             {"create_revision", "\"create_revision\": 1", "\"create_revision\": 2"},
             {"revision", "\"revision\": 4", "\"revision\": 40"}}));
        INFO(field);
        auto text = *util::read_file(store.state_path());
        auto body = "{" + text.substr(text.find(",\n") + 2);
        auto at = body.find(from);
        REQUIRE(at != std::string::npos);
        body.replace(at, from.size(), to);
        auto resealed = "{\"digest\":\"" + util::sha256_hex(body) + "\"," + body.substr(1);
        REQUIRE(util::write_file_atomically(store.state_path(), resealed));
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
    }
}

TEST_CASE("a corrupt state file is reported with its path and never overwritten", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("flags/x", 1)}, note()));
    REQUIRE(
        util::write_file_atomically(store.state_path(), "{\"format\": \"launchkit-store/1\", "));
    auto check_reported = [&](const Error& error) {
        CHECK(error.code == ExitCode::environment);
        CHECK_THAT(error.message,
                   Catch::Contains(store.state_path().string()) && Catch::Contains("corrupt"));
    };
    auto write = store.commit({put("flags/x", 2)}, note());
    REQUIRE_FALSE(write);
    check_reported(write.error());
    auto read = store.get("flags/x");
    REQUIRE_FALSE(read);
    check_reported(read.error());
    CHECK(*util::read_file(store.state_path()) == "{\"format\": \"launchkit-store/1\", ");
}

// Found by reading: a state file without a digest (as written before digests existed) is taken
// as it is, and `records + 1` of a count at 2^63 - 1 overflowed before the record was checked; a
// key's version there overflowed when the next record changed it.
TEST_CASE("a state file's counts beyond 2^62 are damage, not arithmetic", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("flags/x", 1)}, note()));
    const std::string zero_hash(64, '0');
    for (std::string state : {
             R"({"format":"launchkit-store/1","revision":0,"audit":{"records":9223372036854775807,)"
             R"("bytes":0,"head":")" +
                 zero_hash + R"("},"keys":{}})",
             R"({"format":"launchkit-store/1","revision":-1,"audit":{"records":0,)"
             R"("bytes":0,"head":")" +
                 zero_hash + R"("},"keys":{}})",
             R"({"format":"launchkit-store/1","revision":1,"audit":{"records":1,"bytes":0,)"
             R"("head":")" +
                 zero_hash +
                 R"("},"keys":{"flags/x":{"value":1,"create_revision":1,)"
                 R"("mod_revision":1,"version":9223372036854775807}}})",
         }) {
        INFO(state);
        REQUIRE(util::write_file_atomically(store.state_path(), state));
        FileStore reader(dir.path() / "store");
        auto read = reader.get("flags/x");
        REQUIRE_FALSE(read);
        CHECK(read.error().code == ExitCode::environment);
        CHECK_THAT(read.error().message, Catch::Contains("is not from 0 to 2^62"));
        CHECK_FALSE(reader.commit({put("flags/x", 2)}, note()));
    }
}

TEST_CASE("a snapshot behind the log is brought up to date by replaying it", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store", every_commit);
    REQUIRE(store.commit({put("flags/x", 1)}, note()));
    auto old_snapshot = *util::read_file(store.state_path());
    REQUIRE(store.commit({put("flags/x", 2), put("flags/y", 1)}, note()));
    // As if the writer died after appending its record, before replacing the snapshot.
    REQUIRE(util::write_file_atomically(store.state_path(), old_snapshot));
    CHECK((*store.get("flags/x"))->value == 2);
    CHECK((*store.get("flags/y"))->mod_revision == 2);
    CHECK(store.verify_audit()->intact);
    // The next writer continues the chain from the replayed state.
    REQUIRE(store.commit({put("flags/x", 3)}, note())->revision == 3);
    CHECK(store.verify_audit()->intact);
}

TEST_CASE("a partial last record (a writer died mid-append) is not committed and is cut",
          "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("flags/x", 1)}, note()));
    REQUIRE(util::append_durably(store.audit_path(), "{\"sequence\":2,\"revis"));
    CHECK((*store.get("flags/x"))->value == 1);
    CHECK(store.verify_audit()->intact);
    REQUIRE(store.commit({put("flags/x", 2)}, note())->revision == 2);
    CHECK(read_lines(store.audit_path()).size() == 2);
    CHECK(store.verify_audit()->intact);
}

TEST_CASE("a commit is one appended record, the snapshot follows every N records", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store", SnapshotPolicy{4, 1 << 20});
    for (int i = 1; i <= 3; ++i) REQUIRE(store.commit({put("flags/x", i)}, note()));
    CHECK_FALSE(std::filesystem::exists(store.state_path()));
    CHECK(read_lines(store.audit_path()).size() == 3);
    REQUIRE(store.commit({put("flags/x", 4)}, note()));
    auto snapshot = nlohmann::json::parse(*util::read_file(store.state_path()));
    CHECK(snapshot["audit"]["records"] == 4);
    for (int i = 5; i <= 7; ++i) REQUIRE(store.commit({put("flags/y", i)}, note()));
    CHECK(nlohmann::json::parse(*util::read_file(store.state_path()))["audit"]["records"] == 4);

    // Another process (a fresh store) replays the three records the snapshot does not hold.
    FileStore reader(dir.path() / "store");
    CHECK((*reader.get("flags/x"))->value == 4);
    auto y = *reader.get("flags/y");
    CHECK(y->value == 7);
    CHECK(y->version == 3);
    CHECK(y->mod_revision == 7);
    CHECK(reader.verify_audit()->intact);
}

TEST_CASE("the log growing past the size limit rewrites the snapshot", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store", SnapshotPolicy{1000, 2048});
    std::string large(1500, 'v');
    REQUIRE(store.commit({put("flags/a", large)}, note()));
    CHECK_FALSE(std::filesystem::exists(store.state_path()));
    REQUIRE(store.commit({put("flags/b", large)}, note()));
    CHECK(nlohmann::json::parse(*util::read_file(store.state_path()))["audit"]["records"] == 2);
}

TEST_CASE("a store kept open sees what other writers committed and compacted", "[store]") {
    TempDir dir;
    FileStore kept(dir.path() / "store", SnapshotPolicy{3, 1 << 20});
    FileStore other(dir.path() / "store", SnapshotPolicy{3, 1 << 20});
    REQUIRE(kept.commit({put("flags/x", 1)}, note()));
    CHECK((*kept.get("flags/x"))->value == 1);
    // The other writer appends, then rewrites the snapshot under a new file.
    REQUIRE(other.commit({put("flags/x", 2)}, note()));
    CHECK((*kept.get("flags/x"))->value == 2);
    REQUIRE(other.commit({put("flags/y", 1)}, note()));
    REQUIRE(std::filesystem::exists(other.state_path()));
    CHECK((*kept.get("flags/y"))->value == 1);
    // A CAS against what it read still sees the other writer's revision.
    auto stale = kept.commit({put("flags/x", 5, 1)}, note());
    REQUIRE(stale);
    CHECK_FALSE(stale->committed);
    CHECK(stale->conflict_key == "flags/x");
    REQUIRE(kept.commit({put("flags/x", 5, 2)}, note())->committed);
    CHECK((*other.get("flags/x"))->value == 5);
    CHECK(kept.verify_audit()->intact);
}

// Which state file a snapshot came from is known by its mtime among others: seconds of a clock
// set to 2300 overflowed as nanoseconds (undefined; under UBSan, a failure).
TEST_CASE("a state file whose mtime is in 2300 is read and rewritten as any other", "[store]") {
    TempDir dir;
    FileStore store(dir.path() / "store", every_commit);
    REQUIRE(store.commit({put("flags/x", 1)}, note()));
    timespec far[2] = {{10'413'792'000, 0}, {10'413'792'000, 0}};  // 2300-01-01
    REQUIRE(::utimensat(AT_FDCWD, store.state_path().c_str(), far, 0) == 0);
    FileStore reader(dir.path() / "store", every_commit);
    CHECK((*reader.get("flags/x"))->value == 1);
    REQUIRE(reader.commit({put("flags/x", 2)}, note())->committed);
    CHECK((*store.get("flags/x"))->value == 2);
    CHECK(store.verify_audit()->intact);
}

TEST_CASE("a record's hash is checked from its line, and from its content when respelled",
          "[store][audit]") {
    TempDir dir;
    FileStore store(dir.path() / "store");
    REQUIRE(store.commit({put("flags/x", nlohmann::json{{"hash", "nested"}, {"on", true}})},
                         note("first")));
    auto line = read_lines(store.audit_path()).at(0);
    auto record = *parse_audit_record(line, "test");
    CHECK(record_hash_matches(line, record));
    // The same record spelled with spaces still carries its hash...
    auto respelled = nlohmann::json::parse(line).dump(1);
    CHECK(record_hash_matches(respelled, *parse_audit_record(respelled, "test")));
    // ...but an edited one does not, whichever way it is spelled.
    auto edited = line;
    edited.replace(edited.find("\"first\""), 7, "\"other\"");
    CHECK_FALSE(record_hash_matches(edited, *parse_audit_record(edited, "test")));
}

TEST_CASE("a sealed record's line is its hashed content with the hash in its sorted place",
          "[store][audit]") {
    AuditRecord record;
    record.sequence = 7;
    record.revision = 9;
    record.note = note("a \"previous\": reason");
    // Values that hold the very field names the line is spliced around.
    record.changes.push_back({MutationKind::put, "flags/x",
                              nlohmann::json{{"previous", ",\"previous\":"}, {"hash", "h"}},
                              nlohmann::json{{"previous", nlohmann::json{{"previous", 1}}}}});
    auto line = seal_record(record, std::string(64, 'a'));
    CHECK(record.hash == compute_record_hash(record));
    CHECK(line == dump_json(to_json(record)) + "\n");
    CHECK(record_hash_matches(std::string_view(line).substr(0, line.size() - 1), record));
}

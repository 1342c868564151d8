// One behaviour for every backend: the same tests run against the embedded file store and the
// etcd store (a real etcd on 127.0.0.1), so commands cannot tell which one they write to.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "store/etcd_store.h"
#include "store/file_store.h"
#include "support/etcd_server.h"
#include "support/temp_dir.h"

using namespace launchkit;
using namespace launchkit::store;
using launchkit::testing::EtcdCluster;
using launchkit::testing::TempDir;

namespace {

ChangeNote conformance_note(std::string reason = "") {
    return {"2026-12-03T12:00:00Z", "ann", "test", std::move(reason)};
}

Mutation put_value(std::string key, nlohmann::json value,
                   std::optional<std::int64_t> expected = {}) {
    return {MutationKind::put, std::move(key), std::move(value), expected};
}

struct FileBackend {
    TempDir dir;
    std::unique_ptr<Store> open() { return std::make_unique<FileStore>(dir.path() / "store"); }
};

struct EtcdBackend {
    // A prefix of its own per test, on the one shared cluster.
    std::string prefix = EtcdCluster::unique_prefix("conformance");
    std::unique_ptr<Store> open() {
        EtcdSettings settings;
        settings.endpoints = EtcdCluster::shared().endpoints();
        auto client = EtcdClient::create(settings);
        REQUIRE(client);
        return std::make_unique<EtcdStore>(std::move(*client), prefix);
    }
};

}  // namespace

TEMPLATE_TEST_CASE("store conformance: revisions, versions and compare-and-swap",
                   "[store][conformance]", FileBackend, EtcdBackend) {
    TestType backend;
    auto store = backend.open();
    CHECK_FALSE(*store->get("flags/a"));
    REQUIRE(store->commit({put_value("flags/a", 1)}, conformance_note())->revision == 1);
    REQUIRE(store->commit({put_value("flags/b", 2)}, conformance_note())->revision == 2);
    REQUIRE(store->commit({put_value("flags/a", 3)}, conformance_note())->revision == 3);
    auto a = *store->get("flags/a");
    REQUIRE(a);
    CHECK(a->value == 3);
    CHECK(a->create_revision == 1);
    CHECK(a->mod_revision == 3);
    CHECK(a->version == 2);
    CHECK((*backend.open()->get("flags/b"))->value == 2);  // another handle sees it

    auto created_again = *store->commit({put_value("flags/a", 4, 0)}, conformance_note());
    CHECK_FALSE(created_again.committed);
    CHECK(created_again.conflict_key == "flags/a");
    CHECK_FALSE(store->commit({put_value("flags/a", 4, 2)}, conformance_note())->committed);
    CHECK(store->commit({put_value("flags/a", 4, 3)}, conformance_note())->committed);
    CHECK((*store->get("flags/a"))->value == 4);
}

TEMPLATE_TEST_CASE("store conformance: a transaction applies all or nothing, no-ops write nothing",
                   "[store][conformance]", FileBackend, EtcdBackend) {
    TestType backend;
    auto store = backend.open();
    REQUIRE(store->commit({put_value("a", 1), put_value("b", 1)}, conformance_note())->revision ==
            1);
    auto outcome =
        *store->commit({put_value("a", 2, 1), put_value("b", 2, 99)}, conformance_note());
    CHECK_FALSE(outcome.committed);
    CHECK(outcome.conflict_key == "b");
    CHECK((*store->get("a"))->value == 1);

    auto both = *store->commit({put_value("a", 2, 1), {MutationKind::remove, "b", {}, 1}},
                               conformance_note());
    CHECK(both.committed);
    CHECK(both.applied == 2);
    CHECK_FALSE(*store->get("b"));

    auto same = *store->commit({put_value("a", 2)}, conformance_note());
    CHECK(same.committed);
    CHECK(same.applied == 0);
    CHECK(same.revision == 2);
    CHECK(store->commit({{MutationKind::remove, "missing", {}, {}}}, conformance_note())->applied ==
          0);
    auto records = *store->audit("");
    REQUIRE(records.size() == 2);
    CHECK(records[1].changes.size() == 2);
}

TEMPLATE_TEST_CASE(
    "store conformance: a commit after another writer's change is decided by "
    "the store as it is now",
    "[store][conformance]", FileBackend, EtcdBackend) {
    TestType backend;
    auto mine = backend.open();
    auto theirs = backend.open();
    REQUIRE(mine->commit({put_value("k", 1)}, conformance_note())->committed);

    // Read, then another writer changes the key: the compare-and-swap based on the read fails.
    auto read = *mine->get("k");
    REQUIRE(read);
    REQUIRE(theirs->commit({put_value("k", 2)}, conformance_note())->committed);
    auto stale = *mine->commit({put_value("k", 3, read->mod_revision)}, conformance_note());
    CHECK_FALSE(stale.committed);
    CHECK(stale.conflict_key == "k");
    CHECK((*theirs->get("k"))->value == 2);

    // What looked like a no-op when read is a change by the time of the commit: it is made.
    REQUIRE((*mine->get("k"))->value == 2);
    REQUIRE(theirs->commit({put_value("k", 1)}, conformance_note())->committed);
    auto outcome = *mine->commit({put_value("k", 2)}, conformance_note());
    CHECK(outcome.committed);
    CHECK(outcome.applied == 1);
    CHECK((*theirs->get("k"))->value == 2);

    // What looked like a conflict when read is not one any more.
    REQUIRE(*mine->get("k"));
    REQUIRE(theirs->commit({{MutationKind::remove, "k", {}, {}}}, conformance_note())->committed);
    CHECK(mine->commit({put_value("k", 5, 0)}, conformance_note())->committed);
    CHECK((*theirs->get("k"))->value == 5);
    CHECK(theirs->verify_audit()->intact);
    CHECK(theirs->audit("")->size() == 6);
}

TEMPLATE_TEST_CASE("store conformance: list returns the keys under a prefix, sorted",
                   "[store][conformance]", FileBackend, EtcdBackend) {
    TestType backend;
    auto store = backend.open();
    REQUIRE(store->commit({put_value("flags/b", 1), put_value("flags/a", 1), put_value("flagsx", 1),
                           put_value("launch/a", 1), put_value("flag", 1)},
                          conformance_note()));
    auto flags = *store->list("flags/");
    REQUIRE(flags.size() == 2);
    CHECK(flags[0].key == "flags/a");
    CHECK(flags[1].key == "flags/b");
    CHECK(store->list("")->size() == 5);
    CHECK(store->list("nothing/")->empty());
}

TEMPLATE_TEST_CASE("store conformance: the audit chain records every change and verifies",
                   "[store][conformance]", FileBackend, EtcdBackend) {
    TestType backend;
    auto store = backend.open();
    REQUIRE(store->commit({put_value("flags/x", false)}, conformance_note("created")));
    REQUIRE(store->commit({put_value("flags/x", true)}, conformance_note("incident 42")));
    REQUIRE(store->commit({put_value("launch/y", "paused")}, conformance_note()));
    REQUIRE(store->commit({{MutationKind::remove, "launch/y", {}, {}}}, conformance_note()));

    auto records = *store->audit("flags/");
    REQUIRE(records.size() == 2);
    CHECK(records[1].sequence == 2);
    CHECK(records[1].note.reason == "incident 42");
    CHECK(records[1].changes[0].old_value == false);
    CHECK(records[1].changes[0].new_value == true);
    CHECK(records[1].previous_hash == records[0].hash);

    auto verification = *store->verify_audit();
    INFO(verification.problem);
    CHECK(verification.intact);
    CHECK(verification.records == 4);
    CHECK(verification.head_hash == store->audit("")->back().hash);

    // What a watcher has not seen yet: the records after a revision, under a prefix.
    CHECK(store->audit_since("", 4)->empty());
    auto after_one = *store->audit_since("", 1);
    REQUIRE(after_one.size() == 3);
    CHECK(after_one[0].revision == 2);
    CHECK(after_one[0].hash == records[1].hash);
    auto launch_after_two = *store->audit_since("launch/", 2);
    REQUIRE(launch_after_two.size() == 2);
    CHECK(launch_after_two[1].changes[0].key == "launch/y");
    CHECK(store->audit_since("flags/", 2)->empty());
    CHECK(store->audit_since("", 0)->size() == 4);
}

TEMPLATE_TEST_CASE("store conformance: concurrent writers lose no update", "[store][conformance]",
                   FileBackend, EtcdBackend) {
    TestType backend;
    constexpr int writers = 6;
    constexpr int increments = 15;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&] {
            auto store = backend.open();  // each writer its own handle, as another process would
            for (int i = 0; i < increments; ++i) {
                auto updated = update_key(
                    *store, "counter",
                    [](const std::optional<StoreEntry>& current)
                        -> Result<std::optional<Mutation>> {
                        int value = current ? current->value.get<int>() : 0;
                        return std::optional<Mutation>(put_value("counter", value + 1));
                    },
                    conformance_note());
                if (!updated || !updated->changed) ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failures == 0);
    auto store = backend.open();
    CHECK((*store->get("counter"))->value == writers * increments);
    auto verification = *store->verify_audit();
    CHECK(verification.intact);
    CHECK(verification.records == writers * increments);
}

TEST_CASE("etcd store: a change made behind the audit chain's back is found",
          "[store][etcd][audit]") {
    EtcdBackend backend;
    auto opened = backend.open();
    auto& store = dynamic_cast<EtcdStore&>(*opened);
    for (int i = 0; i < 3; ++i)
        REQUIRE(store.commit({put_value("flags/x", i)}, conformance_note("step")));
    REQUIRE(store.verify_audit()->intact);
    auto& raw = store.client();
    const auto base = backend.prefix + "/";

    SECTION("a key edited with etcdctl") {
        auto kv = *raw.get(base + "keys/flags/x");
        REQUIRE(kv);
        auto entry = nlohmann::json::parse(kv->value);
        entry["value"] = 9;
        REQUIRE(raw.put(base + "keys/flags/x", entry.dump()));
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
        CHECK_THAT(verification.problem, Catch::Contains("changed without an audit record"));
    }
    SECTION("a record deleted") {
        REQUIRE(raw.remove(base + "audit/00000000000000000002"));
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
        CHECK_THAT(verification.problem, Catch::Contains("sequence 3 where 2 was expected"));
    }
    SECTION("the newest record deleted") {
        REQUIRE(raw.remove(base + "audit/00000000000000000003"));
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
        CHECK_THAT(verification.problem, Catch::Contains("head names record 3"));
    }
    SECTION("a record edited") {
        auto kv = *raw.get(base + "audit/00000000000000000002");
        REQUIRE(kv);
        auto text = kv->value;
        auto at = text.find("\"reason\":\"step\"");
        REQUIRE(at != std::string::npos);
        text.replace(at, 15, "\"reason\":\"oops\"");
        REQUIRE(raw.put(base + "audit/00000000000000000002", text));
        auto verification = *store.verify_audit();
        CHECK_FALSE(verification.intact);
        CHECK_THAT(verification.problem, Catch::Contains("was edited"));
    }
    SECTION("a damaged head stops writers") {
        REQUIRE(raw.put(base + "head", "not json"));
        auto refused = store.commit({put_value("flags/y", 1)}, conformance_note());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ExitCode::environment);
        CHECK_THAT(refused.error().message, Catch::Contains("head is damaged"));
    }
}

TEST_CASE("etcd store: URLs name the members and a prefix", "[store][etcd]") {
    auto plain = parse_etcd_location("etcd://10.0.0.1:2379,10.0.0.2:2379/launchkit/prod");
    REQUIRE(plain);
    CHECK(plain->endpoints ==
          std::vector<std::string>{"http://10.0.0.1:2379", "http://10.0.0.2:2379"});
    CHECK(plain->prefix == "launchkit/prod/");
    auto tls = parse_etcd_location("etcd+https://etcd.internal:2379/lk");
    REQUIRE(tls);
    CHECK(tls->endpoints == std::vector<std::string>{"https://etcd.internal:2379"});
    for (const char* bad : {"http://h:1/p", "etcd://h:1", "etcd://h:1/", "etcd://h/p",
                            "etcd://h:x/p", "etcd://,h:1/p"}) {
        INFO(bad);
        auto refused = parse_etcd_location(bad);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ExitCode::invalid_input);
    }
}

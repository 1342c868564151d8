// The etcd client against real etcd members on 127.0.0.1: keys and ranges, transactions that
// compare revisions, leases, and what happens when members are down.
#include <catch2/catch.hpp>

#include "store/etcd_client.h"
#include "support/etcd_server.h"
#include "support/background_process.h"

using namespace launchkit;
using namespace launchkit::store;
using launchkit::testing::EtcdCluster;

namespace {

EtcdClient client_for(const std::vector<std::string>& endpoints) {
    EtcdSettings settings;
    settings.endpoints = endpoints;
    settings.timeout = std::chrono::seconds(5);
    auto client = EtcdClient::create(settings);
    REQUIRE(client);
    return std::move(*client);
}

std::string unused_endpoint() {
    return "http://127.0.0.1:" + std::to_string(launchkit::testing::free_port());
}

}  // namespace

TEST_CASE("prefix_range_end covers exactly the keys with the prefix", "[store][etcd]") {
    CHECK(prefix_range_end("lk/flags/") == "lk/flags0");
    CHECK(prefix_range_end("a\xff") == "b");
    CHECK(prefix_range_end("\xff\xff") == std::string(1, '\0'));
}

TEST_CASE("etcd: put, get and range keep bytes and revisions", "[store][etcd]") {
    auto client = client_for(EtcdCluster::shared().endpoints());
    std::string binary("v\0\xff\n", 4);
    auto first = client.put("test-kv/b", binary);
    REQUIRE(first);
    REQUIRE(client.put("test-kv/a", "one"));
    REQUIRE(client.put("test-kv/c", "three"));
    REQUIRE(client.put("test-kv0", "outside the prefix"));

    auto b = client.get("test-kv/b");
    REQUIRE(b);
    REQUIRE(*b);
    CHECK((*b)->value == binary);
    CHECK((*b)->mod_revision == *first);
    CHECK((*b)->create_revision == *first);
    CHECK((*b)->version == 1);
    auto missing = client.get("test-kv/none");
    REQUIRE(missing);
    CHECK_FALSE(*missing);

    auto all = client.range("test-kv/", prefix_range_end("test-kv/"));
    REQUIRE(all);
    REQUIRE(all->kvs.size() == 3);
    CHECK(all->kvs[0].key == "test-kv/a");
    CHECK(all->kvs[2].key == "test-kv/c");
    CHECK(all->revision >= *first);
    CHECK_FALSE(all->more);
    auto limited = client.range("test-kv/", prefix_range_end("test-kv/"), 2);
    REQUIRE(limited);
    CHECK(limited->kvs.size() == 2);
    CHECK(limited->more);

    auto removed = client.remove("test-kv/", prefix_range_end("test-kv/"));
    REQUIRE(removed);
    CHECK(*removed == 3);
    CHECK(client.get("test-kv0").value());
}

TEST_CASE("etcd: a transaction applies only when the revision it read is current",
          "[store][etcd]") {
    auto client = client_for(EtcdCluster::shared().endpoints());
    auto created = client.put("test-txn/flag", "off");
    REQUIRE(created);

    auto swap = [&](std::int64_t expected, const std::string& value) {
        EtcdTransaction transaction;
        transaction.compare.push_back({.key = "test-txn/flag",
                                       .target = EtcdCompare::Target::mod_revision,
                                       .result = EtcdCompare::Result::equal,
                                       .number = expected,
                                       .value = {}});
        transaction.success.push_back({.kind = EtcdOperation::Kind::put,
                                       .key = "test-txn/flag",
                                       .range_end = {},
                                       .value = value,
                                       .lease = 0});
        transaction.failure.push_back({.kind = EtcdOperation::Kind::range,
                                       .key = "test-txn/flag",
                                       .range_end = {},
                                       .value = {},
                                       .lease = 0});
        auto result = client.transact(transaction);
        REQUIRE(result);
        return *result;
    };
    auto won = swap(*created, "on");
    CHECK(won.succeeded);
    CHECK(won.revision > *created);
    CHECK(won.ranges.empty());

    // A second writer that read the old revision loses and sees what the winner wrote.
    auto lost = swap(*created, "off");
    CHECK_FALSE(lost.succeeded);
    REQUIRE(lost.ranges.size() == 1);
    REQUIRE(lost.ranges[0].size() == 1);
    CHECK(lost.ranges[0][0].value == "on");
    CHECK(lost.ranges[0][0].mod_revision == won.revision);
    CHECK(lost.ranges[0][0].version == 2);

    // mod_revision 0: "does not exist yet".
    EtcdTransaction create_once;
    create_once.compare.push_back({.key = "test-txn/new",
                                   .target = EtcdCompare::Target::mod_revision,
                                   .result = EtcdCompare::Result::equal,
                                   .number = 0,
                                   .value = {}});
    create_once.success.push_back({.kind = EtcdOperation::Kind::put,
                                   .key = "test-txn/new",
                                   .range_end = {},
                                   .value = "1",
                                   .lease = 0});
    CHECK(client.transact(create_once)->succeeded);
    CHECK_FALSE(client.transact(create_once)->succeeded);
}

TEST_CASE("etcd: a key on a lease lives while it is kept alive and goes with it", "[store][etcd]") {
    auto client = client_for(EtcdCluster::shared().endpoints());
    auto lease = client.grant_lease(30);
    REQUIRE(lease);
    CHECK(lease->ttl_seconds == 30);
    REQUIRE(client.put("test-lease/lock", "holder", lease->id));
    CHECK(client.get("test-lease/lock").value()->lease == lease->id);
    auto renewed = client.keep_alive(lease->id);
    REQUIRE(renewed);
    CHECK(renewed->ttl_seconds > 0);

    REQUIRE(client.revoke_lease(lease->id));
    CHECK_FALSE(client.get("test-lease/lock").value());
    auto expired = client.keep_alive(lease->id);
    REQUIRE_FALSE(expired);
    CHECK(expired.error().code == ExitCode::environment);
    auto again = client.revoke_lease(lease->id);
    REQUIRE_FALSE(again);
    CHECK_THAT(again.error().message, Catch::Contains("lease not found"));
}

TEST_CASE("etcd: an endpoint that is down is skipped, none up is exit 3 naming each",
          "[store][etcd]") {
    auto dead = unused_endpoint();
    auto endpoints = EtcdCluster::shared().endpoints();
    endpoints.insert(endpoints.begin(), dead);
    auto client = client_for(endpoints);
    CHECK(client.put("test-failover/key", "value"));
    CHECK(client.get("test-failover/key").value());

    auto other_dead = unused_endpoint();
    auto nowhere = client_for({dead, other_dead});
    auto failed = nowhere.get("test-failover/key");
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code == ExitCode::environment);
    CHECK_THAT(failed.error().message, Catch::Contains(dead) && Catch::Contains(other_dead) &&
                                           Catch::Contains("etcd unreachable"));

    auto invalid = EtcdClient::create({.endpoints = {"127.0.0.1:2379"}});
    REQUIRE_FALSE(invalid);
    CHECK(invalid.error().code == ExitCode::invalid_input);
    CHECK_FALSE(EtcdClient::create({}));
}

TEST_CASE("etcd: a three-member cluster keeps answering with one member down",
          "[store][etcd][cluster]") {
    EtcdCluster cluster(3);
    auto client = client_for(cluster.endpoints());
    REQUIRE(client.put("test-cluster/key", "before"));
    cluster.stop(0);
    // The client preferred member 0; it now reaches the others, which elect a new leader if
    // member 0 led.
    auto written = client.put("test-cluster/key", "during");
    INFO((written ? "" : written.error().message));
    REQUIRE(written);
    CHECK(client.get("test-cluster/key").value()->value == "during");
    cluster.start(0);
    auto member_zero = client_for({cluster.endpoints()[0]});
    CHECK(member_zero.get("test-cluster/key").value()->value == "during");
}

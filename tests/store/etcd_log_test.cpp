// The append-only log kept in etcd (the shared ledger and journals) against a real etcd on
// 127.0.0.1: lines in order, and keys under its prefix that no append of launchkit wrote.
#include <catch2/catch.hpp>

#include "store/etcd_client.h"
#include "store/etcd_log.h"
#include "support/etcd_server.h"

using namespace launchkit;
using namespace launchkit::store;
using launchkit::testing::EtcdCluster;

namespace {

std::shared_ptr<EtcdClient> shared_client() {
    EtcdSettings settings;
    settings.endpoints = EtcdCluster::shared().endpoints();
    settings.timeout = std::chrono::seconds(5);
    auto client = EtcdClient::create(settings);
    REQUIRE(client);
    return std::make_shared<EtcdClient>(std::move(*client));
}

}  // namespace

TEST_CASE("etcd log: appends number lines from 1 and read back in order", "[store][etcd]") {
    auto client = shared_client();
    REQUIRE(client->remove("test-log/", prefix_range_end("test-log/")));
    EtcdLog log(client, "test-log/");
    CHECK(log.newest().value() == 0);
    CHECK(log.append("first").value() == 1);
    CHECK(log.append("second").value() == 2);
    CHECK(log.key(2) == "test-log/00000000000000000002");
    auto lines = log.read_from(1);
    REQUIRE(lines);
    REQUIRE(lines->size() == 2);
    CHECK((*lines)[1].sequence == 2);
    CHECK((*lines)[1].text == "second");
    CHECK(log.newest().value() == 2);
}

TEST_CASE("etcd log: a key past 2^62 or not numbered is damage, named as such", "[store][etcd]") {
    auto client = shared_client();
    REQUIRE(client->remove("test-log-damaged/", prefix_range_end("test-log-damaged/")));
    EtcdLog log(client, "test-log-damaged/");
    REQUIRE(log.append("first"));

    // The next append would add 1 to this sequence.
    REQUIRE(client->put("test-log-damaged/09223372036854775807", "forged"));
    auto newest = log.newest();
    REQUIRE_FALSE(newest);
    CHECK(newest.error().code == ExitCode::environment);
    CHECK_THAT(newest.error().message, Catch::Contains("9223372036854775807, beyond 2^62"));
    EtcdLog fresh(client, "test-log-damaged/");  // one that has not appended yet reads the end
    auto appended = fresh.append("second");
    REQUIRE_FALSE(appended);
    CHECK(appended.error().code == ExitCode::environment);

    REQUIRE(client->remove("test-log-damaged/09223372036854775807"));
    REQUIRE(client->put("test-log-damaged/x", "not a line"));
    auto read = log.read_from(1);
    REQUIRE_FALSE(read);
    CHECK_THAT(read.error().message, Catch::Contains("expected 20 digits after the prefix"));
}

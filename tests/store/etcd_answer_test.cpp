// Reading the gateway's answers: what a real etcd 3.4 sends (the fuzz seeds were captured from
// one), and answers with fields of the wrong type, which are errors, never exceptions.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "store/etcd_answer.h"

using namespace launchkit;
using namespace launchkit::store;
using nlohmann::json;

namespace {

EtcdTransaction read_write_read() {
    EtcdOperation read;
    read.kind = EtcdOperation::Kind::range;
    EtcdOperation write;
    write.kind = EtcdOperation::Kind::put;
    EtcdTransaction transaction;
    transaction.success = {read, write, read};
    transaction.failure = {read};
    return transaction;
}

}  // namespace

TEST_CASE("etcd answers: a range and a transaction as etcd 3.4 writes them", "[store][etcd]") {
    auto range = read_range_answer(json::parse(
        R"({"header":{"cluster_id":"1","revision":"3"},"kvs":[{"key":"YS9i","create_revision":"2",)"
        R"("mod_revision":"2","version":"1","value":"eyJ4IjoxfQ=="}],"more":true,"count":"2"})"));
    REQUIRE(range);
    CHECK(range->revision == 3);
    CHECK(range->more);
    REQUIRE(range->kvs.size() == 1);
    CHECK(range->kvs[0].key == "a/b");
    CHECK(range->kvs[0].value == R"({"x":1})");
    CHECK(range->kvs[0].mod_revision == 2);
    auto empty = read_range_answer(json::parse(R"({"header":{"revision":"3"}})"));
    REQUIRE(empty);
    CHECK(empty->kvs.empty());
    CHECK_FALSE(empty->more);

    auto failed = read_transaction_answer(
        json::parse(R"({"header":{"revision":"4"},"responses":[{"response_range":{"kvs":[)"
                    R"({"key":"YS9j","mod_revision":"3","value":"djI="}]}}]})"),
        read_write_read());
    REQUIRE(failed);
    CHECK_FALSE(failed->succeeded);
    REQUIRE(failed->ranges.size() == 1);
    CHECK(failed->ranges[0][0].value == "v2");
}

TEST_CASE("etcd answers: a field of the wrong type is an error naming it, not an exception",
          "[store][etcd]") {
    const char* header = R"("header":{"revision":"3"})";
    for (std::string body : {
             fmt::format(R"({{{},"more":"yes"}})", header),
             fmt::format(R"({{{},"kvs":[{{"key":5}}]}})", header),
             fmt::format(R"({{{},"kvs":[{{"key":"YQ==","value":["x"]}}]}})", header),
             fmt::format(R"({{{},"kvs":{{"key":"YQ=="}}}})", header),
             fmt::format(R"({{{},"kvs":[{{"key":"YQ==","mod_revision":1.5}}]}})", header),
             std::string(R"({"header":[1]})"),
             // Past 2^62: launchkit waits for revision + 1, which must not overflow.
             std::string(R"({"header":{"revision":"9223372036854775807"}})"),
             std::string(R"({"header":{"revision":"-1"}})"),
             fmt::format(R"({{{},"kvs":[{{"key":"YQ==","version":"4611686018427387905"}}]}})",
                         header),
             std::string(R"([1,2])"),
         }) {
        INFO(body);
        auto range = read_range_answer(json::parse(body));
        REQUIRE_FALSE(range);
        CHECK(range.error().code == ExitCode::environment);
    }
    auto transaction = read_write_read();
    for (std::string body : {
             std::string(R"({"header":{"revision":"4"},"succeeded":"true"})"),
             std::string(R"({"header":{"revision":"4"},"succeeded":true,"responses":{}})"),
             std::string(R"({"header":{"revision":"4"},"succeeded":true,"responses":[)"
                         R"({"response_range":[]},{},{}]})"),
             std::string(R"({"header":{"revision":"4"},"responses":[{"response_put":{}}]})"),
         }) {
        INFO(body);
        CHECK_FALSE(read_transaction_answer(json::parse(body), transaction));
    }
}

TEST_CASE("etcd answers: errors in 3.4's and 3.5's forms, and the watch stream", "[store][etcd]") {
    CHECK(error_message(json::parse(R"({"error":"etcdserver: no leader","code":14})")) ==
          "etcdserver: no leader");
    CHECK(error_message(json::parse(R"({"code":14,"message":"etcdserver: no leader"})")) ==
          "etcdserver: no leader");
    CHECK(
        error_message(json::parse(R"({"error":{"grpc_code":7,"message":"permission denied"}})")) ==
        "permission denied");
    CHECK(error_message(json::parse(R"({"error":5,"message":[1]})")).empty());

    std::string created = R"({"result":{"header":{"revision":"4"},"created":true}})"
                          "\n";
    CHECK_FALSE(read_watch_stream(created).changed);
    CHECK_FALSE(read_watch_stream(created + R"({"result":{"events":[]})" + "\n").changed);
    CHECK(read_watch_stream(created + R"({"result":{"events":[{"kv":{}}]}})" + "\n").changed);
    CHECK(read_watch_stream(R"({"result":{"compact_revision":"7"}})"
                            "\n")
              .changed);
    CHECK(read_watch_stream(R"({"result":{"canceled":true}})"
                            "\n")
              .changed);
    // A field it cannot read wakes the waiter, who reads the head again: never a missed change.
    CHECK(read_watch_stream(R"({"result":{"canceled":"yes"}})"
                            "\n")
              .changed);
    auto refused = read_watch_stream(R"({"error":{"http_code":400,"message":"bad request"}})"
                                     "\n");
    CHECK(refused.error == "bad request");
    CHECK_FALSE(read_watch_stream(R"({"result":)").changed);  // a line not yet complete
}

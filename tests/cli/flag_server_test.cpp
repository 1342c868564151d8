// `feature-flags serve` over a real store: OFREP answers as `feature-flags eval` does, launch
// controls as boolean flags, the runbooks' read routes, changes served within a second, bad
// requests answered (never a crash), SIGTERM a clean stop.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/etcd_server.h"
#include "support/flag_server.h"
#include "support/state_fixture.h"

using launchkit::testing::FlagServer;
using launchkit::testing::HttpAnswer;
using launchkit::testing::StateFixture;

namespace {

std::string context_body(const nlohmann::json& context) {
    return nlohmann::json{{"context", context}}.dump();
}

HttpAnswer evaluate(const FlagServer& server, const std::string& key,
                    const nlohmann::json& context = nlohmann::json::object()) {
    return server.post("/ofrep/v1/evaluate/flags/" + key, context_body(context));
}

// Polls until `check` holds for the answer, for at most `limit`.
template <typename Check>
bool within(std::chrono::milliseconds limit, Check check) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (check()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return check();
}

}  // namespace

TEST_CASE_METHOD(StateFixture,
                 "OFREP answers a flag as feature-flags eval does, with OpenFeature's reasons",
                 "[cli][serve]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    REQUIRE(flags({"enable", "checkout"}).exit_code == 0);
    REQUIRE(flags({"create", "dark-mode"}).exit_code == 0);
    REQUIRE(flags({"create", "beta"}).exit_code == 0);
    REQUIRE(flags({"set", "beta", "--rollout", "30"}).exit_code == 0);
    REQUIRE(flags({"enable", "beta"}).exit_code == 0);
    REQUIRE(flags({"create", "search"}).exit_code == 0);
    REQUIRE(flags({"strategy", "add", "search", "--strategy", "default", "--constraint",
                   "region IN eu,us"})
                .exit_code == 0);
    REQUIRE(flags({"variant", "add", "search", "fast", "--payload-type", "json", "--payload",
                   R"({"engine": "v2"})"})
                .exit_code == 0);
    REQUIRE(flags({"enable", "search"}).exit_code == 0);
    FlagServer server(*this);

    auto on = evaluate(server, "checkout");
    REQUIRE(on.status == 200);
    CHECK(on.json()["key"] == "checkout");
    CHECK(on.json()["value"] == true);
    CHECK(on.json()["reason"] == "STATIC");
    CHECK(on.json()["metadata"]["environment"] == "production");

    auto off = evaluate(server, "dark-mode");
    CHECK(off.json()["value"] == false);
    CHECK(off.json()["reason"] == "DISABLED");

    auto targeted = evaluate(server, "search", {{"targetingKey", "u-1"}, {"region", "eu"}});
    CHECK(targeted.json()["value"] == nlohmann::json({{"engine", "v2"}}));
    CHECK(targeted.json()["variant"] == "fast");
    auto elsewhere = evaluate(server, "search", {{"targetingKey", "u-1"}, {"region", "ap"}});
    CHECK(elsewhere.json()["value"] == false);
    CHECK(elsewhere.json()["reason"] == "DEFAULT");

    auto missing = evaluate(server, "no-such-flag");
    CHECK(missing.status == 404);
    CHECK(missing.json()["errorCode"] == "FLAG_NOT_FOUND");
    CHECK(missing.json()["key"] == "no-such-flag");

    auto no_key = evaluate(server, "beta");
    CHECK(no_key.status == 400);
    CHECK(no_key.json()["errorCode"] == "TARGETING_KEY_MISSING");

    // The 30 % rollout buckets every key as `feature-flags eval --subject` does.
    int enabled = 0;
    for (int i = 0; i < 60; ++i) {
        auto key = "user-" + std::to_string(i);
        auto served = evaluate(server, "beta", {{"targetingKey", key}});
        REQUIRE(served.status == 200);
        bool eval_on = flags({"eval", "beta", "--subject", key}).exit_code == 0;
        INFO(key);
        CHECK(served.json()["value"] == eval_on);
        CHECK(served.json()["reason"] == (eval_on ? "SPLIT" : "DEFAULT"));
        enabled += eval_on;
    }
    CHECK(enabled > 5);
    CHECK(enabled < 40);
    CHECK(server.stop() == 0);
    CHECK_THAT(server.log(), Catch::Contains("SIGTERM: stopped serving"));
}

TEST_CASE_METHOD(StateFixture,
                 "a launch control is an OFREP boolean that follows launchctl within a second",
                 "[cli][serve]") {
    REQUIRE(launchctl({"pause", "redemption", "--reason", "incident"}).exit_code == 0);
    FlagServer server(*this);
    auto paused = evaluate(server, "launch.redemption");
    REQUIRE(paused.status == 200);
    CHECK(paused.json()["value"] == false);
    CHECK(paused.json()["variant"] == "paused");
    CHECK(paused.json()["metadata"]["by"] == "oncall");

    REQUIRE(launchctl({"resume", "redemption"}).exit_code == 0);
    auto resumed_at = std::chrono::steady_clock::now();
    CHECK(within(std::chrono::milliseconds(1000),
                 [&] { return evaluate(server, "launch.redemption").json()["value"] == true; }));
    CHECK(std::chrono::steady_clock::now() - resumed_at < std::chrono::seconds(1));

    auto controls = server.get("/api/launch-controls").json();
    REQUIRE(controls["launch_controls"].size() == 1);
    CHECK(controls["launch_controls"][0]["name"] == "redemption");
    CHECK(controls["launch_controls"][0]["state"] == "running");
}

TEST_CASE_METHOD(StateFixture,
                 "bulk OFREP evaluation carries an ETag and answers 304 until a change",
                 "[cli][serve]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    REQUIRE(launchctl({"pause", "payouts", "--reason", "drill"}).exit_code == 0);
    FlagServer server(*this);
    auto body = context_body({{"targetingKey", "u-7"}});
    auto first = server.post("/ofrep/v1/evaluate/flags", body);
    REQUIRE(first.status == 200);
    auto etag = first.headers["etag"];
    REQUIRE_FALSE(etag.empty());
    auto items = first.json()["flags"];
    REQUIRE(items.size() == 2);
    CHECK(items[0]["key"] == "checkout");
    CHECK(items[1]["key"] == "launch.payouts");

    auto unchanged = server.post("/ofrep/v1/evaluate/flags", body, {{"If-None-Match", etag}});
    CHECK(unchanged.status == 304);
    CHECK(unchanged.body.empty());
    auto other_tag = server.post("/ofrep/v1/evaluate/flags", body, {{"If-None-Match", "\"x\""}});
    CHECK(other_tag.status == 200);

    REQUIRE(flags({"enable", "checkout"}).exit_code == 0);
    CHECK(within(std::chrono::milliseconds(1000), [&] {
        return server.post("/ofrep/v1/evaluate/flags", body, {{"If-None-Match", etag}}).status ==
               200;
    }));
}

TEST_CASE_METHOD(StateFixture, "bad requests get OFREP's errors and change nothing",
                 "[cli][serve]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    FlagServer server(*this);
    auto parse = server.post("/ofrep/v1/evaluate/flags/checkout", "{\"context\": ");
    CHECK(parse.status == 400);
    CHECK(parse.json()["errorCode"] == "PARSE_ERROR");
    auto not_object = server.post("/ofrep/v1/evaluate/flags/checkout", R"({"context": 5})");
    CHECK(not_object.status == 400);
    CHECK(not_object.json()["errorCode"] == "INVALID_CONTEXT");
    auto nested = evaluate(server, "checkout", {{"region", {{"deep", 1}}}});
    CHECK(nested.status == 400);
    CHECK(nested.json()["errorCode"] == "INVALID_CONTEXT");
    CHECK_THAT(nested.json()["errorDetails"].get<std::string>(), Catch::Contains("region"));
    auto deep = server.post("/ofrep/v1/evaluate/flags/checkout",
                            std::string(10000, '[') + std::string(10000, ']'));
    CHECK(deep.status == 400);
    auto bulk_parse = server.post("/ofrep/v1/evaluate/flags", "not json");
    CHECK(bulk_parse.status == 400);
    CHECK(bulk_parse.json()["errorCode"] == "PARSE_ERROR");

    auto huge = server.post("/ofrep/v1/evaluate/flags/checkout",
                            context_body({{"blob", std::string(100 * 1024, 'x')}}));
    CHECK(huge.status == 413);
    auto unknown = server.get("/no/such/route");
    CHECK(unknown.status == 404);
    CHECK_THAT(unknown.json()["error"].get<std::string>(), Catch::Contains("/no/such/route"));

    auto configuration = server.get("/ofrep/v1/configuration");
    CHECK(configuration.status == 200);
    CHECK(configuration.json()["name"] == "launchkit");
    CHECK(configuration.json()["capabilities"]["cacheInvalidation"]["polling"]["enabled"] == true);
    CHECK(server.get("/health/live").status == 200);
    auto ready = server.get("/health/ready");
    CHECK(ready.status == 200);
    CHECK(ready.json()["status"] == "ready");
    CHECK(flags({"history", "checkout", "--json"}).exit_code == 0);
    CHECK(server.stop() == 0);
    launchkit::testing::require_intact(*this);
}

TEST_CASE_METHOD(StateFixture,
                 "the runbooks' reads: GET /api/feature-flags and /api/feature-flags/NAME",
                 "[cli][serve]") {
    REQUIRE(flags({"create", "btc_mainnet_redemption"}).exit_code == 0);
    REQUIRE(flags({"enable", "btc_mainnet_redemption"}).exit_code == 0);
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    FlagServer server(*this, {"--env", "production"});
    auto list = server.get("/api/feature-flags");
    REQUIRE(list.status == 200);
    REQUIRE(list.json()["flags"].size() == 2);
    CHECK(list.json()["environment"] == "production");
    auto one = server.get("/api/feature-flags/btc_mainnet_redemption");
    REQUIRE(one.status == 200);
    auto as_cli = run_json("feature-flags", {"get", "btc_mainnet_redemption"});
    CHECK(one.json()["enabled"] == as_cli["enabled"]);
    CHECK(one.json()["name"] == "btc_mainnet_redemption");
    CHECK(server.get("/api/feature-flags/nope").status == 404);
}

TEST_CASE_METHOD(StateFixture, "feature-flags serve refuses a bad --listen and a busy port",
                 "[cli][serve]") {
    auto bad = flags({"serve", "--listen", "localhost"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.stderr_text, Catch::Contains("is not HOST:PORT"));
    FlagServer server(*this);
    auto busy = flags({"serve", "--listen", "127.0.0.1:" + std::to_string(server.port())});
    CHECK(busy.exit_code == 3);
    CHECK_THAT(busy.stderr_text, Catch::Contains("cannot listen"));
}

TEST_CASE_METHOD(StateFixture,
                 "through etcd, a change made on another host is served within a second",
                 "[cli][serve][etcd]") {
    launchkit::testing::Environment shared = {
        {"LAUNCHKIT_STORE", launchkit::testing::EtcdCluster::shared().store_url(
                                launchkit::testing::EtcdCluster::unique_prefix("serve"))}};
    REQUIRE(flags({"create", "checkout"}, shared).exit_code == 0);
    FlagServer server(*this, {}, shared);
    CHECK_THAT(server.log(), Catch::Contains("from etcd"));
    CHECK(evaluate(server, "checkout").json()["value"] == false);
    // Another state directory: only etcd connects the two.
    StateFixture other_host;
    REQUIRE(other_host.flags({"enable", "checkout"}, shared).exit_code == 0);
    auto enabled_at = std::chrono::steady_clock::now();
    CHECK(within(std::chrono::milliseconds(1000),
                 [&] { return evaluate(server, "checkout").json()["value"] == true; }));
    CHECK(std::chrono::steady_clock::now() - enabled_at < std::chrono::seconds(1));
    CHECK(server.stop() == 0);
}

TEST_CASE_METHOD(StateFixture, "a store that stops answering makes the server unready, not wrong",
                 "[cli][serve][etcd]") {
    launchkit::testing::EtcdCluster cluster;
    launchkit::testing::Environment store = {
        {"LAUNCHKIT_STORE",
         cluster.store_url(launchkit::testing::EtcdCluster::unique_prefix("ready"))}};
    REQUIRE(flags({"create", "checkout"}, store).exit_code == 0);
    REQUIRE(flags({"enable", "checkout"}, store).exit_code == 0);
    FlagServer server(*this, {}, store);
    CHECK(server.get("/health/ready").status == 200);
    cluster.stop(0);
    CHECK(within(std::chrono::milliseconds(5000),
                 [&] { return server.get("/health/ready").status == 503; }));
    auto unready = server.get("/health/ready").json();
    CHECK(unready["status"] == "store unavailable");
    CHECK_FALSE(unready["error"].get<std::string>().empty());
    // The last snapshot is still served: the flag does not flip for lack of an answer.
    CHECK(evaluate(server, "checkout").json()["value"] == true);
    CHECK(server.get("/health/live").status == 200);
    cluster.start(0);
    CHECK(within(std::chrono::milliseconds(10000),
                 [&] { return server.get("/health/ready").status == 200; }));
    CHECK(server.stop() == 0);
}

// The real executables against a real etcd: machines (here, processes with state directories of
// their own) that share an etcd prefix share flags and launch controls, lose no concurrent
// update, and fail plainly when etcd cannot be reached.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/etcd_server.h"
#include "support/background_process.h"
#include "support/state_fixture.h"

using launchkit::testing::Environment;
using launchkit::testing::EtcdCluster;
using launchkit::testing::run_concurrently;
using launchkit::testing::StateFixture;

namespace {

// A prefix of its own per test on the shared cluster, named the way users name a store.
Environment shared_store() {
    return {
        {"LAUNCHKIT_STORE", EtcdCluster::shared().store_url(EtcdCluster::unique_prefix("cli"))}};
}

}  // namespace

TEST_CASE("machines sharing an etcd prefix see one truth", "[cli][etcd]") {
    auto store = shared_store();
    StateFixture laptop, ci_runner;  // separate state directories: separate machines

    REQUIRE(laptop.flags({"create", "checkout-v2"}, store).exit_code == 0);
    auto enabled = laptop.flags({"enable", "checkout-v2", "--reason", "launch"}, store);
    INFO(enabled.stderr_text);
    REQUIRE(enabled.exit_code == 0);
    CHECK(ci_runner.flags({"get", "checkout-v2"}, store).exit_code == 0);
    // The embedded store of the same machine is another store: the flag is not there.
    CHECK(ci_runner.flags({"get", "checkout-v2"}).exit_code == 2);

    REQUIRE(ci_runner.launchctl({"pause", "redemption", "--reason", "incident"}, store).exit_code ==
            0);
    CHECK(laptop.launchctl({"status", "redemption"}, store).exit_code == 1);
    auto status = nlohmann::json::parse(
        laptop.launchctl({"status", "redemption", "--json"}, store).stdout_text);
    CHECK(status.dump().find("incident") != std::string::npos);

    auto history = nlohmann::json::parse(
        laptop.flags({"history", "checkout-v2", "--json"}, store).stdout_text);
    CHECK(history.dump().find("launch") != std::string::npos);
    auto verify =
        nlohmann::json::parse(laptop.flags({"audit", "--verify", "--json"}, store).stdout_text);
    CHECK(verify["intact"] == true);
    CHECK(verify["records"] == 3);

    // --store on the command line names the same store.
    auto url = store[0].second;
    CHECK(laptop.flags({"--store", url, "get", "checkout-v2"}).exit_code == 0);
}

TEST_CASE("64 processes toggling and incrementing against etcd lose no update",
          "[cli][etcd][concurrency]") {
    auto store = shared_store();
    StateFixture fixture;
    constexpr int writers = 64;
    REQUIRE(fixture.flags({"create", "ramp"}, store).exit_code == 0);
    REQUIRE(fixture.flags({"set", "ramp", "--rollout", "0"}, store).exit_code == 0);
    std::vector<launchkit::util::ProcessSpec> increments, toggles;
    for (int i = 0; i < writers; ++i) {
        increments.push_back(
            fixture.spec("feature-flags", {"set", "ramp", "--rollout", "+1"}, store));
        toggles.push_back(
            fixture.spec("feature-flags", {i % 2 ? "enable" : "disable", "ramp"}, store));
    }
    for (const auto* batch : {&increments, &toggles}) {
        for (const auto& result : run_concurrently(*batch)) {
            INFO(result.stderr_text);
            REQUIRE(result.exit_code == 0);
        }
    }
    auto ramp = nlohmann::json::parse(fixture.flags({"get", "ramp", "--json"}, store).stdout_text);
    CHECK(ramp["rollout"] == writers);
    auto verify =
        nlohmann::json::parse(fixture.flags({"audit", "--verify", "--json"}, store).stdout_text);
    CHECK(verify["intact"] == true);
    // Every increment is a record; toggles that found the flag as they wanted it wrote none.
    CHECK(verify["records"].get<int>() >= 2 + writers + 1);
}

TEST_CASE("an etcd that cannot be reached is exit 3 naming it, a bad URL is exit 2",
          "[cli][etcd]") {
    StateFixture fixture;
    auto port = std::to_string(launchkit::testing::free_port());
    auto down = fixture.flags({"list"}, {{"LAUNCHKIT_STORE", "etcd://127.0.0.1:" + port + "/lk"}});
    CHECK(down.exit_code == 3);
    CHECK_THAT(down.stderr_text,
               Catch::Contains("127.0.0.1:" + port) && Catch::Contains("etcd unreachable"));
    auto paused = fixture.launchctl({"pause", "redemption"},
                                    {{"LAUNCHKIT_STORE", "etcd://127.0.0.1:" + port + "/lk"}});
    CHECK(paused.exit_code == 3);

    auto bad = fixture.flags({"list"}, {{"LAUNCHKIT_STORE", "etcd://127.0.0.1/lk"}});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.stderr_text, Catch::Contains("is not HOST:PORT"));
}

TEST_CASE(
    "etcd stopped in the middle of commands: each exits 0 or 3, and every change is whole "
    "or absent",
    "[cli][etcd]") {
    EtcdCluster cluster(1);  // its own: it is killed
    Environment store{{"LAUNCHKIT_STORE", cluster.store_url("stopped")}};
    StateFixture fixture;
    REQUIRE(fixture.flags({"create", "ramp"}, store).exit_code == 0);
    REQUIRE(fixture.flags({"set", "ramp", "--rollout", "0"}, store).exit_code == 0);
    auto before = nlohmann::json::parse(
                      fixture.flags({"audit", "--verify", "--json"}, store).stdout_text)["records"]
                      .get<int>();
    constexpr int writers = 32;
    std::vector<launchkit::util::ProcessSpec> increments;
    for (int i = 0; i < writers; ++i)
        increments.push_back(
            fixture.spec("feature-flags", {"set", "ramp", "--rollout", "+1"}, store));
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        cluster.stop(0);
    });
    auto results = run_concurrently(increments);
    stopper.join();
    int succeeded = 0, failed = 0;
    for (const auto& result : results) {
        INFO(result.stderr_text);
        CHECK((result.exit_code == 0 || result.exit_code == 3));
        if (result.exit_code == 0) ++succeeded;
        if (result.exit_code == 3) {
            ++failed;
            CHECK_THAT(result.stderr_text, Catch::Contains("etcd"));
        }
    }
    cluster.start(0);
    auto ramp = nlohmann::json::parse(fixture.flags({"get", "ramp", "--json"}, store).stdout_text);
    // An acknowledged change is kept; one whose answer was lost with etcd may have been applied,
    // but whole: the chain verifies and every record is one increment.
    CHECK(ramp["rollout"].get<int>() >= succeeded);
    CHECK(ramp["rollout"].get<int>() <= succeeded + failed);
    auto verify =
        nlohmann::json::parse(fixture.flags({"audit", "--verify", "--json"}, store).stdout_text);
    CHECK(verify["intact"] == true);
    CHECK(verify["records"].get<int>() == before + ramp["rollout"].get<int>());
}

TEST_CASE("doctor examines the shared store when one is named", "[cli][etcd][doctor]") {
    auto store = shared_store();
    StateFixture fixture;
    REQUIRE(fixture.flags({"create", "search-rewrite"}, store).exit_code == 0);
    auto report = fixture.run_json("release-manager", {"doctor", "--no-backups"}, store);
    nlohmann::json store_check;
    for (const auto& check : report["checks"])
        if (check["name"] == "store") store_check = check;
    REQUIRE(store_check.is_object());
    CHECK(store_check["result"] == "ok");
    CHECK_THAT(store_check["detail"].get<std::string>(),
               Catch::Contains("etcd http://127.0.0.1:") && Catch::Contains("1 key") &&
                   Catch::Contains("1 record"));

    auto port = std::to_string(launchkit::testing::free_port());
    auto down = fixture.run("release-manager", {"doctor", "--no-backups", "--json"},
                            {{"LAUNCHKIT_STORE", "etcd://127.0.0.1:" + port + "/lk"}});
    CHECK(down.exit_code == 1);
    CHECK_THAT(down.stdout_text, Catch::Contains("etcd unreachable"));
}

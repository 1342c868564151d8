// A real OpenFeature client, nobody's code here (the Node server SDK with the OFREP provider,
// pinned by tests/serve/openfeature-client/package-lock.json), against `feature-flags serve`.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "flags/flag_evaluation.h"
#include "flags/segment_repository.h"
#include "store/file_store.h"
#include "support/flag_server.h"
#include "support/node_package.h"
#include "support/state_fixture.h"

using launchkit::testing::FlagServer;
using launchkit::testing::StateFixture;

namespace {

const std::string client_script =
    std::string(LAUNCHKIT_SOURCE_DIR) + "/tests/serve/openfeature-client/evaluate.js";

nlohmann::json ask(const StateFixture& fixture, const FlagServer& server,
                   const nlohmann::json& requests) {
    auto modules = launchkit::testing::install_node_package("serve/openfeature-client");
    auto input = fixture.state.write("requests.json", requests.dump());
    return nlohmann::json::parse(launchkit::testing::run_node(
        modules, {client_script, "details", server.url(), input.string()}));
}

}  // namespace

TEST_CASE_METHOD(StateFixture,
                 "an OpenFeature client reads flags, rollouts and missing flags over OFREP",
                 "[cli][serve][npm]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    REQUIRE(flags({"enable", "checkout"}).exit_code == 0);
    REQUIRE(flags({"create", "dark-mode"}).exit_code == 0);
    REQUIRE(flags({"create", "beta"}).exit_code == 0);
    REQUIRE(flags({"set", "beta", "--rollout", "30"}).exit_code == 0);
    REQUIRE(flags({"enable", "beta"}).exit_code == 0);
    REQUIRE(flags({"create", "theme"}).exit_code == 0);
    REQUIRE(flags({"variant", "add", "theme", "solar", "--payload", "#fdf6e3"}).exit_code == 0);
    REQUIRE(flags({"enable", "theme"}).exit_code == 0);
    FlagServer server(*this);

    auto requests = nlohmann::json::array({
        {{"flag", "checkout"}, {"type", "boolean"}, {"default", false}},
        {{"flag", "dark-mode"}, {"type", "boolean"}, {"default", true}},
        {{"flag", "no-such-flag"}, {"type", "boolean"}, {"default", true}},
        {{"flag", "theme"},
         {"type", "string"},
         {"default", "plain"},
         {"context", {{"targetingKey", "u-1"}}}},
        {{"flag", "checkout"}, {"type", "string"}, {"default", "x"}},
    });
    constexpr int keys = 1000;
    for (int i = 0; i < keys; ++i)
        requests.push_back({{"flag", "beta"},
                            {"type", "boolean"},
                            {"default", false},
                            {"context", {{"targetingKey", "user-" + std::to_string(i)}}}});
    auto answers = ask(*this, server, requests);
    REQUIRE(answers.size() == requests.size());

    CHECK(answers[0] ==
          nlohmann::json(
              {{"value", true}, {"reason", "STATIC"}, {"variant", "on"}, {"errorCode", nullptr}}));
    CHECK(answers[1]["value"] == false);
    CHECK(answers[1]["reason"] == "DISABLED");
    CHECK(answers[2]["value"] == true);  // the caller's default
    CHECK(answers[2]["errorCode"] == "FLAG_NOT_FOUND");
    CHECK(answers[3]["value"] == "#fdf6e3");
    CHECK(answers[3]["variant"] == "solar");
    CHECK(answers[4]["value"] == "x");  // a boolean asked for as a string: the default
    CHECK(answers[4]["errorCode"] == "TYPE_MISMATCH");

    // The 30 % rollout, key by key, as `feature-flags eval` buckets it (the library call eval
    // makes for all 1,000, the executable for a sample).
    launchkit::store::FileStore store(store_dir());
    auto targeting = launchkit::flags::load_targeting(store, "production");
    REQUIRE(targeting);
    int on = 0;
    for (int i = 0; i < keys; ++i) {
        auto key = "user-" + std::to_string(i);
        launchkit::flags::EvaluationContext context;
        context.set("userId", key);
        bool expected = launchkit::flags::evaluate_flag(*targeting, "beta", context).enabled;
        const auto& answer = answers[5 + i];
        INFO(key);
        CHECK(answer["value"] == expected);
        CHECK(answer["reason"] == (expected ? "SPLIT" : "DEFAULT"));
        if (i % 50 == 0)
            CHECK((flags({"eval", "beta", "--subject", key}).exit_code == 0) == expected);
        on += expected;
    }
    CHECK(on > 240);
    CHECK(on < 360);
}

TEST_CASE_METHOD(StateFixture, "an OpenFeature client sees launchctl pause within a second",
                 "[cli][serve][npm]") {
    // A control with a record, running: served as true (not a missing flag's default).
    REQUIRE(launchctl({"pause", "redemption", "--reason", "drill"}).exit_code == 0);
    REQUIRE(launchctl({"resume", "redemption"}).exit_code == 0);
    FlagServer server(*this);
    CHECK(server.post("/ofrep/v1/evaluate/flags/launch.redemption", "{}").json()["value"] == true);
    auto pause = spec("launchctl", {"pause", "redemption", "--reason", "incident 7"});
    auto command = nlohmann::json::array();
    for (const auto& argument : pause.argv) command.push_back(argument);
    auto command_file = state.write("pause.json", command.dump());
    auto modules = launchkit::testing::install_node_package("serve/openfeature-client");
    auto watched = nlohmann::json::parse(
        launchkit::testing::run_node(modules, {client_script, "pause-and-watch", server.url(),
                                               "launch.redemption", command_file.string()}));
    CHECK(watched["before"] == true);
    CHECK(watched["after"] == false);
    CHECK(watched["milliseconds"].get<int>() < 1000);
    CHECK(run_json("launchctl", {"status", "redemption"}, {}, 1).dump().find("incident 7") !=
          std::string::npos);
}

// Black-box tests of targeting through `feature-flags`: strategies, segments, variants and
// dependencies written from the command line, validated before anything is stored, audited, and
// answered by `eval` with the reasons.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "flags/bucketing.h"
#include "support/state_fixture.h"

using launchkit::testing::StateFixture;

namespace {

// A user inside a rollout of `percent` for `group`, and one outside it.
std::pair<std::string, std::string> users_around(const std::string& group, int percent) {
    std::string inside;
    std::string outside;
    for (int i = 0; inside.empty() || outside.empty(); ++i) {
        auto id = "user-" + std::to_string(i);
        (launchkit::flags::rollout_bucket(group, id) <= percent ? inside : outside) = id;
    }
    return {inside, outside};
}

}  // namespace

TEST_CASE_METHOD(StateFixture, "internal users first, then a share of one region on new apps",
                 "[cli][flags][targeting]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    auto segment = flags({"segment", "create", "internal", "--constraint",
                          "email STR_ENDS_WITH/i @example.com", "--description", "staff"});
    INFO(segment.stderr_text);
    REQUIRE(segment.exit_code == 0);
    REQUIRE(flags({"strategy", "add", "checkout", "--strategy", "default", "--segment", "internal"})
                .exit_code == 0);
    auto rollout = flags({"strategy", "add", "checkout", "--strategy", "flexibleRollout",
                          "--rollout", "20", "--constraint", "region IN eu,us", "--constraint",
                          "appVersion SEMVER_GTE 2.3.0", "--reason", "beta"});
    INFO(rollout.stderr_text);
    REQUIRE(rollout.exit_code == 0);
    CHECK_THAT(rollout.stdout_text, Catch::Contains("added strategy 2: flexibleRollout 20 %"));
    CHECK_THAT(rollout.stderr_text, Catch::Contains("checkout is off in production"));

    // Off in the environment: off for everyone, whatever the strategies say.
    auto off = flags({"eval", "checkout", "--context", "email=ana@example.com"});
    CHECK(off.exit_code == 1);
    CHECK_THAT(off.stdout_text, Catch::Contains("the flag is off in this environment"));
    REQUIRE(flags({"enable", "checkout"}).exit_code == 0);

    auto staff = flags({"eval", "checkout", "--context", "email=Ana@EXAMPLE.com"});
    CHECK(staff.exit_code == 0);
    CHECK_THAT(staff.stdout_text, Catch::Contains("checkout in production: on"));
    CHECK_THAT(staff.stdout_text,
               Catch::Contains("strategy 1 (default, segment internal): matched"));

    auto [inside, outside] = users_around("checkout", 20);
    auto beta = flags({"eval", "checkout", "--subject", inside, "--context", "region=eu",
                       "--context", "appVersion=2.4.1"});
    CHECK(beta.exit_code == 0);
    auto old_app = flags({"eval", "checkout", "--subject", inside, "--context", "region=eu",
                          "--context", "appVersion=2.2.0", "--json"});
    CHECK(old_app.exit_code == 1);
    auto answer = nlohmann::json::parse(old_app.stdout_text);
    CHECK(answer["on"] == false);
    CHECK(answer["strategy"].is_null());
    CHECK(answer["variant"]["name"] == "disabled");
    CHECK(answer["context"]["properties"]["appVersion"] == "2.2.0");
    REQUIRE(answer["reasons"].size() == 2);
    CHECK_THAT(answer["reasons"][1].get<std::string>(),
               Catch::Contains("constraint 2 'appVersion SEMVER_GTE 2.3.0' is false "
                               "(appVersion is '2.2.0')"));
    CHECK(flags({"eval", "checkout", "--subject", outside, "--context", "region=eu", "--context",
                 "appVersion=2.4.1"})
              .exit_code == 1);

    // A context file in Unleash's shape gives the same answers.
    auto context_file = state.path() / "context.json";
    std::ofstream(context_file) << nlohmann::json{
        {"userId", inside}, {"properties", {{"region", "us"}, {"appVersion", "2.3.0"}}}};
    CHECK(flags({"eval", "checkout", "--context-file", context_file.string()}).exit_code == 0);

    auto list = flags({"strategy", "list", "checkout", "--json"});
    REQUIRE(list.exit_code == 0);
    auto strategies = nlohmann::json::parse(list.stdout_text);
    CHECK(strategies["explicit"] == true);
    REQUIRE(strategies["strategies"].size() == 2);
    CHECK(strategies["strategies"][1]["parameters"]["groupId"] == "checkout");
    CHECK(strategies["strategies"][1]["constraints"][0]["values"] == nlohmann::json({"eu", "us"}));

    // The rollout of a canary still moves, through the plain rollout strategy when there is one.
    REQUIRE(
        flags({"strategy", "add", "checkout", "--strategy", "flexibleRollout", "--rollout", "5"})
            .exit_code == 0);
    auto ramp = flags({"set", "checkout", "--rollout", "50"});
    INFO(ramp.stderr_text);
    REQUIRE(ramp.exit_code == 0);
    auto after =
        nlohmann::json::parse(flags({"strategy", "list", "checkout", "--json"}).stdout_text);
    CHECK(after["strategies"][2]["parameters"]["rollout"] == "50");

    auto history = flags({"history", "checkout"});
    CHECK_THAT(history.stdout_text, Catch::Contains("production: strategies its rollout → 1"));
    CHECK_THAT(history.stdout_text, Catch::Contains("beta"));
    CHECK(flags({"audit", "--verify"}).exit_code == 0);
}

TEST_CASE_METHOD(StateFixture, "targeting that cannot work is refused before anything is stored",
                 "[cli][flags][targeting]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    auto before = flags({"history", "checkout", "--json"}).stdout_text;
    struct Case {
        std::vector<std::string> arguments;
        const char* message;
    };
    for (const auto& [arguments, message] : {
             Case{{"strategy", "add", "checkout", "--strategy", "gradual"},
                  "--strategy 'gradual': unknown strategy"},
             Case{{"strategy", "add", "checkout", "--strategy", "flexibleRollout", "--rollout",
                   "150"},
                  "parameters.rollout: expected a percentage from 0 to 100, got '150'"},
             Case{{"strategy", "add", "checkout", "--strategy", "default", "--constraint",
                   "region LIKE eu"},
                  "('LIKE' is no operator)"},
             Case{{"strategy", "add", "checkout", "--strategy", "default", "--constraint",
                   "appVersion SEMVER_GT 2"},
                  "expected a semantic version such as 2.3.0, got '2'"},
             Case{{"strategy", "add", "checkout", "--strategy", "remoteAddress", "--ips",
                   "10.0.0.0/8, 300.1.1.1"},
                  "parameters.IPs: '300.1.1.1' is not an IP address"},
             Case{{"strategy", "add", "checkout", "--strategy", "default", "--segment", "staf"},
                  "no such segment 'staf'"},
             Case{{"strategy", "add", "checkout", "--strategy", "userWithId"},
                  "userWithId needs --user-ids"},
             Case{{"strategy", "add", "checkout", "--strategy", "default", "--rollout", "5"},
                  "--rollout belongs to flexibleRollout, not default"},
             Case{{"variant", "add", "checkout", "a", "--weight", "1200"},
                  "weight: expected a whole number from 0 to 1000"},
             Case{{"variant", "add", "checkout", "a", "--payload-type", "json", "--payload",
                   "{oops"},
                  "a json payload must be valid JSON"},
             Case{{"strategy", "remove", "checkout", "1"}, "targets by its rollout alone"},
             Case{{"segment", "create", "bad", "--constraint", "n NUM_LT lots"},
                  "expected a number, got 'lots'"},
             Case{{"dependency", "add", "checkout", "checkout"}, "a flag cannot depend on itself"},
         }) {
        auto refused = flags(arguments);
        INFO(fmt::format("{}", fmt::join(arguments, " ")));
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.stderr_text, Catch::Contains(message));
    }
    CHECK(flags({"history", "checkout", "--json"}).stdout_text == before);
    CHECK(flags({"segment", "list", "--json"}).stdout_text.find("bad") == std::string::npos);
}

TEST_CASE_METHOD(StateFixture, "variants, the last strategy, segments in use, dependencies",
                 "[cli][flags][targeting]") {
    REQUIRE(flags({"create", "search"}).exit_code == 0);
    REQUIRE(flags({"create", "search-ui"}).exit_code == 0);
    REQUIRE(flags({"enable", "search"}).exit_code == 0);
    REQUIRE(flags({"enable", "search-ui"}).exit_code == 0);

    REQUIRE(flags({"variant", "add", "search", "fast", "--payload", "v2"}).exit_code == 0);
    auto fixed = flags({"variant", "add", "search", "control", "--weight", "300", "--override",
                        "userId=qa-1,qa-2"});
    INFO(fixed.stderr_text);
    REQUIRE(fixed.exit_code == 0);
    CHECK_THAT(fixed.stdout_text, Catch::Contains("fast 70%, control 30%"));
    // The same variant again changes nothing, and records nothing. Change times have whole
    // seconds: a second later, a stamp written anyway would differ.
    auto history_before = flags({"history", "search", "--json"}).stdout_text;
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    REQUIRE(flags({"variant", "add", "search", "control", "--weight", "300", "--override",
                   "userId=qa-1,qa-2"})
                .exit_code == 0);
    CHECK(flags({"history", "search", "--json"}).stdout_text == history_before);
    auto qa =
        nlohmann::json::parse(flags({"eval", "search", "--subject", "qa-2", "--json"}).stdout_text);
    CHECK(qa["variant"]["name"] == "control");
    int fast = 0;
    for (int i = 0; i < 200; ++i) {
        auto answer = nlohmann::json::parse(
            flags({"eval", "search", "--subject", "u" + std::to_string(i), "--json"}).stdout_text);
        fast += answer["variant"]["name"] == "fast";
        if (answer["variant"]["name"] == "fast")
            CHECK(answer["variant"]["payload"] ==
                  nlohmann::json({{"type", "string"}, {"value", "v2"}}));
    }
    CHECK(fast > 110);
    CHECK(fast < 170);

    // The child follows its parent's variant.
    REQUIRE(flags({"dependency", "add", "search-ui", "search", "--variant", "control"}).exit_code ==
            0);
    CHECK(flags({"eval", "search-ui", "--subject", "qa-1"}).exit_code == 0);
    REQUIRE(flags({"disable", "search"}).exit_code == 0);
    auto parent_off = flags({"eval", "search-ui", "--subject", "qa-1"});
    CHECK(parent_off.exit_code == 1);
    CHECK_THAT(parent_off.stdout_text, Catch::Contains("parent 'search' is off"));
    auto chained = flags({"dependency", "add", "search", "search-ui"});
    CHECK(chained.exit_code == 2);
    CHECK_THAT(chained.stderr_text, Catch::Contains("'search-ui' depends on 'search' itself"));

    // The last strategy cannot go: an empty list is "everyone" in Unleash.
    REQUIRE(flags({"segment", "create", "staff", "--constraint", "team IN core"}).exit_code == 0);
    REQUIRE(flags({"strategy", "add", "search", "--strategy", "default", "--segment", "staff"})
                .exit_code == 0);
    auto last = flags({"strategy", "remove", "search", "1"});
    CHECK(last.exit_code == 2);
    CHECK_THAT(last.stderr_text, Catch::Contains("would turn search on for everyone"));
    auto in_use = flags({"segment", "delete", "staff"});
    CHECK(in_use.exit_code == 2);
    CHECK_THAT(in_use.stderr_text, Catch::Contains("used by search (production)"));
}

TEST_CASE_METHOD(StateFixture, "export and import carry targeting, segments and dependencies",
                 "[cli][flags][targeting]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    REQUIRE(flags({"create", "checkout-ui"}).exit_code == 0);
    REQUIRE(flags({"segment", "create", "eu", "--constraint", "region IN eu,uk"}).exit_code == 0);
    REQUIRE(flags({"set", "checkout", "--rollout", "30"}).exit_code == 0);
    REQUIRE(flags({"strategy", "add", "checkout", "--strategy", "userWithId", "--user-ids",
                   "ana,bo", "--segment", "eu"})
                .exit_code == 0);
    REQUIRE(flags({"variant", "add", "checkout", "one-page"}).exit_code == 0);
    REQUIRE(flags({"variant", "add", "checkout", "classic", "--weight", "250"}).exit_code == 0);
    REQUIRE(flags({"enable", "checkout"}).exit_code == 0);
    REQUIRE(flags({"enable", "checkout-ui"}).exit_code == 0);
    REQUIRE(flags({"dependency", "add", "checkout-ui", "checkout"}).exit_code == 0);

    auto exported = flags({"export", "--format", "yaml"});
    REQUIRE(exported.exit_code == 0);
    CHECK_THAT(exported.stdout_text, Catch::Contains("strategies:"));
    auto document = state.path() / "flags.yaml";
    std::ofstream(document) << exported.stdout_text;

    StateFixture other;
    auto imported = other.flags({"import", document.string()});
    INFO(imported.stderr_text);
    REQUIRE(imported.exit_code == 0);
    CHECK_THAT(imported.stdout_text, Catch::Contains("segment eu: created"));
    std::vector<std::vector<std::string>> contexts;
    for (int i = 0; i < 60; ++i)
        contexts.push_back(
            {"--subject", "u" + std::to_string(i), "--context", i % 2 ? "region=eu" : "region=us"});
    contexts.push_back({"--subject", "ana", "--context", "region=uk"});
    for (const auto& name : {"checkout", "checkout-ui"})
        for (auto arguments : contexts) {
            arguments.insert(arguments.begin(), {"eval", name, "--json"});
            auto here = nlohmann::json::parse(flags(arguments).stdout_text);
            auto there = nlohmann::json::parse(other.flags(arguments).stdout_text);
            REQUIRE(here["on"] == there["on"]);
            REQUIRE(here["variant"] == there["variant"]);
            REQUIRE(here["reasons"] == there["reasons"]);
        }
    // Importing the same document again changes nothing.
    auto again = other.flags({"import", document.string()});
    CHECK_THAT(again.stdout_text, Catch::Contains("0 created, 0 updated, 2 unchanged"));

    // A strategy naming a segment nobody has is refused, and nothing is written.
    auto dangling = state.path() / "dangling.yaml";
    std::ofstream(dangling) << "flags:\n  - name: lonely\n    environments:\n      production:\n"
                               "        enabled: true\n        strategies:\n"
                               "          - {name: default, segments: [ghosts]}\n";
    auto refused = other.flags({"import", dangling.string()});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("no such segment 'ghosts'"));
    CHECK(other.flags({"get", "lonely"}).exit_code == 2);
    auto bad = state.path() / "bad.yaml";
    std::ofstream(bad) << "flags:\n  - name: x\n    environments:\n      production:\n"
                          "        enabled: true\n        strategies:\n"
                          "          - name: flexibleRollout\n"
                          "            parameters: {rollout: 20}\n"
                          "            constraints: [{contextName: v, operator: SEMVER_LT, "
                          "value: two}]\n";
    auto invalid = other.flags({"import", bad.string()});
    CHECK(invalid.exit_code == 2);
    CHECK_THAT(invalid.stderr_text,
               Catch::Contains("bad.yaml:7: flags[0].environments.production.strategies[0]"
                               ".constraints[0].value: expected a semantic version"));
}

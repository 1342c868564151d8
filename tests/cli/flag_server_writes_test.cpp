// Writes through `feature-flags serve`: bearer tokens (none, wrong, right), every request
// validated before anything changes, the token's name as the audited actor, the runbooks' curl
// lines run as written, concurrent writers losing nothing, and the usage counters.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/flag_server.h"
#include "support/state_fixture.h"

using launchkit::testing::FlagServer;
using launchkit::testing::StateFixture;

namespace {

constexpr const char* ops_token = "ops-token-0123456789abcdef";
constexpr const char* ci_token = "ci-token-0123456789abcdef";

std::map<std::string, std::string> bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

// A tokens file only its owner can read, naming two tokens.
std::string tokens_file(const StateFixture& fixture) {
    auto path = fixture.state.write(
        "tokens", std::string("# name token\nops ") + ops_token + "\nci " + ci_token + "\n");
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return path.string();
}

}  // namespace

TEST_CASE_METHOD(StateFixture, "writes need a known bearer token and are audited as its name",
                 "[cli][serve]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    FlagServer server(*this, {"--tokens-file", tokens_file(*this)});
    const std::string enable = "/api/feature-flags/enable";
    const std::string body = R"({"name": "checkout", "reason": "launch"})";

    // Every write route, without a token and with a wrong one: refused, nothing written.
    for (const auto* route :
         {"/api/feature-flags/enable", "/api/feature-flags/disable",
          "/api/launch-controls/redemption/pause", "/api/launch-controls/redemption/resume"}) {
        INFO(route);
        CHECK(server.post(route, body).status == 401);
        CHECK(server.post(route, body, bearer("not-a-token-at-all-0000")).status == 403);
    }
    CHECK(run_json("launchctl", {"status"})["controls"].empty());
    auto anonymous = server.post(enable, body);
    CHECK(anonymous.status == 401);
    CHECK(anonymous.headers["www-authenticate"] == "Bearer realm=\"launchkit\"");
    auto wrong = server.post(enable, body, bearer("ops-token-0123456789abcdeX"));
    CHECK(wrong.status == 403);
    CHECK(flags({"get", "checkout"}).exit_code == 1);  // still off

    auto made = server.post(enable, body, bearer(ops_token));
    REQUIRE(made.status == 200);
    CHECK(made.json()["enabled"] == true);
    CHECK(made.json()["changed"] == true);
    // The writer's next read sees its change at once.
    CHECK(server.post("/ofrep/v1/evaluate/flags/checkout", "{}").json()["value"] == true);
    auto again = server.post(enable, body, bearer(ops_token));
    CHECK(again.json()["changed"] == false);

    auto history = run_json("feature-flags", {"history", "checkout"});
    auto last = history["history"].back();
    CHECK(last["actor"] == "ops");
    CHECK(last["reason"] == "launch");

    // With a rollout, from another token; a launch control paused and resumed.
    auto ramp =
        server.post("/api/feature-flags/enable",
                    R"({"name": "checkout", "rollout": 25, "env": "staging"})", bearer(ci_token));
    REQUIRE(ramp.status == 200);
    CHECK(ramp.json()["environment"] == "staging");
    CHECK(ramp.json()["rollout"] == 25);
    auto pause = server.post("/api/launch-controls/redemption/pause",
                             R"({"reason": "incident 42", "new": true})", bearer(ops_token));
    REQUIRE(pause.status == 200);
    CHECK(pause.json()["state"] == "paused");
    auto status = run_json("launchctl", {"status", "redemption"}, {}, 1);  // 1: paused
    CHECK(status.dump().find("ops") != std::string::npos);
    CHECK(server.post("/api/launch-controls/redemption/resume", "{}", bearer(ops_token))
              .json()["state"] == "running");
    CHECK(server.stop() == 0);
    launchkit::testing::require_intact(*this);
}

TEST_CASE_METHOD(StateFixture, "a bad write is refused whole, naming what is wrong",
                 "[cli][serve]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    FlagServer server(*this, {"--tokens-file", tokens_file(*this)});
    auto before = flags({"history", "checkout", "--json"}).stdout_text;
    struct Case {
        std::string body;
        int status;
        std::string says;
    };
    for (const auto& [body, status, says] : std::vector<Case>{
             {R"({"name": "checkout", "rollout": 150})", 400,
              "rollout: expected a whole number 0-100"},
             {R"({"name": "checkout", "rollout": "25"})", 400, "rollout"},
             {R"({"nam": "checkout"})", 400, "unknown field 'nam'"},
             {R"({"name": 7})", 400, "name: expected a string"},
             {R"({})", 400, "name: required"},
             {R"({"name": "checkout")", 400, "not valid JSON"},
             {R"(["checkout"])", 400, "must be a JSON object"},
             {R"({"name": "Check Out"})", 400, "name"},
             {R"({"name": "checkout", "env": "../prod"})", 400, "env"},
             {R"({"name": "no-such"})", 404, "no such flag 'no-such'"},
         }) {
        auto answer = server.post("/api/feature-flags/enable", body, bearer(ops_token));
        INFO(body << " -> " << answer.body);
        CHECK(answer.status == status);
        CHECK_THAT(answer.json()["error"].get<std::string>(), Catch::Contains(says));
    }
    auto typo = server.post("/api/launch-controls/redemtion/pause", R"({"reason": "x"})",
                            bearer(ops_token));
    CHECK(typo.status == 200);  // no control exists yet: a first name is a new control
    auto near = server.post("/api/launch-controls/redemptio/pause", R"({"reason": "x"})",
                            bearer(ops_token));
    CHECK(near.status == 400);  // one typo from an existing control
    auto huge =
        server.post("/api/feature-flags/enable", std::string(70 * 1024, ' '), bearer(ops_token));
    CHECK(huge.status == 413);
    CHECK(flags({"history", "checkout", "--json"}).stdout_text == before);
}

TEST_CASE_METHOD(
    StateFixture,
    "token settings: none means read-only, a loose file is refused, reads can need one",
    "[cli][serve]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    {
        FlagServer read_only(*this);
        auto refused = read_only.post("/api/feature-flags/enable", R"({"name": "checkout"})",
                                      bearer(ops_token));
        CHECK(refused.status == 403);
        CHECK_THAT(refused.json()["error"].get<std::string>(),
                   Catch::Contains("writes are disabled"));
    }
    auto loose = state.write("loose-tokens", std::string("ops ") + ops_token + "\n");
    std::filesystem::permissions(loose, std::filesystem::perms::owner_read |
                                            std::filesystem::perms::group_read |
                                            std::filesystem::perms::others_read);
    auto refused = flags({"serve", "--listen", "127.0.0.1:0", "--tokens-file", loose.string()});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("others can read it (mode 0444)"));
    CHECK(refused.stderr_text.find(ops_token) == std::string::npos);
    auto short_token =
        flags({"serve", "--listen", "127.0.0.1:0"}, {{"LAUNCHKIT_SERVE_TOKEN", "short"}});
    CHECK(short_token.exit_code == 2);

    FlagServer closed(*this, {"--read-access", "token"},
                      {{"LAUNCHKIT_SERVE_TOKEN", ci_token}, {"LAUNCHKIT_SERVE_TOKEN_NAME", "ci"}});
    CHECK(closed.get("/api/feature-flags").status == 401);
    CHECK(closed.post("/ofrep/v1/evaluate/flags/checkout", "{}").status == 401);
    CHECK(closed.get("/api/feature-flags", bearer(ci_token)).status == 200);
    CHECK(closed.get("/health/live").status == 200);  // probes need no token
    auto made =
        closed.post("/api/feature-flags/enable", R"({"name": "checkout"})", bearer(ci_token));
    CHECK(made.status == 200);
    CHECK(run_json("feature-flags", {"history", "checkout"})["history"].back()["actor"] == "ci");
}

TEST_CASE_METHOD(StateFixture, "the runbooks' curl lines work as written", "[cli][serve]") {
    REQUIRE(flags({"create", "feature-name"}).exit_code == 0);
    REQUIRE(flags({"create", "btc_mainnet_redemption"}).exit_code == 0);
    FlagServer server(*this, {"--tokens-file", tokens_file(*this)});
    // The token reaches curl from ~/.curlrc (mode 600), never from the command line, so the
    // lines stay as the runbooks wrote them; only the port is the test server's.
    auto home = state.write("home/.curlrc",
                            std::string("header = \"Authorization: Bearer ") + ops_token + "\"\n");
    std::filesystem::permissions(
        home, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    launchkit::testing::Environment environment = {{"HOME", (state.path() / "home").string()}};
    auto base = "http://localhost:" + std::to_string(server.port());

    // Mycelia Upgrade Playbook: "Or via API".
    auto enable = launchkit::util::run_process(
        {.argv = {"curl", "-X", "POST", base + "/api/feature-flags/enable", "-H",
                  "Content-Type: application/json", "-d", R"({"name": "feature-name"})"},
         .environment = environment});
    REQUIRE(enable);
    INFO(enable->stdout_text << enable->stderr_text);
    CHECK(enable->exit_code == 0);
    CHECK(nlohmann::json::parse(enable->stdout_text)["enabled"] == true);
    CHECK(flags({"get", "feature-name"}).exit_code == 0);

    // Mycelia Rollback Procedures: "Verify flag status".
    auto verify = launchkit::util::run_process(
        {.argv = {"curl", "-f", base + "/api/feature-flags/btc_mainnet_redemption"},
         .environment = environment});
    REQUIRE(verify);
    CHECK(verify->exit_code == 0);
    CHECK(nlohmann::json::parse(verify->stdout_text)["enabled"] == false);
    auto missing = launchkit::util::run_process(
        {.argv = {"curl", "-f", base + "/api/feature-flags/btc_mainnet_redemtion"},
         .environment = environment});
    REQUIRE(missing);
    CHECK(missing->exit_code == 22);  // curl -f: an HTTP error, 404
}

TEST_CASE_METHOD(StateFixture, "concurrent writers through the API and the CLI lose no update",
                 "[cli][serve]") {
    constexpr int writers = 6;
    for (int i = 0; i < writers; ++i)
        REQUIRE(flags({"create", "flag-" + std::to_string(i)}).exit_code == 0);
    REQUIRE(flags({"create", "cli-flag"}).exit_code == 0);
    FlagServer server(*this, {"--tokens-file", tokens_file(*this)});
    std::vector<std::thread> threads;
    std::vector<int> failures(writers, 0);
    for (int i = 0; i < writers; ++i)
        threads.emplace_back([&, i] {
            auto body = nlohmann::json{{"name", "flag-" + std::to_string(i)}}.dump();
            for (int round = 0; round < 3; ++round) {
                auto path =
                    round % 2 == 0 ? "/api/feature-flags/enable" : "/api/feature-flags/disable";
                if (server.post(path, body, bearer(ops_token)).status != 200) ++failures[i];
            }
        });
    // Meanwhile another process writes the same store.
    for (int round = 0; round < 3; ++round)
        CHECK(flags({round % 2 == 0 ? "enable" : "disable", "cli-flag"}).exit_code == 0);
    for (auto& thread : threads) thread.join();
    CHECK(failures == std::vector<int>(writers, 0));
    for (int i = 0; i < writers; ++i) {
        auto name = "flag-" + std::to_string(i);
        CHECK(flags({"get", name}).exit_code == 0);  // enabled last
        auto history = run_json("feature-flags", {"history", name});
        CHECK(history["history"].size() == 4);  // created, then three changes
    }
    CHECK(run_json("feature-flags", {"history", "cli-flag"})["history"].size() == 4);
    launchkit::testing::require_intact(*this);
}

TEST_CASE_METHOD(StateFixture,
                 "evaluations are counted per flag and result: /metrics and feature-flags usage",
                 "[cli][serve]") {
    REQUIRE(flags({"create", "checkout"}).exit_code == 0);
    REQUIRE(flags({"enable", "checkout"}).exit_code == 0);
    REQUIRE(flags({"create", "dark-mode"}).exit_code == 0);
    FlagServer server(*this);
    for (int i = 0; i < 3; ++i) server.post("/ofrep/v1/evaluate/flags/checkout", "{}");
    server.post("/ofrep/v1/evaluate/flags/dark-mode", "{}");
    server.post("/ofrep/v1/evaluate/flags/whatever", "{}");
    server.post("/ofrep/v1/evaluate/flags", "{}");

    auto metrics = server.get("/metrics");
    REQUIRE(metrics.status == 200);
    CHECK_THAT(
        metrics.body,
        Catch::Contains("launchkit_flag_evaluations_total{flag=\"checkout\",result=\"true\"} 4") &&
            Catch::Contains(
                "launchkit_flag_evaluations_total{flag=\"dark-mode\",result=\"false\"} 2") &&
            Catch::Contains("launchkit_flag_evaluations_total{flag=\"(unknown)\",result=\"FLAG_NOT_"
                            "FOUND\"} 1") &&
            Catch::Contains("launchkit_http_requests_total{route=\"POST "
                            "/ofrep/v1/evaluate/flags/{key}\",code=\"404\"} 1") &&
            Catch::Contains("launchkit_http_request_duration_seconds_bucket{route=\"POST "
                            "/ofrep/v1/evaluate/flags/{key}\",le=\"+Inf\"} 5"));

    auto usage = flags({"usage", "checkout", "--server", server.url(), "--json"});
    INFO(usage.stderr_text);
    REQUIRE(usage.exit_code == 0);
    auto rows = nlohmann::json::parse(usage.stdout_text)["evaluations"];
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == nlohmann::json({{"flag", "checkout"}, {"result", "true"}, {"count", 4}}));
    auto table = flags({"usage", "--server", server.url()});
    CHECK_THAT(table.stdout_text, Catch::Contains("FLAG") && Catch::Contains("dark-mode"));
    CHECK(flags({"usage", "never-asked", "--server", server.url()}).exit_code == 1);
    CHECK(server.stop() == 0);
    CHECK(flags({"usage", "--server", server.url()}).exit_code == 3);
}

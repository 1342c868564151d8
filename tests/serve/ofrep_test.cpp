// OFREP's answers as functions of a snapshot and a request: values, variants and reasons, errors,
// and the bulk answer's entity tag.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "flags/unleash_format.h"
#include "serve/ofrep.h"

using launchkit::serve::evaluate_ofrep_flag;
using launchkit::serve::evaluate_ofrep_flags;
using launchkit::serve::FlagSnapshot;

namespace {

FlagSnapshot snapshot_of(const char* features) {
    auto targeting =
        launchkit::flags::targeting_from_unleash(nlohmann::json::parse(features), "test");
    REQUIRE(targeting);
    FlagSnapshot snapshot;
    snapshot.environment = "production";
    snapshot.revision = 7;
    snapshot.targeting = std::move(*targeting);
    launchkit::flags::LaunchControl paused;
    paused.name = "redemption";
    paused.paused = true;
    paused.since = "2026-12-04T03:00:00Z";
    paused.by = "oncall";
    snapshot.launch_controls = {paused, {.name = "payouts"}};
    return snapshot;
}

const char* features = R"({"features": [
  {"name": "everyone", "enabled": true, "strategies": []},
  {"name": "off", "enabled": false, "strategies": [{"name": "default"}]},
  {"name": "half", "enabled": true, "strategies": [{"name": "flexibleRollout",
    "parameters": {"rollout": "50", "stickiness": "default", "groupId": "half"}}]},
  {"name": "by-session", "enabled": true, "strategies": [{"name": "flexibleRollout",
    "parameters": {"rollout": "50", "stickiness": "sessionId", "groupId": "s"}}]},
  {"name": "eu-only", "enabled": true, "strategies": [{"name": "default",
    "constraints": [{"contextName": "region", "operator": "IN", "values": ["eu"]}]}]},
  {"name": "staff", "enabled": true, "strategies": [{"name": "userWithId",
    "parameters": {"userIds": "ana,bo"}}]},
  {"name": "pricing", "enabled": true, "strategies": [{"name": "default"}], "variants": [
    {"name": "ten", "weight": 500, "stickiness": "default",
     "payload": {"type": "number", "value": "10"}},
    {"name": "config", "weight": 500, "stickiness": "default",
     "payload": {"type": "json", "value": "{\"a\": [1, 2]}"}}]},
  {"name": "banner", "enabled": true, "strategies": [{"name": "default"}], "variants": [
    {"name": "blue", "weight": 1000, "stickiness": "default",
     "payload": {"type": "string", "value": "#00f"}}]}
]})";

nlohmann::json answer(const FlagSnapshot& snapshot, const std::string& key,
                      const nlohmann::json& context, int status = 200) {
    auto reply = evaluate_ofrep_flag(snapshot, key, nlohmann::json{{"context", context}}.dump());
    INFO(key << ": " << reply.body.dump());
    CHECK(reply.status == status);
    return reply.body;
}

}  // namespace

TEST_CASE("OFREP gives a value, a variant and OpenFeature's reason", "[serve][ofrep]") {
    auto snapshot = snapshot_of(features);
    auto everyone = answer(snapshot, "everyone", nlohmann::json::object());
    CHECK(everyone["value"] == true);
    CHECK(everyone["variant"] == "on");
    CHECK(everyone["reason"] == "STATIC");
    CHECK(everyone["metadata"] == nlohmann::json({{"environment", "production"}, {"revision", 7}}));

    CHECK(answer(snapshot, "off", {{"targetingKey", "ana"}})["reason"] == "DISABLED");
    CHECK(answer(snapshot, "eu-only", {{"region", "eu"}})["reason"] == "TARGETING_MATCH");
    auto outside = answer(snapshot, "eu-only", {{"region", "us"}});
    CHECK(outside["value"] == false);
    CHECK(outside["reason"] == "DEFAULT");
    CHECK(answer(snapshot, "staff", {{"targetingKey", "ana"}})["value"] == true);
    CHECK(answer(snapshot, "staff", {{"targetingKey", "cy"}})["value"] == false);
    // An explicit userId wins over targetingKey; other attributes are properties.
    CHECK(answer(snapshot, "staff", {{"targetingKey", "cy"}, {"userId", "bo"}})["value"] == true);

    int split = 0;
    for (int i = 0; i < 100; ++i) {
        auto half = answer(snapshot, "half", {{"targetingKey", "user-" + std::to_string(i)}});
        CHECK(half["reason"] == (half["value"] == true ? "SPLIT" : "DEFAULT"));
        split += half["value"] == true;
    }
    CHECK(split > 30);
    CHECK(split < 70);

    // Variants: the payload, typed, is the value.
    auto pricing = answer(snapshot, "pricing", {{"targetingKey", "ana"}});
    CHECK(pricing["reason"] == "SPLIT");
    if (pricing["variant"] == "ten")
        CHECK(pricing["value"] == 10);
    else
        CHECK(pricing["value"] == nlohmann::json::parse(R"({"a": [1, 2]})"));
    CHECK(answer(snapshot, "banner", nlohmann::json::object())["value"] == "#00f");
}

TEST_CASE("OFREP's errors: not found, no targeting key, unreadable or invalid context",
          "[serve][ofrep]") {
    auto snapshot = snapshot_of(features);
    auto missing = answer(snapshot, "nope", nlohmann::json::object(), 404);
    CHECK(missing == nlohmann::json({{"key", "nope"},
                                     {"errorCode", "FLAG_NOT_FOUND"},
                                     {"errorDetails", "no flag 'nope' in production"}}));
    // A share of subjects needs someone to bucket; a session id is someone too.
    CHECK(answer(snapshot, "half", nlohmann::json::object(), 400)["errorCode"] ==
          "TARGETING_KEY_MISSING");
    CHECK(answer(snapshot, "pricing", nlohmann::json::object(), 400)["errorCode"] ==
          "TARGETING_KEY_MISSING");
    answer(snapshot, "half", {{"sessionId", "s-1"}}, 200);
    // Sticking to a session: no session, no share, and no error (Unleash answers off).
    CHECK(answer(snapshot, "by-session", nlohmann::json::object())["value"] == false);

    CHECK(evaluate_ofrep_flag(snapshot, "everyone", "{").body["errorCode"] == "PARSE_ERROR");
    CHECK(evaluate_ofrep_flag(snapshot, "everyone", "[]").body["errorCode"] == "INVALID_CONTEXT");
    CHECK(evaluate_ofrep_flag(snapshot, "everyone", R"({"context": []})").body["errorCode"] ==
          "INVALID_CONTEXT");
    auto nested = answer(snapshot, "everyone", {{"tags", {"a", "b"}}}, 400);
    CHECK(nested["errorCode"] == "INVALID_CONTEXT");
    CHECK_THAT(nested["errorDetails"].get<std::string>(), Catch::Contains("tags"));
    // No body at all is an empty context.
    CHECK(evaluate_ofrep_flag(snapshot, "everyone", "").status == 200);
    CHECK(evaluate_ofrep_flag(snapshot, "everyone", R"({"context": null})").status == 200);
}

TEST_CASE("OFREP serves launch controls as booleans: true while running", "[serve][ofrep]") {
    auto snapshot = snapshot_of(features);
    auto paused = answer(snapshot, "launch.redemption", nlohmann::json::object());
    CHECK(paused["value"] == false);
    CHECK(paused["variant"] == "paused");
    CHECK(paused["metadata"]["by"] == "oncall");
    CHECK(paused["metadata"]["since"] == "2026-12-04T03:00:00Z");
    CHECK(answer(snapshot, "launch.payouts", nlohmann::json::object())["value"] == true);
    answer(snapshot, "launch.nothing", nlohmann::json::object(), 404);
}

TEST_CASE("bulk OFREP: every flag and control, per-flag errors, an ETag and 304",
          "[serve][ofrep]") {
    auto snapshot = snapshot_of(features);
    auto body = nlohmann::json{{"context", {{"targetingKey", "ana"}}}}.dump();
    auto all = evaluate_ofrep_flags(snapshot, body, "");
    REQUIRE(all.status == 200);
    REQUIRE(all.body["flags"].size() == 10);
    CHECK(all.body["flags"][8]["key"] == "launch.redemption");
    REQUIRE(all.etag.size() == 34);
    CHECK(evaluate_ofrep_flags(snapshot, body, all.etag).status == 304);
    CHECK(evaluate_ofrep_flags(snapshot, body, "\"x\", W/" + all.etag).status == 304);
    CHECK(evaluate_ofrep_flags(snapshot, body, "*").status == 304);
    CHECK(evaluate_ofrep_flags(snapshot, body, "\"other\"").status == 200);
    // Another context is another answer, with another tag.
    auto bo = evaluate_ofrep_flags(snapshot, R"({"context": {"targetingKey": "cy"}})", all.etag);
    CHECK(bo.status == 200);
    CHECK(bo.etag != all.etag);

    auto anonymous = evaluate_ofrep_flags(snapshot, "{}", "");
    REQUIRE(anonymous.status == 200);
    bool saw_missing_key = false;
    for (const auto& item : anonymous.body["flags"])
        if (item["key"] == "half") saw_missing_key = item["errorCode"] == "TARGETING_KEY_MISSING";
    CHECK(saw_missing_key);
    CHECK(evaluate_ofrep_flags(snapshot, "nope", "").body["errorCode"] == "PARSE_ERROR");
}

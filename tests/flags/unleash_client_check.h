// What launchkit's evaluation is compared with the real unleash-client SDK on: the flags in
// tests/flags/unleash-client/flags.json (every strategy, stickiness and variant feature users
// combine) and random contexts, with the rule for which answers the SDK itself makes random.
#pragma once

#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "flags/flag_evaluation.h"

namespace launchkit::testing {

inline nlohmann::json unleash_client_flags() {
    std::ifstream in(std::string(LAUNCHKIT_SOURCE_DIR) + "/tests/flags/unleash-client/flags.json");
    return nlohmann::json::parse(in);
}

inline std::vector<std::string> unleash_client_flag_names(const nlohmann::json& document) {
    std::vector<std::string> names;
    for (const auto& feature : document["features"]) names.push_back(feature["name"]);
    return names;
}

// `count` contexts in Unleash's shape, the same ones for the same seed. Every context can be
// answered without the SDK's randomness under the default stickiness: one without a userId (or
// with an empty one) has a sessionId or a remoteAddress. Values are ASCII: the SDK hashes the
// UTF-16 code units' low bytes, not UTF-8.
inline nlohmann::json random_unleash_contexts(size_t count, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    auto chance = [&](int percent) {
        return std::uniform_int_distribution<int>(0, 99)(random) < percent;
    };
    auto pick = [&](const std::vector<std::string>& values) {
        return values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(random)];
    };
    auto number = [&](int low, int high) {
        return std::uniform_int_distribution<int>(low, high)(random);
    };
    const std::vector<std::string> regions = {"eu-west", "eu-north", "eu-south", "us-east",
                                              "us-west", "ap-south", "EU-WEST"};
    const std::vector<std::string> versions = {
        "2.3.0",  "2.3.1", "2.4.0-beta.1", "2.3.0-rc.1",   "1.9.9",
        "10.0.0", "2.3",   "v2.5.0",       "2.10.0+build", "3.0.0"};
    const std::vector<std::string> mail_domains = {"@example.com", "@EXAMPLE.COM", "@example.org",
                                                   "@shop.example.com", ".example.com"};
    auto contexts = nlohmann::json::array();
    for (size_t i = 0; i < count; ++i) {
        nlohmann::json context = nlohmann::json::object();
        bool has_user = chance(80);
        if (has_user)
            context["userId"] = "u-" + std::to_string(number(0, 100000));
        else if (chance(20))
            context["userId"] = "";
        bool has_session = chance(60);
        bool has_address = chance(50);
        if (!has_user && !has_session && !has_address)
            (chance(50) ? has_session : has_address) = true;
        if (has_session) context["sessionId"] = std::to_string(number(0, 1 << 30));
        if (has_address)
            context["remoteAddress"] = chance(20)
                                           ? "2001:db8::" + std::to_string(number(1, 9999))
                                           : std::to_string(chance(50) ? 10 : number(1, 223)) +
                                                 "." + std::to_string(number(0, 255)) + "." +
                                                 std::to_string(number(0, 255)) + "." +
                                                 std::to_string(number(1, 254));
        nlohmann::json properties = nlohmann::json::object();
        if (chance(80)) properties["region"] = pick(regions);
        if (chance(70)) properties["appVersion"] = pick(versions);
        if (chance(80)) properties["plan"] = pick({"free", "pro", "team"});
        if (chance(70))
            properties["email"] = "user" + std::to_string(number(0, 999)) + pick(mail_domains);
        if (chance(70)) properties["age"] = chance(95) ? std::to_string(number(10, 80)) : "thirty";
        if (chance(90))
            properties["tenant"] = chance(5) ? "acme" : "tenant-" + std::to_string(number(0, 40));
        context["properties"] = properties;
        contexts.push_back(context);
    }
    return contexts;
}

// Which part of an answer the SDK itself draws at random for this context, so no evaluation can
// be compared with it: partial rollouts under the default stickiness draw a random subject for a
// context without userId and sessionId; variants sticking to userId draw one without a userId.
enum class SdkRandomness { none, variant, answer };

inline SdkRandomness sdk_randomness(const std::string& flag, const nlohmann::json& context) {
    auto missing = [&](const char* field) { return context.value(field, std::string()).empty(); };
    if ((flag == "express-shipping" || flag == "strategy-variants") && missing("userId") &&
        missing("sessionId"))
        return SdkRandomness::answer;
    if ((flag == "search-ranking" || flag == "strategy-variants") && missing("userId"))
        return SdkRandomness::variant;
    return SdkRandomness::none;
}

// "" when launchkit's evaluation is the SDK's answer, else what differs.
inline std::string answer_difference(const nlohmann::json& sdk, const flags::FlagEvaluation& ours,
                                     bool compare_variant) {
    std::string difference;
    auto differ = [&](const std::string& field, const std::string& theirs,
                      const std::string& mine) {
        if (theirs != mine) difference += field + ": SDK " + theirs + ", launchkit " + mine + "; ";
    };
    auto text = [](bool value) { return std::string(value ? "true" : "false"); };
    differ("enabled", text(sdk["enabled"].get<bool>()), text(ours.enabled));
    if (!compare_variant) return difference;
    const auto& variant = sdk["variant"];
    differ("feature_enabled", text(variant["feature_enabled"].get<bool>()), text(ours.enabled));
    differ("variant", variant["name"].get<std::string>(), ours.variant);
    differ("variant enabled", text(variant["enabled"].get<bool>()), text(ours.variant_enabled));
    std::string their_payload = variant["payload"].is_null() ? "none" : variant["payload"].dump();
    std::string my_payload =
        ours.payload
            ? nlohmann::json{{"type", ours.payload->type}, {"value", ours.payload->value}}.dump()
            : "none";
    differ("payload", their_payload, my_payload);
    return difference;
}

}  // namespace launchkit::testing

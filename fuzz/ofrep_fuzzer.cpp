// What a client sends `feature-flags serve` (lib/serve): an OFREP request's flag key, its
// If-None-Match header and its body, and an Authorization header, answered from a fixed snapshot.
// Input: KEY \n IF-NONE-MATCH \n BODY. Every answer is one of the protocol's statuses with a body
// that writes out, and nothing a client sends is a token it was not given.
#include "flags/unleash_format.h"
#include "fuzz_input.h"
#include "serve/access_tokens.h"
#include "serve/ofrep.h"
#include "util/bounded_json.h"

using namespace launchkit;

namespace {

const serve::FlagSnapshot& snapshot() {
    static const serve::FlagSnapshot fixed = [] {
        auto document = nlohmann::json::parse(R"({"features": [
          {"name": "on", "enabled": true, "strategies": []},
          {"name": "off", "enabled": false, "strategies": [{"name": "default"}]},
          {"name": "half", "enabled": true, "strategies": [{"name": "flexibleRollout",
            "parameters": {"rollout": "50", "stickiness": "default", "groupId": "half"},
            "constraints": [{"contextName": "appVersion", "operator": "SEMVER_GT", "value": "2.3.0"},
                            {"contextName": "email", "operator": "STR_ENDS_WITH",
                             "values": ["@example.com"], "caseInsensitive": true, "inverted": true}]}],
           "variants": [{"name": "a", "weight": 500, "payload": {"type": "json", "value": "{\"x\": 1}"}},
                        {"name": "b", "weight": 500, "payload": {"type": "number", "value": "2.5"}}]}]})");
        serve::FlagSnapshot made;
        made.environment = "production";
        made.revision = 3;
        made.targeting = *flags::targeting_from_unleash(document, "fuzz");
        made.launch_controls = {
            {.name = "redemption", .paused = true, .since = "2026-01-01T00:00:00Z"}};
        return made;
    }();
    return fixed;
}

void check(const serve::HttpReply& reply) {
    if (reply.status != 200 && reply.status != 304 && reply.status != 400 && reply.status != 404)
        __builtin_trap();
    if (reply.status != 304 && !reply.body.is_object()) __builtin_trap();
    (void)util::dump_json(reply.body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [key, rest] = fuzz::split_once(fuzz::as_text(data, size), "\n");
    auto [if_none_match, body] = fuzz::split_once(rest, "\n");
    check(serve::evaluate_ofrep_flag(snapshot(), key, body));
    check(serve::evaluate_ofrep_flag(snapshot(), "half", body));
    auto bulk = serve::evaluate_ofrep_flags(snapshot(), body, if_none_match);
    check(bulk);
    if (bulk.status == 200 && bulk.etag.size() != 34) __builtin_trap();

    static const std::vector<serve::AccessToken> tokens = {{"ops", "ops-token-0123456789abcdef"}};
    if (auto presented = serve::bearer_token(key)) {
        const auto* found = serve::find_access_token(tokens, *presented);
        if (found && *presented != "ops-token-0123456789abcdef") __builtin_trap();
    }
    return 0;
}

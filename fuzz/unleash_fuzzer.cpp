// Unleash's features/segments JSON (lib/flags/unleash_format.h), which `feature-flags import` and
// later the flag server read: strategies, constraints of every operator, variants, dependencies;
// each flag that reads is then evaluated for a few contexts, with and without reasons.
#include "flags/flag_evaluation.h"
#include "flags/unleash_format.h"
#include "fuzz_input.h"
#include "util/bounded_json.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto json = util::parse_json(fuzz::as_text(data, size), ExitCode::invalid_input);
    if (!json) return 0;
    // A client specification file carries its features under "state".
    const auto& document = json->is_object() && json->contains("state") ? (*json)["state"] : *json;
    auto set = flags::targeting_from_unleash(document, "fuzz.json");
    if (!set) return 0;
    static const char* contexts[] = {
        R"({})",
        R"({"userId": "7", "sessionId": "s", "remoteAddress": "10.1.2.3",
            "currentTime": "2025-06-01T12:00:00Z",
            "properties": {"region": "eu", "appVersion": "2.3.0", "n": "42"}})",
        R"({"userId": "", "remoteAddress": "2001:db8::1", "properties": {"appVersion": "v1"}})",
    };
    for (const char* text : contexts) {
        auto context = flags::context_from_json(nlohmann::json::parse(text), "context");
        if (!context) __builtin_trap();
        for (const auto& [name, flag] : set->flags()) {
            auto quiet = flags::evaluate_flag(*set, name, *context, false);
            auto explained = flags::evaluate_flag(*set, name, *context, true);
            // Reasons never change the answer (random stickiness aside, which a fuzzer's
            // features may use: only the found flag is compared).
            if (quiet.found != explained.found) __builtin_trap();
        }
    }
    (void)flags::to_unleash_json(*set);
    return 0;
}

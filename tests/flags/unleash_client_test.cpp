// launchkit's evaluation against the real unleash-client Node SDK (npm, pinned) on 10,000
// random contexts: the same flags, the same contexts, the same answer, variant and payload.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "flags/flag_evaluation.h"
#include "flags/unleash_client_check.h"
#include "flags/unleash_format.h"
#include "support/unleash_client.h"

using launchkit::flags::context_from_json;
using launchkit::flags::evaluate_flag;

TEST_CASE("10,000 random contexts get the unleash-client SDK's answers and variants",
          "[flags][unleash][npm]") {
    auto document = launchkit::testing::unleash_client_flags();
    auto flags = launchkit::testing::unleash_client_flag_names(document);
    auto contexts = launchkit::testing::random_unleash_contexts(10000, 20261204);
    auto answers = launchkit::testing::unleash_client_answers(document, flags, contexts);

    auto targeting = launchkit::flags::targeting_from_unleash(document, "flags.json");
    REQUIRE(targeting);
    size_t compared = 0;
    size_t differing = 0;
    std::map<std::string, std::set<std::string>> variants_seen;
    for (size_t i = 0; i < contexts.size(); ++i) {
        auto context = context_from_json(contexts[i], "context");
        REQUIRE(context);
        for (size_t f = 0; f < flags.size(); ++f) {
            const auto& sdk = answers[i][f];
            auto randomness = launchkit::testing::sdk_randomness(flags[f], contexts[i]);
            if (randomness == launchkit::testing::SdkRandomness::answer) continue;
            bool compare_variant = randomness == launchkit::testing::SdkRandomness::none;
            auto ours = evaluate_flag(*targeting, flags[f], *context);
            auto difference = launchkit::testing::answer_difference(sdk, ours, compare_variant);
            if (!difference.empty() && ++differing <= 20)
                FAIL_CHECK(flags[f] << " for " << contexts[i].dump() << ": " << difference);
            compared += compare_variant;
            variants_seen[flags[f]].insert(sdk["variant"]["name"].get<std::string>());
        }
    }
    CHECK(differing == 0);
    CHECK(compared > contexts.size() * flags.size() * 9 / 10);
    // The contexts reach every variant and both answers of every flag that can give them.
    for (const auto& feature : document["features"]) {
        auto name = feature["name"].get<std::string>();
        INFO(name << " gave " << variants_seen[name].size() << " variants");
        size_t defined = feature["variants"].size();
        for (const auto& strategy : feature["strategies"])
            if (strategy.contains("variants")) defined += strategy["variants"].size();
        if (name == "strategy-variants") defined -= 1;  // strategy variants hide the flag's own
        bool on_for_everyone = name == "checkout-experiment" || name == "search-ranking";
        if (feature["enabled"].get<bool>())
            CHECK(variants_seen[name].size() == defined + (on_for_everyone ? 0 : 1));
        else
            CHECK(variants_seen[name] == std::set<std::string>{"disabled"});
    }
}

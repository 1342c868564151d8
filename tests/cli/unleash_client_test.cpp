// `feature-flags import` of the flags launchkit is checked against the unleash-client SDK with,
// then `feature-flags eval` for random contexts: the stored flags give the SDK's answers too.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "flags/unleash_client_check.h"
#include "support/state_fixture.h"
#include "support/unleash_client.h"

using launchkit::testing::StateFixture;

namespace {

launchkit::flags::FlagEvaluation evaluation_from_json(const nlohmann::json& answer) {
    launchkit::flags::FlagEvaluation evaluation;
    evaluation.enabled = answer["on"].get<bool>();
    evaluation.variant = answer["variant"]["name"].get<std::string>();
    evaluation.variant_enabled = answer["variant"]["enabled"].get<bool>();
    const auto& payload = answer["variant"].value("payload", nlohmann::json());
    if (!payload.is_null())
        evaluation.payload = launchkit::flags::VariantPayload{payload["type"], payload["value"]};
    return evaluation;
}

}  // namespace

TEST_CASE_METHOD(StateFixture, "imported flags answer feature-flags eval as the unleash-client SDK",
                 "[cli][flags][unleash][npm]") {
    auto document = launchkit::testing::unleash_client_flags();
    auto names = launchkit::testing::unleash_client_flag_names(document);
    auto contexts = launchkit::testing::random_unleash_contexts(30, 4);
    auto answers = launchkit::testing::unleash_client_answers(document, names, contexts);

    auto document_file = state.path() / "unleash.json";
    std::ofstream(document_file) << document.dump();
    auto imported = flags({"import", document_file.string(), "--env", "production"});
    INFO(imported.stderr_text);
    REQUIRE(imported.exit_code == 0);

    size_t compared = 0;
    for (size_t i = 0; i < contexts.size(); ++i) {
        auto context_file = state.path() / "context.json";
        std::ofstream(context_file) << contexts[i].dump();
        for (size_t f = 0; f < names.size(); ++f) {
            auto randomness = launchkit::testing::sdk_randomness(names[f], contexts[i]);
            if (randomness == launchkit::testing::SdkRandomness::answer) continue;
            auto result =
                flags({"eval", names[f], "--context-file", context_file.string(), "--json"});
            INFO(names[f] << " for " << contexts[i].dump() << ": " << result.stderr_text);
            REQUIRE((result.exit_code == 0 || result.exit_code == 1));
            auto ours = evaluation_from_json(nlohmann::json::parse(result.stdout_text));
            CHECK(result.exit_code == (ours.enabled ? 0 : 1));
            CHECK(launchkit::testing::answer_difference(
                      answers[i][f], ours, randomness == launchkit::testing::SdkRandomness::none) ==
                  "");
            ++compared;
        }
    }
    CHECK(compared > 200);
}

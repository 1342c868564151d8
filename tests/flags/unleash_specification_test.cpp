// Unleash's client specification (tests/flags/unleash-specification, Apache-2.0), run through
// launchkit's evaluation: every case whose features launchkit reads must give Unleash's answer,
// and every case left out is listed here with its reason.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "flags/flag_evaluation.h"
#include "flags/unleash_format.h"
#include "unleash_specification.h"

using launchkit::flags::context_from_json;
using launchkit::flags::evaluate_flag;
using launchkit::flags::TargetingSet;

namespace {

using launchkit::testing::read_specification_file;
using launchkit::testing::unleash_features_refused;
using launchkit::testing::unleash_files_left_out;

struct Loaded {
    TargetingSet set;
    std::set<std::string> refused;
};

Loaded load_state(const nlohmann::json& state, const std::string& file) {
    Loaded loaded;
    auto segments_json = state.contains("segments") ? state["segments"] : nlohmann::json();
    auto segments = launchkit::flags::unleash_segments_from_json(segments_json, file);
    REQUIRE(segments);
    for (const auto& [id, segment] : *segments) loaded.set.add_segment(segment);
    const auto& features = state["features"];
    for (size_t i = 0; i < features.size(); ++i) {
        auto flag = launchkit::flags::unleash_feature_from_json(features[i], *segments,
                                                                file + ": features");
        if (flag) {
            loaded.set.add_flag(std::move(*flag));
            continue;
        }
        auto name = features[i].value("name", std::string());
        INFO(file << ": " << flag.error().message);
        auto expected = unleash_features_refused.find(name);
        CHECK(expected != unleash_features_refused.end());
        if (expected != unleash_features_refused.end())
            CHECK_THAT(flag.error().message, Catch::Contains(expected->second));
        loaded.refused.insert(name);
    }
    return loaded;
}

}  // namespace

TEST_CASE("Unleash's client specification: every supported case gives Unleash's answer",
          "[flags][unleash]") {
    auto index = read_specification_file("index.json");
    size_t passed = 0;
    size_t left_out = 0;
    std::set<std::string> refused_seen;
    for (const auto& entry : index) {
        auto file = entry.get<std::string>();
        if (unleash_files_left_out.contains(file)) continue;
        auto specification = read_specification_file(file);
        auto loaded = load_state(specification["state"], file);
        refused_seen.insert(loaded.refused.begin(), loaded.refused.end());
        for (const auto& test : specification.value("tests", nlohmann::json::array())) {
            auto toggle = test["toggleName"].get<std::string>();
            INFO(file << ": " << test["description"].get<std::string>());
            if (loaded.refused.contains(toggle)) {
                ++left_out;
                continue;
            }
            auto context = context_from_json(test["context"], file);
            REQUIRE(context);
            auto result = evaluate_flag(loaded.set, toggle, *context);
            CHECK(result.enabled == test["expectedResult"].get<bool>());
            passed += result.enabled == test["expectedResult"].get<bool>();
        }
        for (const auto& test : specification.value("variantTests", nlohmann::json::array())) {
            auto toggle = test["toggleName"].get<std::string>();
            INFO(file << ": " << test["description"].get<std::string>());
            if (loaded.refused.contains(toggle)) {
                ++left_out;
                continue;
            }
            auto context = context_from_json(test["context"], file);
            REQUIRE(context);
            auto result = evaluate_flag(loaded.set, toggle, *context);
            const auto& expected = test["expectedResult"];
            bool same = result.variant == expected["name"].get<std::string>() &&
                        result.variant_enabled == expected["enabled"].get<bool>();
            CHECK(result.variant == expected["name"].get<std::string>());
            CHECK(result.variant_enabled == expected["enabled"].get<bool>());
            auto feature_enabled = expected.find("feature_enabled");
            if (feature_enabled != expected.end()) {
                CHECK(result.enabled == feature_enabled->get<bool>());
                same = same && result.enabled == feature_enabled->get<bool>();
            }
            if (auto payload = expected.find("payload"); payload != expected.end()) {
                REQUIRE(result.payload);
                CHECK(result.payload->type == (*payload)["type"].get<std::string>());
                CHECK(result.payload->value == (*payload)["value"].get<std::string>());
            } else {
                CHECK_FALSE(result.payload);
            }
            passed += same;
        }
    }
    // The list of refusals stays honest: each one listed was met.
    for (const auto& [name, reason] : unleash_features_refused) CHECK(refused_seen.contains(name));
    WARN("Unleash client specification: " << passed << " cases pass, " << left_out
                                          << " left out (features launchkit refuses)");
    CHECK(passed == 267);
    CHECK(left_out == 8);
}

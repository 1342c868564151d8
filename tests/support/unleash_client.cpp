#include "support/unleash_client.h"

#include <catch2/catch.hpp>

#include <fstream>

#include "support/node_package.h"
#include "support/temp_dir.h"

namespace launchkit::testing {

nlohmann::json unleash_client_answers(const nlohmann::json& features,
                                      const std::vector<std::string>& flags,
                                      const nlohmann::json& contexts) {
    auto modules = install_node_package("flags/unleash-client");
    TempDir work;
    auto input = work.path() / "input.json";
    std::ofstream(input) << nlohmann::json{
        {"features", features},
        {"flags", flags},
        {"contexts", contexts}}.dump();
    auto answers = nlohmann::json::parse(run_node(
        modules, {std::string(LAUNCHKIT_SOURCE_DIR) + "/tests/flags/unleash-client/evaluate.js",
                  input.string()}));
    REQUIRE(answers.size() == contexts.size());
    return answers;
}

}  // namespace launchkit::testing

// Black-box tests of `release-manager compat check` with the shipped seed 001 matrix.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

using launchkit::testing::run_tool;
using launchkit::testing::TempDir;

namespace {

const std::string matrix =
    std::string(LAUNCHKIT_SOURCE_DIR) + "/playbooks/zeitwork-compatibility.yaml";

}  // namespace

TEST_CASE("seed 001's dependency order keeps every pair compatible", "[cli][compat]") {
    auto result =
        run_tool("release-manager",
                 {"compat", "check", matrix, "--upgrade", "database-schema=3", "--upgrade",
                  "operator=1.3.0", "--upgrade", "node-agent=1.3.0", "--upgrade",
                  "load-balancer=1.3.0", "--upgrade", "edge-proxy=1.3.0", "--json"});
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    auto json = nlohmann::json::parse(result.stdout_text);
    CHECK(json["ok"] == true);
    REQUIRE(json["states"].size() == 6);
    CHECK(json["states"][2]["upgrade"]["component"] == "operator");
    CHECK(json["states"][5]["versions"]["edge-proxy"] == "1.3.0");
}

TEST_CASE("an upgrade order that breaks a pair is refused, naming the pair", "[cli][compat]") {
    auto result = run_tool("release-manager", {"compat", "check", matrix, "--upgrade",
                                               "operator=1.3.0", "--upgrade", "database-schema=3"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.stdout_text,
               Catch::Contains("refused: operator 1.2.0 -> 1.3.0: operator 1.3.0 needs "
                               "database-schema >=3, found 2.0.0"));
    // Node agents 1.3.0 need operator 1.3.x: upgrading them first breaks the pair too.
    auto agents_first = run_tool(
        "release-manager", {"compat", "check", matrix, "--upgrade", "node-agent=1.3.0", "--json"});
    CHECK(agents_first.exit_code == 1);
    auto json = nlohmann::json::parse(agents_first.stdout_text);
    // Both sides say so: the operator does not serve 1.3 agents, nor they a 1.2 operator.
    std::set<std::string> broken;
    for (const auto& violation : json["states"][1]["violations"])
        broken.insert(violation["component"].get<std::string>() + " needs " +
                      violation["needs"].get<std::string>() + " found " +
                      violation["found"].get<std::string>());
    CHECK(broken == std::set<std::string>{"operator needs node-agent found 1.3.0",
                                          "node-agent needs operator found 1.2.0"});
}

TEST_CASE("a matrix or upgrade that is wrong is exit 2 naming it", "[cli][compat]") {
    TempDir dir;
    auto unknown =
        run_tool("release-manager", {"compat", "check", matrix, "--upgrade", "opertor=1.3.0"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.stderr_text, Catch::Contains("did you mean 'operator'"));
    auto bad_range = dir.write("bad.yaml", R"(components:
  api: {version: 1.0.0, compatible: {db: "1.2.z"}}
  db: {version: 1.0.0}
)");
    auto result = run_tool("release-manager", {"compat", "check", bad_range.string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("bad.yaml:2") &&
                                       Catch::Contains("components.api.compatible.db") &&
                                       Catch::Contains("'1.2.z'"));
    auto dangling = dir.write("dangling.yaml", R"(components:
  api: {version: 1.0.0, compatible: {cache: "1.x"}}
)");
    auto named = run_tool("release-manager", {"compat", "check", dangling.string()});
    CHECK(named.exit_code == 2);
    CHECK_THAT(named.stderr_text, Catch::Contains("'cache' is not a component"));
}

#include <catch2/catch.hpp>

#include "core/config.h"

using namespace launchkit;

TEST_CASE("environments: the promotion path is validated", "[config]") {
    auto config = parse_config(R"(environments:
  dev:
  staging: {requires: [dev]}
  production: {requires: [staging], approval: true}
)",
                               "launchkit.yaml");
    REQUIRE(config);
    CHECK(config->environments.at("production").required_environments ==
          std::vector<std::string>{"staging"});
    CHECK(config->environments.at("production").approval);
    CHECK(config->environments.at("production").where == "launchkit.yaml:4");
    CHECK_FALSE(config->environments.at("dev").approval);

    auto unknown = parse_config("environments:\n  production: {requires: [stagin]}\n", "l.yaml");
    REQUIRE_FALSE(unknown);
    CHECK(
        unknown.error().message ==
        "l.yaml:2: environments.production.requires: 'stagin' is not declared under environments:");
    auto cycle =
        parse_config("environments:\n  a: {requires: [b]}\n  b: {requires: [a]}\n", "l.yaml");
    REQUIRE_FALSE(cycle);
    CHECK_THAT(cycle.error().message, Catch::Contains("the requirements form a cycle"));
    auto typo = parse_config("environments:\n  a: {aproval: true}\n", "l.yaml");
    REQUIRE_FALSE(typo);
    CHECK_THAT(typo.error().message, Catch::Contains("environments.a.aproval: unknown key"));
}

// Every YAML file launchkit reads is refused (exit 2, naming both lines) when a mapping repeats a
// key, and when it nests deeper than any launchkit file needs.
#include <catch2/catch.hpp>

#include <string>

#include "core/yaml_reader.h"

using launchkit::ExitCode;
using launchkit::load_yaml;

TEST_CASE("a repeated key is refused naming both lines", "[core][yaml]") {
    auto repeated = load_yaml("name: a\nsteps: []\nrollback: []\nrollback:\n  - x\n", "pb.yaml");
    REQUIRE_FALSE(repeated);
    CHECK(repeated.error().code == ExitCode::invalid_input);
    CHECK(repeated.error().message ==
          "pb.yaml:4: key 'rollback' appears twice (first at line 3); keep one");
    auto nested = load_yaml("checks:\n  - {name: a, timeout: 1s, timeout: 2s}\n", "c.yaml");
    REQUIRE_FALSE(nested);
    CHECK(nested.error().message ==
          "c.yaml:2: key 'timeout' appears twice (first at line 2); keep one");
    // The same key in two different mappings is fine.
    CHECK(load_yaml("a: {x: 1}\nb: {x: 2}\n", "ok.yaml"));
}

TEST_CASE("a document nested deeper than 64 levels is refused", "[core][yaml]") {
    std::string deep;
    for (int i = 0; i < 70; ++i) deep += "[";
    for (int i = 0; i < 70; ++i) deep += "]";
    auto refused = load_yaml(deep, "deep.yaml");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ExitCode::invalid_input);
    CHECK_THAT(refused.error().message, Catch::Contains("nested deeper than 64 levels"));
}

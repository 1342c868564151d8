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

// Found by fuzz/config and fuzz/compat_matrix: a key that is a map, a list or null made every
// reader that converts keys to names throw instead of answering an error.
TEST_CASE("a key that is a list, a map or null is refused naming its line", "[core][yaml]") {
    struct Case {
        const char* text;
        const char* message;
    };
    for (auto [text, message] : {
             Case{"environments:\n  staging: {}\n{ }: production\n",
                  "launchkit.yaml:3: a key must be a name, not a map (quote it if it is one)"},
             Case{"components:\n  ? [a, b]\n  : {version: v2}\n",
                  "launchkit.yaml:2: a key must be a name, not a list (quote it if it is one)"},
             Case{"flags:\n  ~: on\n",
                  "launchkit.yaml:2: a key must be a name, not null (quote it if it is one)"},
         }) {
        INFO(text);
        auto refused = load_yaml(text, "launchkit.yaml");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ExitCode::invalid_input);
        CHECK(refused.error().message == message);
    }
    CHECK(load_yaml("'~': quoted\n\"null\": also\n", "ok.yaml"));
}

#include <catch2/catch.hpp>

#include "version/version_range.h"

using launchkit::version::parse_loose_version;
using launchkit::version::parse_semver;
using launchkit::version::parse_version_range;

namespace {

bool matches(const std::string& range, const std::string& version) {
    auto parsed = parse_version_range(range);
    INFO(range << ": " << (parsed ? "" : parsed.error().message));
    REQUIRE(parsed);
    auto semver = parse_semver(version);
    REQUIRE(semver);
    return parsed->contains(*semver);
}

}  // namespace

TEST_CASE("the Zeitwork Platform Upgrade Guide's ranges as the matrix writes them",
          "[version][range]") {
    // "Node Agent v1.1.x - v1.2.x": both ends inclusive of their whole minor series.
    CHECK_FALSE(matches("v1.1.x - v1.2.x", "1.0.9"));
    CHECK(matches("v1.1.x - v1.2.x", "1.1.0"));
    CHECK(matches("v1.1.x - v1.2.x", "1.2.17"));
    CHECK_FALSE(matches("v1.1.x - v1.2.x", "1.3.0"));
    CHECK_FALSE(matches("v1.1.x - v1.2.x", "1.3.0-rc.1"));
    // "Operator v1.2.x+": that series and everything after.
    CHECK_FALSE(matches("v1.2.x+", "1.1.9"));
    CHECK(matches("v1.2.x+", "1.2.0"));
    CHECK(matches("v1.2.x+", "4.0.0"));
    // "All versions".
    CHECK(matches("All versions", "0.0.1"));
    CHECK(matches("*", "9.9.9"));
}

TEST_CASE("comparators, caret, tilde and alternatives", "[version][range]") {
    CHECK(matches(">=1.2.0 <2", "1.9.9"));
    CHECK_FALSE(matches(">=1.2.0 <2", "2.0.0"));
    CHECK_FALSE(matches(">=1.2.0 <2", "2.0.0-alpha"));
    CHECK_FALSE(matches(">=1.2.0 <2", "1.1.9"));
    CHECK(matches(">1.2", "1.3.0"));
    CHECK_FALSE(matches(">1.2", "1.2.9"));
    CHECK(matches("<=1.2", "1.2.9"));
    CHECK_FALSE(matches("<=1.2", "1.3.0"));
    CHECK_FALSE(matches(">1.2.3", "1.2.3"));
    CHECK(matches(">1.2.3", "1.2.4"));
    CHECK(matches("^1.2.3", "1.9.0"));
    CHECK_FALSE(matches("^1.2.3", "2.0.0"));
    CHECK_FALSE(matches("^1.2.3", "1.2.2"));
    CHECK(matches("^0.2.3", "0.2.9"));
    CHECK_FALSE(matches("^0.2.3", "0.3.0"));
    CHECK_FALSE(matches("^0.0.3", "0.0.4"));
    CHECK(matches("~1.2.3", "1.2.9"));
    CHECK_FALSE(matches("~1.2.3", "1.3.0"));
    CHECK(matches("1.2.3", "1.2.3"));
    CHECK_FALSE(matches("1.2.3", "1.2.4"));
    CHECK(matches("1.x || >=3.1", "1.4.0"));
    CHECK(matches("1.x || >=3.1", "3.2.0"));
    CHECK_FALSE(matches("1.x || >=3.1", "2.5.0"));
    CHECK(matches("2", "2.7.1"));
    CHECK_FALSE(matches("2", "3.0.0"));
}

TEST_CASE("invalid ranges name the part at fault", "[version][range]") {
    for (const char* text : {"", "1.2.z", ">=", "1..2", "x.1", "1.2.3.4"}) {
        auto parsed = parse_version_range(text);
        INFO(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == launchkit::ExitCode::invalid_input);
    }
    CHECK_THAT(parse_version_range("1.2.z").error().message, Catch::Contains("'1.2.z'"));
}

TEST_CASE("matrix versions may be written loosely", "[version][range]") {
    CHECK(parse_loose_version("v2")->to_string() == "2.0.0");
    CHECK(parse_loose_version("v1.2.0")->to_string() == "1.2.0");
    CHECK(parse_loose_version("1.2")->to_string() == "1.2.0");
    CHECK(parse_loose_version("1.3.0-rc.1")->to_string() == "1.3.0-rc.1");
    CHECK_FALSE(parse_loose_version("latest"));
}

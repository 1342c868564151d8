#include <catch2/catch.hpp>

#include "version/semver.h"
#include "version/version_range.h"

using launchkit::ExitCode;
using launchkit::version::compare_precedence;
using launchkit::version::parse_loose_version;
using launchkit::version::parse_semver;
using launchkit::version::parse_version_range;
using launchkit::version::precedes;

namespace {

launchkit::version::SemVer must_parse(const std::string& text) {
    auto parsed = parse_semver(text);
    INFO(text << ": " << (parsed ? "" : parsed.error().message));
    REQUIRE(parsed);
    return *parsed;
}

}  // namespace

TEST_CASE("parse_semver reads every part and prints it back unchanged", "[semver]") {
    auto version = must_parse("1.22.333-rc.1.x-y+build.007.sha-5");
    CHECK(version.major == 1);
    CHECK(version.minor == 22);
    CHECK(version.patch == 333);
    CHECK(version.prerelease == std::vector<std::string>{"rc", "1", "x-y"});
    CHECK(version.build == std::vector<std::string>{"build", "007", "sha-5"});
    CHECK(version.to_string() == "1.22.333-rc.1.x-y+build.007.sha-5");
    CHECK(version.is_prerelease());
    CHECK(version.release_part().to_string() == "1.22.333");

    // Valid examples from the semver.org regular-expression test list.
    for (const char* text : {"0.0.4",
                             "1.2.3",
                             "10.20.30",
                             "1.1.2-prerelease+meta",
                             "1.1.2+meta",
                             "1.1.2+meta-valid",
                             "1.0.0-alpha",
                             "1.0.0-beta",
                             "1.0.0-alpha.beta",
                             "1.0.0-alpha.beta.1",
                             "1.0.0-alpha.1",
                             "1.0.0-alpha0.valid",
                             "1.0.0-alpha.0valid",
                             "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
                             "1.0.0-rc.1+build.1",
                             "2.0.0-rc.1+build.123",
                             "1.2.3-beta",
                             "10.2.3-DEV-SNAPSHOT",
                             "1.2.3-SNAPSHOT-123",
                             "2.0.0+build.1848",
                             "2.0.1-alpha.1227",
                             "1.0.0-alpha+beta",
                             "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
                             "1.2.3----R-S.12.9.1--.12+meta",
                             "1.2.3----RC-SNAPSHOT.12.9.1--.12",
                             "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
                             "1.0.0-0A.is.legal",
                             "18446744073709551615.0.0"}) {
        CHECK(must_parse(text).to_string() == text);
    }
}

TEST_CASE("parse_semver rejects invalid versions and names the offending part", "[semver]") {
    struct Case {
        const char* text;
        const char* reason;
    };
    for (auto [text, reason] : {
             Case{"", "empty"},
             Case{"1", "MAJOR.MINOR.PATCH"},
             Case{"1.2", "MAJOR.MINOR.PATCH"},
             Case{"1.2.3.4", "MAJOR.MINOR.PATCH"},
             Case{"v1.2.3", "tag prefix"},
             Case{"01.1.1", "major version '01' has a leading zero"},
             Case{"1.01.1", "minor version '01' has a leading zero"},
             Case{"1.1.01", "patch version '01' has a leading zero"},
             Case{"1.2.3-0123", "pre-release identifier '0123' has a leading zero"},
             Case{"1.2.3-0123.0123", "leading zero"},
             Case{"1.2-SNAPSHOT", "MAJOR.MINOR.PATCH"},
             Case{"1.2.3-", "pre-release has an empty identifier"},
             Case{"1.2.3-alpha..1", "pre-release has an empty identifier"},
             Case{"1.2.3+", "build metadata has an empty identifier"},
             Case{"1.0.0-alpha_beta", "contains '_'"},
             Case{"1.0.0-alpha+beta+gamma", "contains '+'"},
             Case{"a.b.c", "major version 'a' is not a non-negative integer"},
             Case{"1.2.x", "patch version 'x' is not a non-negative integer"},
             Case{"-1.0.3", "MAJOR.MINOR.PATCH"},
             Case{" 1.2.3", "not a non-negative integer"},
             Case{"18446744073709551616.0.0", "too large"},
             Case{"99999999999999999999999.999999999999999999.99999999999999999", "too large"},
         }) {
        auto parsed = parse_semver(text);
        INFO(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ExitCode::invalid_input);
        CHECK_THAT(parsed.error().message, Catch::Contains(reason));
        CHECK_THAT(parsed.error().message, Catch::Contains("'" + std::string(text) + "'"));
    }
}

TEST_CASE("precedence follows the SemVer 2.0.0 example list in full", "[semver]") {
    // Spec item 11: 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1, and
    // 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11
    //   < 1.0.0-rc.1 < 1.0.0.
    for (const auto& chain : std::vector<std::vector<std::string>>{
             {"1.0.0", "2.0.0", "2.1.0", "2.1.1"},
             {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
              "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"}}) {
        for (size_t i = 0; i < chain.size(); ++i) {
            for (size_t j = 0; j < chain.size(); ++j) {
                INFO(chain[i] << " vs " << chain[j]);
                auto order = compare_precedence(must_parse(chain[i]), must_parse(chain[j]));
                CHECK((order < 0) == (i < j));
                CHECK((order == 0) == (i == j));
            }
        }
    }
}

TEST_CASE("precedence ignores build metadata and compares numeric identifiers as numbers",
          "[semver]") {
    CHECK(std::is_eq(compare_precedence(must_parse("1.0.0+a"), must_parse("1.0.0+b"))));
    CHECK(std::is_eq(compare_precedence(must_parse("1.0.0-rc.1+x"), must_parse("1.0.0-rc.1"))));
    CHECK_FALSE(must_parse("1.0.0+a") == must_parse("1.0.0+b"));  // equality is exact
    CHECK(precedes(must_parse("1.0.0-rc.9"), must_parse("1.0.0-rc.10")));
    CHECK(precedes(must_parse("1.0.0-1"), must_parse("1.0.0-a")));  // numeric before alphanumeric
    CHECK(precedes(must_parse("1.0.0-Z"), must_parse("1.0.0-a")));  // ASCII order
    CHECK(precedes(must_parse("1.0.0-99999999999999999999"),
                   must_parse("1.0.0-100000000000000000000")));
    CHECK(precedes(must_parse("1.9.0"), must_parse("1.10.0")));
    CHECK(precedes(must_parse("0.9.9"), must_parse("1.0.0-alpha")));
}

TEST_CASE("a long run of 'v's or an over-long version is refused without recursing on it",
          "[semver]") {
    // Found by the SemVer fuzzer: each leading 'v' was one more recursive call, and each level's
    // error repeated the whole text (a stack overflow at 60,000, quadratic time long before).
    auto many_vs = parse_semver(std::string(200'000, 'v'));
    REQUIRE_FALSE(many_vs);
    CHECK(many_vs.error().code == ExitCode::invalid_input);
    CHECK_THAT(many_vs.error().message, Catch::Contains("at most 256 are accepted"));
    CHECK(many_vs.error().message.size() < 300);
    CHECK_FALSE(parse_semver("vv1.0.0"));
    CHECK_THAT(parse_semver("v1.0.0").error().message, Catch::Contains("leave out the tag prefix"));
    CHECK(parse_semver("1.0.0-" + std::string(240, 'a')));
    CHECK_FALSE(parse_semver("1.0.0-" + std::string(260, 'a')));
    CHECK_FALSE(parse_loose_version(std::string(100'000, 'v')));
    auto range = parse_version_range(std::string(100'000, 'v'));
    REQUIRE_FALSE(range);
    CHECK(range.error().message.size() < 300);
}

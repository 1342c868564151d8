#include <catch2/catch.hpp>

#include "version/bump.h"

using namespace launchkit::version;

namespace {

SemVer v(const std::string& text) {
    return *parse_semver(text);
}

ConventionalCommit commit(const std::string& subject, const std::string& body = "") {
    return parse_conventional_commit(subject, body);
}

}  // namespace

TEST_CASE("bump increments one part and resets the lower ones", "[bump]") {
    CHECK(bump(v("1.2.3"), BumpKind::patch).to_string() == "1.2.4");
    CHECK(bump(v("1.2.3"), BumpKind::minor).to_string() == "1.3.0");
    CHECK(bump(v("1.2.3"), BumpKind::major).to_string() == "2.0.0");
    CHECK(bump(v("0.0.0"), BumpKind::minor).to_string() == "0.1.0");
}

TEST_CASE("bumping a pre-release completes it, as node-semver's inc does", "[bump]") {
    CHECK(bump(v("1.2.3-rc.1+b"), BumpKind::patch).to_string() == "1.2.3");
    CHECK(bump(v("1.0.0-rc.1"), BumpKind::patch).to_string() == "1.0.0");
    CHECK(bump(v("1.0.0-rc.1"), BumpKind::minor).to_string() == "1.0.0");
    CHECK(bump(v("1.0.0-rc.1"), BumpKind::major).to_string() == "1.0.0");
    CHECK(bump(v("1.2.1-rc.1"), BumpKind::minor).to_string() == "1.3.0");
    CHECK(bump(v("1.2.0-rc.1"), BumpKind::minor).to_string() == "1.2.0");
    CHECK(bump(v("1.2.0-rc.1"), BumpKind::major).to_string() == "2.0.0");
    CHECK(bump(v("2.0.0-beta.3"), BumpKind::major).to_string() == "2.0.0");
}

TEST_CASE("parse_bump_kind accepts the three kinds only", "[bump]") {
    CHECK(*parse_bump_kind("major") == BumpKind::major);
    CHECK(*parse_bump_kind("minor") == BumpKind::minor);
    CHECK(*parse_bump_kind("patch") == BumpKind::patch);
    auto bad = parse_bump_kind("mayor");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == launchkit::ExitCode::invalid_input);
    CHECK_THAT(bad.error().message, Catch::Contains("'mayor'"));
}

TEST_CASE("bump_for_commits takes the largest bump the commits call for", "[bump]") {
    auto one = v("1.4.2");
    CHECK(bump_for_commits({}, one) == BumpKind::none);
    CHECK(bump_for_commits({commit("docs: typo"), commit("chore: deps"), commit("Update x")},
                           one) == BumpKind::none);
    CHECK(bump_for_commits({commit("docs: typo"), commit("fix: crash")}, one) == BumpKind::patch);
    CHECK(bump_for_commits({commit("perf: faster")}, one) == BumpKind::patch);
    CHECK(bump_for_commits({commit("fix: crash"), commit("feat(ui): dark mode")}, one) ==
          BumpKind::minor);
    CHECK(bump_for_commits({commit("fix: crash"), commit("feat!: new API")}, one) ==
          BumpKind::major);
    CHECK(bump_for_commits({commit("refactor: x", "BREAKING CHANGE: config renamed")}, one) ==
          BumpKind::major);
    CHECK(bump_for_commits({commit("chore!: drop node 16")}, one) == BumpKind::major);
}

TEST_CASE("before 1.0.0 a breaking change bumps minor, not major", "[bump]") {
    auto zero = v("0.3.1");
    CHECK(bump_for_commits({commit("feat!: new API")}, zero) == BumpKind::minor);
    CHECK(bump_for_commits({commit("feat: thing")}, zero) == BumpKind::minor);
    CHECK(bump_for_commits({commit("fix: thing")}, zero) == BumpKind::patch);
    CHECK(bump(zero, bump_for_commits({commit("feat!: x")}, zero)).to_string() == "0.4.0");
}

TEST_CASE("next_prerelease numbers pre-releases of the same target", "[bump]") {
    auto target = v("1.3.0");
    CHECK(next_prerelease(target, "rc", {}).to_string() == "1.3.0-rc.1");
    CHECK(
        next_prerelease(target, "rc", {v("1.3.0-rc.1"), v("1.3.0-rc.2"), v("1.2.0")}).to_string() ==
        "1.3.0-rc.3");
    // Numbers compare numerically; other ids and other targets do not count.
    CHECK(next_prerelease(target, "rc", {v("1.3.0-rc.9"), v("1.3.0-rc.10")}).to_string() ==
          "1.3.0-rc.11");
    CHECK(next_prerelease(target, "beta", {v("1.3.0-rc.4")}).to_string() == "1.3.0-beta.1");
    CHECK(next_prerelease(target, "rc", {v("1.4.0-rc.4"), v("1.3.0-rc")}).to_string() ==
          "1.3.0-rc.1");
}

TEST_CASE("validate_prerelease_id accepts one identifier", "[bump]") {
    CHECK(validate_prerelease_id("rc"));
    CHECK(validate_prerelease_id("beta-2"));
    for (const char* bad : {"", "rc.1", "r_c", "12", "rc+1"}) {
        INFO(bad);
        auto result = validate_prerelease_id(bad);
        REQUIRE_FALSE(result);
        CHECK(result.error().code == launchkit::ExitCode::invalid_input);
    }
}

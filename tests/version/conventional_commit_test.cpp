#include <catch2/catch.hpp>

#include "version/conventional_commit.h"

using launchkit::version::parse_conventional_commit;

TEST_CASE("a conventional subject gives type, scope and description", "[conventional]") {
    auto commit = parse_conventional_commit("feat(parser): add arrays", "");
    CHECK(commit.conventional);
    CHECK(commit.type == "feat");
    CHECK(commit.scope == "parser");
    CHECK(commit.description == "add arrays");
    CHECK_FALSE(commit.breaking);

    auto upper = parse_conventional_commit("FIX: Crash on start", "");
    CHECK(upper.type == "fix");
    CHECK(upper.description == "Crash on start");
    CHECK(upper.scope.empty());
}

TEST_CASE("a ! before the colon or a BREAKING CHANGE footer marks a breaking change",
          "[conventional]") {
    auto bang = parse_conventional_commit("feat(api)!: remove v1", "");
    CHECK(bang.breaking);
    CHECK(bang.scope == "api");
    CHECK(bang.description == "remove v1");
    CHECK(parse_conventional_commit("refactor!: drop x", "").breaking);

    auto footer = parse_conventional_commit(
        "feat: allow config objects",
        "Some body text.\n\nBREAKING CHANGE: `extends` key now\nmeans something else\n\nRefs: #12");
    CHECK(footer.breaking);
    CHECK(footer.breaking_note == "`extends` key now means something else");
    CHECK(parse_conventional_commit("fix: y", "BREAKING-CHANGE: env renamed").breaking);
    // Only the footer token counts, not the words elsewhere in the body.
    CHECK_FALSE(
        parse_conventional_commit("fix: y", "This is not a BREAKING CHANGE: really").breaking);
}

TEST_CASE("subjects that do not follow the form are kept whole and not conventional",
          "[conventional]") {
    for (const char* subject :
         {"Update README", "feat:missing space", "feat(): empty scope", "feat(a(b)): nested",
          ": no type", "fix(x: unclosed", "Merge branch 'main'", "feat-x: dash in type"}) {
        INFO(subject);
        auto commit = parse_conventional_commit(subject, "");
        CHECK_FALSE(commit.conventional);
        CHECK(commit.type.empty());
        CHECK(commit.description == subject);
    }
    CHECK_FALSE(parse_conventional_commit("feat:   ", "").conventional);
}

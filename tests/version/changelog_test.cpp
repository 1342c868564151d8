#include <catch2/catch.hpp>

#include "version/changelog.h"

using namespace launchkit::version;

namespace {

Commit make_commit(std::string hash, std::string subject, std::string body = "",
                   std::vector<std::string> tags = {}, long long time = 1764000000) {
    Commit commit;
    commit.short_hash = hash;
    commit.hash = hash + "000";
    commit.subject = std::move(subject);
    commit.body = std::move(body);
    commit.tags = std::move(tags);
    commit.time = time;
    return commit;
}

}  // namespace

TEST_CASE("render_section groups commits in a fixed order with short hashes", "[changelog]") {
    std::vector<Commit> commits = {
        make_commit("aaaaaaa", "fix(db): close pool"),
        make_commit("bbbbbbb", "feat: dark mode"),
        make_commit("ccccccc", "docs: readme"),
        make_commit("ddddddd", "perf: cache keys"),
        make_commit("eeeeeee", "feat(api)!: drop v1", "BREAKING CHANGE: clients must use /v2"),
        make_commit("fffffff", "chore(release): v1.2.0"),
        make_commit("0000000", "Tweak things"),
    };
    CHECK(render_section("2.0.0", "2026-11-25", commits) ==
          "## [2.0.0] - 2026-11-25\n"
          "\n### Breaking\n\n"
          "- **api:** drop v1 (eeeeeee)\n  clients must use /v2\n"
          "\n### Features\n\n"
          "- dark mode (bbbbbbb)\n"
          "\n### Fixes\n\n"
          "- **db:** close pool (aaaaaaa)\n"
          "\n### Performance\n\n"
          "- cache keys (ddddddd)\n"
          "\n### Other\n\n"
          "- docs: readme (ccccccc)\n"
          "- Tweak things (0000000)\n");
}

// A subject "fix: a\rb" printed raw returns the cursor and overwrites the entry; an escape
// sequence can erase the line above (a breaking change a reviewer never sees).
TEST_CASE("control characters in a message are shown, not acted on", "[changelog]") {
    std::vector<Commit> commits = {
        make_commit("aaaaaaa", "feat(api\x1b[2K)!: drop v1\rfix: nothing",
                    "BREAKING CHANGE: gone\x1b[1A"),
        make_commit("bbbbbbb", "docs\x07: bell"),
    };
    auto text = render_section("2.0.0", "", commits);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\r') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK_THAT(text, Catch::Contains(
                         "- **api\\x1b[2K:** drop v1\\rfix: nothing (aaaaaaa)\n  gone\\x1b[1A\n"));
    CHECK_THAT(text, Catch::Contains("- docs\\x07: bell (bbbbbbb)\n"));
}

TEST_CASE("a section without commits says so", "[changelog]") {
    CHECK(render_section("1.0.1", "2026-01-02", {}) == "## [1.0.1] - 2026-01-02\n\nNo changes.\n");
    CHECK(render_section("Unreleased", "", {make_commit("a1", "chore(release): v1")}) ==
          "## [Unreleased]\n\nNo changes.\n");
}

TEST_CASE("insert_section puts the new section above older ones", "[changelog]") {
    auto fresh = insert_section("", "## [1.0.0] - d\n\n- x\n", "1.0.0");
    REQUIRE(fresh);
    CHECK(fresh->starts_with("# Changelog\n"));
    CHECK(fresh->ends_with("## [1.0.0] - d\n\n- x\n\n"));

    std::string existing = "# Changelog\n\nIntro.\n\n## [1.0.0] - d\n\n- x\n";
    auto updated = insert_section(existing, "## [1.1.0] - e\n\n- y\n", "1.1.0");
    REQUIRE(updated);
    CHECK(*updated == "# Changelog\n\nIntro.\n\n## [1.1.0] - e\n\n- y\n\n## [1.0.0] - d\n\n- x\n");

    auto header_only = insert_section("# Changes", "## [0.1.0]\n", "0.1.0");
    REQUIRE(header_only);
    CHECK(*header_only == "# Changes\n\n## [0.1.0]\n\n");

    auto duplicate = insert_section(existing, "## [1.0.0] - z\n", "1.0.0");
    REQUIRE_FALSE(duplicate);
    CHECK(duplicate.error().code == launchkit::ExitCode::invalid_input);
    // 1.0.0-rc.1 is a different version even though its heading starts alike.
    CHECK(insert_section("## [1.0.0-rc.1] - d\n", "## [1.0.0] - e\n", "1.0.0"));
}

TEST_CASE("render_full_changelog splits the history at release tags", "[changelog]") {
    // Newest first, as git log gives them.
    std::vector<Commit> commits = {
        make_commit("c5", "feat: unreleased thing"),
        make_commit("c4", "fix: after rc", "", {"v2.0.0", "v2.0.0-rc.1"}, 1764100000),
        make_commit("c3", "feat!: big change"),
        make_commit("c2", "fix: small", "", {"v1.0.0", "not-a-version"}, 1700000000),
        make_commit("c1", "feat: first"),
    };
    auto text = render_full_changelog(commits, "v");
    CHECK(text.starts_with("# Changelog\n"));
    auto unreleased = text.find("## [Unreleased]");
    auto two = text.find("## [2.0.0] - 2025-11-25");
    auto one = text.find("## [1.0.0] - 2023-11-14");
    REQUIRE(unreleased != std::string::npos);
    REQUIRE(two != std::string::npos);
    REQUIRE(one != std::string::npos);
    CHECK(unreleased < two);
    CHECK(two < one);
    CHECK(text.find("unreleased thing") < two);
    CHECK(text.find("big change (c3)") > two);
    CHECK(text.find("big change (c3)") < one);
    CHECK(text.find("first (c1)") > one);
    CHECK(text.find("rc.1") == std::string::npos);
}

// `GIT_COMMITTER_DATE=@99999999999 git commit` is accepted by git; the section said 2216-02-08.
TEST_CASE("a release commit dated 5138 is dated 5138", "[changelog]") {
    std::vector<Commit> commits = {make_commit("c1", "feat: far", "", {"v1.0.0"}, 99'999'999'999)};
    CHECK_THAT(render_full_changelog(commits, "v"), Catch::Contains("## [1.0.0] - 5138-11-16"));
}

TEST_CASE("cancel_reverts drops a commit and its revert, newest first", "[changelog]") {
    auto make = [](std::string hash, std::string subject, std::string body = "") {
        Commit commit;
        commit.hash = hash;
        commit.short_hash = hash.substr(0, 7);
        commit.subject = std::move(subject);
        commit.body = std::move(body);
        return commit;
    };
    std::vector<Commit> commits = {
        make("cccccccc11", "Revert \"Revert \\\"feat: a\\\"\"", "This reverts commit bbbbbbbb11."),
        make("bbbbbbbb11", "Revert \"feat: a\"", "This reverts commit aaaaaaaa11."),
        make("dddddddd11", "revert: fix from an older release", "This reverts commit 1234567."),
        make("aaaaaaaa11", "feat: a")};
    cancel_reverts(commits);
    REQUIRE(commits.size() == 2);
    CHECK(commits[0].subject == "revert: fix from an older release");
    CHECK(commits[1].subject == "feat: a");
    auto parsed = parse_conventional_commit(commits[0].subject, commits[0].body);
    CHECK(parsed.revert);
    CHECK(parsed.reverted_hash == "1234567");
    CHECK(group_of(parsed) == ChangeGroup::reverts);
    CHECK(!parse_conventional_commit("fix: x", "This reverts commit 12.").revert);
}

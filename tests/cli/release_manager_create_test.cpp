// Black-box tests: the real release-manager binary in scratch git repositories.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/hostile_commits.h"
#include "support/release_fixture.h"

using launchkit::testing::forged_commit_message;
using launchkit::testing::GitSandbox;
using launchkit::testing::run_tool;
using launchkit::testing::TempDir;

using launchkit::testing::ReleaseFixture;

TEST_CASE_METHOD(ReleaseFixture,
                 "create minor writes changelog, VERSION, a commit and an annotated tag",
                 "[cli][release]") {
    repo.commit("feat: first feature");
    repo.git({"tag", "v1.2.0"});
    repo.commit("feat(ui): dark mode");
    repo.commit("fix: crash on empty input");

    auto result = release_manager({"create", "minor"});
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.stdout_text, Catch::Contains("Released v1.3.0"));

    CHECK(repo.read("VERSION") == "1.3.0\n");
    auto changelog = repo.read("CHANGELOG.md");
    CHECK_THAT(changelog, Catch::StartsWith("# Changelog\n"));
    CHECK_THAT(changelog, Catch::Contains("## [1.3.0] - "));
    CHECK_THAT(changelog, Catch::Contains("### Features\n\n- **ui:** dark mode ("));
    CHECK_THAT(changelog, Catch::Contains("### Fixes\n\n- crash on empty input ("));
    CHECK_THAT(changelog, !Catch::Contains("first feature"));  // released before v1.2.0

    CHECK(repo.git({"cat-file", "-t", "v1.3.0"}) == "tag\n");  // annotated
    CHECK_THAT(repo.git({"tag", "-l", "--format=%(contents)", "v1.3.0"}),
               Catch::Contains("### Features"));
    CHECK(repo.git({"log", "-1", "--format=%s"}) == "chore(release): v1.3.0\n");
    CHECK(repo.git({"rev-parse", "v1.3.0^{commit}"}) == repo.git({"rev-parse", "HEAD"}));
    CHECK(repo.git({"status", "--porcelain"}).empty());

    // A second release inserts its section above the first.
    repo.commit("fix: another");
    REQUIRE(release_manager({"create", "patch"}).exit_code == 0);
    changelog = repo.read("CHANGELOG.md");
    CHECK(changelog.find("## [1.3.1]") < changelog.find("## [1.3.0]"));
    CHECK(changelog.find("# Changelog") == 0);
    CHECK(changelog.find("# Changelog", 1) == std::string::npos);
}

TEST_CASE_METHOD(ReleaseFixture, "create auto derives the bump from Conventional Commits",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v1.0.0"});
    repo.commit("fix: a");
    auto patch = release_manager({"next"});
    CHECK(patch.stdout_text == "1.0.1\n");
    repo.commit("feat: b");
    CHECK(release_manager({"next", "auto"}).stdout_text == "1.1.0\n");
    repo.commit("refactor: c", "other.txt");
    repo.git(
        {"commit", "--allow-empty", "--quiet", "-m", "perf: d\n\nBREAKING CHANGE: config moved"});
    CHECK(release_manager({"next"}).stdout_text == "2.0.0\n");
    CHECK(release_manager({"next", "patch"}).stdout_text == "1.0.1\n");

    auto result = release_manager({"create", "auto", "--json"});
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    auto json = nlohmann::json::parse(result.stdout_text);
    CHECK(json["version"] == "2.0.0");
    CHECK(json["previous"] == "1.0.0");
    CHECK(json["bump"] == "major");
    CHECK(json["tag"] == "v2.0.0");
    CHECK(json["commits"] == 4);
    CHECK(json["committed"] == true);
    CHECK(json["tagged"] == true);
    CHECK(json["dry_run"] == false);
    CHECK(json["changelog_file"] == "CHANGELOG.md");
    CHECK_THAT(json["changelog_section"].get<std::string>(),
               Catch::Contains("### Breaking\n\n- d (") && Catch::Contains("config moved"));
    CHECK(json["commit"].get<std::string>().size() == 40);

    // Nothing release-worthy since: the decision is "no" (exit 1) and nothing changes.
    repo.commit("docs: readme", "README.md");
    auto none = release_manager({"create", "auto"});
    CHECK(none.exit_code == 1);
    CHECK_THAT(none.stderr_text, Catch::Contains("no release needed"));
    CHECK(release_manager({"next"}).exit_code == 1);
    CHECK(tags() == "v1.0.0\nv2.0.0\n");
}

// A message may hold 0x1E and 0x1F, which once separated git log's commits and fields: the
// footer after one was lost (1.0.1 for a breaking change) and a forged commit entered the log.
TEST_CASE_METHOD(ReleaseFixture,
                 "a message holding separator bytes neither hides nor forges commits",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v1.0.0"});
    repo.commit("fix: a\n\nnotes\x1e\n\nBREAKING CHANGE: config moved");
    CHECK(release_manager({"next"}).stdout_text == "2.0.0\n");

    repo.git({"reset", "--hard", "--quiet", "v1.0.0"});
    repo.commit(forged_commit_message);
    auto next = release_manager({"next"});
    CHECK(next.exit_code == 1);  // docs only: nothing to release
    auto changelog = release_manager({"changelog"});
    REQUIRE(changelog.exit_code == 0);
    CHECK_THAT(changelog.stdout_text, !Catch::Contains("### Breaking"));
    CHECK_THAT(changelog.stdout_text, !Catch::Contains("(0000000)"));
}

TEST_CASE_METHOD(ReleaseFixture, "before 1.0.0 breaking changes bump minor", "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v0.4.2"});
    repo.commit("feat!: redo everything");
    CHECK(release_manager({"next"}).stdout_text == "0.5.0\n");
    CHECK(release_manager({"next", "major"}).stdout_text == "1.0.0\n");
}

TEST_CASE_METHOD(ReleaseFixture, "pre-releases count up and `create release` finalises them",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v1.2.0"});
    repo.commit("feat: new thing");
    REQUIRE(release_manager({"create", "minor", "--pre", "rc"}).exit_code == 0);
    CHECK(repo.read("VERSION") == "1.3.0-rc.1\n");
    repo.commit("fix: rc feedback");
    auto second = release_manager({"create", "minor", "--pre", "rc", "--json"});
    REQUIRE(second.exit_code == 0);
    auto json = nlohmann::json::parse(second.stdout_text);
    CHECK(json["version"] == "1.3.0-rc.2");
    CHECK(json["previous"] == "1.3.0-rc.1");
    // The rc.2 section lists only what changed since rc.1.
    CHECK_THAT(json["changelog_section"].get<std::string>(), Catch::Contains("rc feedback"));
    CHECK_THAT(json["changelog_section"].get<std::string>(), !Catch::Contains("new thing"));

    auto final_release = release_manager({"create", "release", "--json"});
    INFO(final_release.stderr_text);
    REQUIRE(final_release.exit_code == 0);
    json = nlohmann::json::parse(final_release.stdout_text);
    CHECK(json["version"] == "1.3.0");
    CHECK(json["bump"] == "release");
    // The final release lists everything since the previous final release.
    CHECK_THAT(json["changelog_section"].get<std::string>(),
               Catch::Contains("new thing") && Catch::Contains("rc feedback"));
    CHECK(tags() == "v1.2.0\nv1.3.0\nv1.3.0-rc.1\nv1.3.0-rc.2\n");

    auto nothing_to_finalise = release_manager({"create", "release"});
    CHECK(nothing_to_finalise.exit_code == 2);
    CHECK_THAT(nothing_to_finalise.stderr_text, Catch::Contains("not a pre-release"));
}

TEST_CASE_METHOD(ReleaseFixture, "create --version sets an exact version and refuses lower ones",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v5.0.0"});
    repo.commit("fix: x");
    REQUIRE(release_manager({"create", "--version", "5.1.0"}).exit_code == 0);
    CHECK(repo.read("VERSION") == "5.1.0\n");
    CHECK(release_manager({"create", "--version=6.0.0-beta.1", "--dry-run"}).exit_code == 0);

    repo.commit("fix: y");
    for (const char* lower : {"5.1.0", "5.0.9", "5.1.0-rc.1", "5.1.0+build.7"}) {
        INFO(lower);
        auto refused = release_manager({"create", "--version", lower});
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.stderr_text,
                   Catch::Contains("not higher than the current version 5.1.0"));
    }
    CHECK(tags() == "v5.0.0\nv5.1.0\n");
}

TEST_CASE_METHOD(ReleaseFixture, "invalid input is refused with exit code 2 and changes nothing",
                 "[cli][release]") {
    repo.commit("feat: start");
    auto head = repo.git({"rev-parse", "HEAD"});
    struct Case {
        std::vector<std::string> arguments;
        const char* message;
    };
    for (const auto& [arguments, message] : {
             Case{{"create", "--version", "1.2"}, "invalid SemVer version '1.2'"},
             Case{{"create", "--version", "v1.2.3"}, "leave out the tag prefix"},
             Case{{"create", "--version", "1.2.3-01"}, "leading zero"},
             Case{{"create", "minor", "--version", "1.2.3"}, "not both"},
             Case{{"create"}, "missing release type"},
             Case{{"create", "huge"}, "huge"},
             Case{{"create", "minor", "--pre", "rc.1"}, "invalid --pre"},
             Case{{"create", "--version", "1.2.3", "--pre", "rc"}, "--pre cannot be combined"},
             Case{{"create", "minor", "--path", "../outside"}, "inside the repository"},
             Case{{"create", "minor", "--path", "no/such/dir"}, "not a directory"},
             Case{{"create", "minor", "--bogus"}, "--bogus"},
         }) {
        INFO(fmt::format("{}", fmt::join(arguments, " ")));
        auto result = release_manager(arguments);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.stderr_text, Catch::StartsWith("release-manager: error: "));
        CHECK_THAT(result.stderr_text, Catch::Contains(message));
    }
    CHECK(repo.git({"rev-parse", "HEAD"}) == head);
    CHECK(tags().empty());
    CHECK_FALSE(std::filesystem::exists(repo.root() / "CHANGELOG.md"));
    CHECK_FALSE(std::filesystem::exists(state.path() / "releases.jsonl"));
}

TEST_CASE("a missing or non-git directory is refused with exit code 2", "[cli][release]") {
    TempDir dir;
    auto missing =
        run_tool("release-manager", {"create", "patch", "--repo", (dir.path() / "nope").string()});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.stderr_text, Catch::Contains("does not exist"));

    std::ofstream(dir.path() / "file") << "x";
    auto a_file = run_tool("release-manager", {"next", "--repo", (dir.path() / "file").string()});
    CHECK(a_file.exit_code == 2);
    CHECK_THAT(a_file.stderr_text, Catch::Contains("is not a directory"));

    auto not_git = run_tool("release-manager", {"next", "-C", dir.path().string()});
    CHECK(not_git.exit_code == 2);
    CHECK_THAT(not_git.stderr_text, Catch::Contains("not inside a git work tree"));

    GitSandbox empty;
    auto no_commits = run_tool("release-manager", {"next", "minor"}, empty.root());
    CHECK(no_commits.exit_code == 2);
    CHECK_THAT(no_commits.stderr_text, Catch::Contains("no commits"));
}

TEST_CASE_METHOD(ReleaseFixture, "a dirty work tree is refused unless --allow-dirty",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.write("scratch.txt", "not committed\n");
    auto refused = release_manager({"create", "minor"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("uncommitted changes") &&
                                        Catch::Contains("scratch.txt") &&
                                        Catch::Contains("--allow-dirty"));
    CHECK(release_manager({"create", "minor", "--dry-run"}).exit_code == 2);
    CHECK(tags().empty());

    repo.write("file.txt", "staged but not part of the release\n");
    repo.git({"add", "file.txt"});
    auto allowed = release_manager({"create", "minor", "--allow-dirty"});
    INFO(allowed.stderr_text);
    REQUIRE(allowed.exit_code == 0);
    CHECK(tags() == "v0.1.0\n");
    // Only CHANGELOG.md and VERSION went into the release commit.
    CHECK(repo.git({"show", "--name-only", "--format=", "HEAD"}) == "CHANGELOG.md\nVERSION\n");
    CHECK_THAT(repo.git({"status", "--porcelain"}), Catch::Contains("M  file.txt"));
}

TEST_CASE_METHOD(ReleaseFixture, "a dry run prints the plan and changes nothing",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v1.0.0"});
    repo.commit("fix(db): pool leak");
    auto head = repo.git({"rev-parse", "HEAD"});
    auto result = release_manager({"create", "auto", "--dry-run"});
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.stdout_text, Catch::Contains("would release v1.0.1") &&
                                       Catch::Contains("- **db:** pool leak (") &&
                                       Catch::Contains("Would create annotated tag: v1.0.1"));
    auto json = nlohmann::json::parse(
        release_manager({"create", "auto", "--dry-run", "--json"}).stdout_text);
    CHECK(json["dry_run"] == true);
    CHECK(json["version"] == "1.0.1");
    CHECK(json["committed"] == false);
    CHECK(json["would_tag"] == true);
    CHECK(repo.git({"rev-parse", "HEAD"}) == head);
    CHECK(tags() == "v1.0.0\n");
    CHECK(repo.git({"status", "--porcelain"}).empty());
    CHECK_FALSE(std::filesystem::exists(state.path() / "releases.jsonl"));
}

TEST_CASE_METHOD(ReleaseFixture, "create with --no-tag or --no-commit stops early",
                 "[cli][release]") {
    repo.commit("feat: start");
    REQUIRE(release_manager({"create", "minor", "--no-tag"}).exit_code == 0);
    CHECK(tags().empty());
    CHECK(repo.git({"log", "-1", "--format=%s"}) == "chore(release): v0.1.0\n");
    // With no tags at all, the VERSION file the untagged release wrote is the current version.
    REQUIRE(release_manager({"create", "minor", "--no-commit"}).exit_code == 0);
    CHECK(repo.read("VERSION") == "0.2.0\n");
    CHECK(repo.git({"log", "-1", "--format=%s"}) == "chore(release): v0.1.0\n");
    CHECK(tags().empty());
}

TEST_CASE_METHOD(ReleaseFixture, "the VERSION file is the fallback when there is no tag",
                 "[cli][release]") {
    repo.write("VERSION", "2.4.1\n");
    repo.git({"add", "VERSION"});
    repo.commit("fix: x");
    auto json = nlohmann::json::parse(release_manager({"next", "--json"}).stdout_text);
    CHECK(json["version"] == "2.4.2");
    CHECK(json["previous"] == "2.4.1");

    repo.write("VERSION", "2.4\n");
    repo.git({"commit", "-qam", "chore: break VERSION"});
    auto bad = release_manager({"next"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.stderr_text, Catch::Contains("VERSION") && Catch::Contains("'2.4'"));
}

TEST_CASE_METHOD(ReleaseFixture,
                 "one component of a monorepo is released with --path and --tag-prefix",
                 "[cli][release]") {
    repo.commit("feat: web start", "web/index.js");
    repo.commit("feat: api start", "api/main.go");
    repo.git({"tag", "api-v1.0.0"});
    repo.git({"tag", "v7.0.0"});
    repo.commit("fix: api bug", "api/main.go");
    repo.commit("feat: web feature", "web/index.js");

    auto api =
        release_manager({"create", "auto", "--path", "api", "--tag-prefix", "api-v", "--json"});
    INFO(api.stderr_text);
    REQUIRE(api.exit_code == 0);
    auto json = nlohmann::json::parse(api.stdout_text);
    CHECK(json["version"] == "1.0.1");  // the web feature does not count
    CHECK(json["tag"] == "api-v1.0.1");
    CHECK(json["commits"] == 1);
    CHECK(json["changelog_file"] == "api/CHANGELOG.md");
    CHECK(repo.read("api/VERSION") == "1.0.1\n");
    CHECK_THAT(repo.read("api/CHANGELOG.md"),
               Catch::Contains("api bug") && !Catch::Contains("web"));
    CHECK(release_manager({"next"}).stdout_text == "7.1.0\n");

    // The same through a configuration file.
    repo.write("launchkit.yaml", "release:\n  tag_prefix: api-v\n  path: api\n");
    repo.git({"add", "launchkit.yaml"});
    repo.git({"commit", "-qm", "chore: config"});
    repo.commit("feat: api endpoint", "api/routes.go");
    CHECK(release_manager({"next"}).stdout_text == "1.1.0\n");
}

TEST_CASE_METHOD(ReleaseFixture, "a commit that fails leaves the work tree as it was",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.write("CHANGELOG.md", "# Changelog\n\n## [0.0.1] - 2026-01-01\n\n- old\n");
    repo.git({"add", "CHANGELOG.md"});
    repo.git({"commit", "-qm", "docs: changelog"});
    // A pre-commit hook that rejects every commit, as a commit policy might.
    repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho 'policy says no' >&2\nexit 1\n");
    std::filesystem::permissions(repo.root() / ".git/hooks/pre-commit",
                                 std::filesystem::perms::owner_all);
    auto head = repo.git({"rev-parse", "HEAD"});

    auto result = release_manager({"create", "minor"});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.stderr_text,
               Catch::Contains("files restored") && Catch::Contains("policy says no"));
    CHECK(repo.git({"rev-parse", "HEAD"}) == head);
    CHECK(tags().empty());
    CHECK(repo.git({"status", "--porcelain"}).empty());  // CHANGELOG restored, VERSION removed
    CHECK_FALSE(std::filesystem::exists(state.path() / "releases.jsonl"));
}

TEST_CASE_METHOD(ReleaseFixture, "a missing git identity is found before any file is written",
                 "[cli][release]") {
    repo.commit("feat: start");
    auto result = run_tool("release-manager", {"create", "minor"}, repo.root(),
                           {{"LAUNCHKIT_STATE_DIR", state.path().string()},
                            {"GIT_COMMITTER_NAME", ""},
                            {"GIT_AUTHOR_NAME", ""}});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.stderr_text, Catch::Contains("no committer identity"));
    CHECK(repo.git({"status", "--porcelain"}).empty());
    CHECK(tags().empty());
}

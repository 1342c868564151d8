// Black-box tests of release versioning as CI meets it: shallow clones, maintenance and
// pre-release branches, untagged releases and pre-release-only histories.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/release_fixture.h"

using launchkit::testing::ReleaseFixture;
using launchkit::testing::run_tool;
using launchkit::testing::TempDir;

namespace {

nlohmann::json parse_json(const launchkit::util::ProcessResult& result) {
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    return nlohmann::json::parse(result.stdout_text);
}

}  // namespace

TEST_CASE_METHOD(ReleaseFixture, "a shallow clone is refused unless --allow-shallow",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v3.2.0"});
    repo.commit("fix: one");
    repo.commit("fix: two");
    TempDir clone_parent;
    auto clone = clone_parent.path() / "clone";
    repo.git(
        {"clone", "--quiet", "--depth", "1", "file://" + repo.root().string(), clone.string()});

    for (std::vector<std::string> arguments :
         {std::vector<std::string>{"next"}, {"create", "patch"}, {"changelog"}}) {
        auto refused = run_tool("release-manager", arguments, clone,
                                {{"LAUNCHKIT_STATE_DIR", state.path().string()}});
        INFO(arguments.front());
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.stderr_text, Catch::Contains("shallow clone") &&
                                            Catch::Contains("git fetch --unshallow --tags") &&
                                            Catch::Contains("fetch-depth: 0"));
    }
    CHECK(!std::filesystem::exists(clone / "VERSION"));

    auto allowed = run_tool("release-manager", {"next", "patch", "--allow-shallow"}, clone,
                            {{"LAUNCHKIT_STATE_DIR", state.path().string()}});
    CHECK(allowed.exit_code == 0);

    // The fix the message names works.
    auto fetched = launchkit::util::run_process(launchkit::util::ProcessSpec{
        .argv = {"git", "fetch", "--quiet", "--unshallow", "--tags"}, .working_directory = clone});
    REQUIRE((fetched && fetched->succeeded()));
    auto after = run_tool("release-manager", {"next", "patch"}, clone,
                          {{"LAUNCHKIT_STATE_DIR", state.path().string()}});
    CHECK(after.stdout_text == "3.2.1\n");
}

TEST_CASE_METHOD(ReleaseFixture,
                 "a maintenance branch bumps from the highest tag reachable from HEAD",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v1.4.0"});
    repo.git({"branch", "1.4.x"});
    repo.commit("feat: next feature");
    repo.git({"tag", "v1.5.0"});
    repo.git({"checkout", "--quiet", "1.4.x"});
    repo.commit("fix: backported");

    CHECK(release_manager({"next"}).stdout_text == "1.4.1\n");
    auto json = parse_json(release_manager({"create", "patch", "--json"}));
    CHECK(json["version"] == "1.4.1");
    CHECK(json["previous"] == "1.4.0");
    CHECK_THAT(json["changelog_section"].get<std::string>(),
               Catch::Contains("backported") && !Catch::Contains("next feature"));

    // A version whose tag exists elsewhere is refused, naming it.
    repo.commit("feat: on the maintenance line");
    auto taken = release_manager({"create", "minor"});
    CHECK(taken.exit_code == 2);
    CHECK_THAT(taken.stderr_text, Catch::Contains("tag v1.5.0 already exists"));
    CHECK(tags() == "v1.4.0\nv1.4.1\nv1.5.0\n");
}

TEST_CASE_METHOD(ReleaseFixture, "release.branches: release, maintenance and pre-release branches",
                 "[cli][release]") {
    repo.write("launchkit.yaml",
               "release:\n"
               "  branches:\n"
               "    - main\n"
               "    - 1.x\n"
               "    - name: beta\n"
               "      prerelease: true\n");
    repo.git({"add", "launchkit.yaml"});
    repo.commit("feat: start");
    repo.git({"branch", "-M", "main"});
    repo.git({"tag", "v1.0.0"});
    repo.git({"branch", "1.x"});
    repo.git({"branch", "beta"});
    repo.commit("feat!: new api");
    auto main_release = parse_json(release_manager({"create", "auto", "--json"}));
    CHECK(main_release["version"] == "2.0.0");
    CHECK(main_release["branch"] == "main");
    CHECK(main_release["channel"].is_null());

    // The maintenance branch takes 1.x versions only.
    repo.git({"checkout", "--quiet", "1.x"});
    repo.commit("feat: backport a feature");
    auto maintenance = parse_json(release_manager({"create", "minor", "--json"}));
    CHECK(maintenance["version"] == "1.1.0");
    CHECK(maintenance["channel"] == "1.x");
    repo.commit("fix: x");
    auto outside = release_manager({"create", "major"});
    CHECK(outside.exit_code == 2);
    CHECK_THAT(outside.stderr_text, Catch::Contains("maintenance branch '1.x'") &&
                                        Catch::Contains(">= 1.0.0 and < 2.0.0"));

    // The pre-release branch releases numbered beta pre-releases on its channel.
    repo.git({"checkout", "--quiet", "beta"});
    repo.commit("feat: experiment");
    auto beta = parse_json(release_manager({"create", "minor", "--json"}));
    CHECK(beta["version"] == "1.1.0-beta.1");
    CHECK(beta["channel"] == "beta");
    repo.commit("fix: experiment fix");
    CHECK(parse_json(release_manager({"create", "patch", "--json"}))["version"] == "1.1.0-beta.2");
    CHECK(release_manager({"create", "release"}).exit_code == 2);
    auto wrong_id = release_manager({"create", "patch", "--pre", "rc"});
    CHECK(wrong_id.exit_code == 2);
    CHECK_THAT(wrong_id.stderr_text, Catch::Contains("releases beta pre-releases"));

    // A branch not in the list, and a detached HEAD, say what to do.
    repo.git({"checkout", "--quiet", "-b", "feature/x"});
    auto unlisted = release_manager({"next"});
    CHECK(unlisted.exit_code == 2);
    CHECK_THAT(unlisted.stderr_text, Catch::Contains("branch 'feature/x' is not configured") &&
                                         Catch::Contains("main, 1.x, beta"));
    repo.git({"checkout", "--quiet", "--detach", "main"});
    auto detached = release_manager({"next"});
    CHECK(detached.exit_code == 2);
    CHECK_THAT(detached.stderr_text, Catch::Contains("--branch"));
    repo.commit("fix: on main");
    CHECK(release_manager({"next", "--branch", "main"}).stdout_text == "2.0.1\n");
}

TEST_CASE_METHOD(ReleaseFixture,
                 "create --no-tag and --no-commit keep the ledger and the next bump "
                 "consistent",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v1.0.0"});
    repo.commit("feat: untagged");
    auto untagged = release_manager({"create", "minor", "--no-tag"});
    INFO(untagged.stderr_text);
    REQUIRE(untagged.exit_code == 0);
    CHECK_THAT(untagged.stdout_text, Catch::Contains("none (--no-tag)") &&
                                         Catch::Contains("next bump starts from the release "
                                                         "commit"));
    CHECK(tags() == "v1.0.0\n");
    // The untagged release is the current version for the next bump.
    repo.commit("fix: after it");
    auto next = parse_json(release_manager({"next", "--json"}));
    CHECK(next["version"] == "1.1.1");
    CHECK(next["previous"] == "1.1.0");
    CHECK(next["commits"] == 1);

    // --no-commit writes the files and nothing else: no ledger entry, said so.
    auto prepared = release_manager({"create", "patch", "--no-commit", "--json"});
    INFO(prepared.stderr_text);
    REQUIRE(prepared.exit_code == 0);
    auto json = nlohmann::json::parse(prepared.stdout_text);
    CHECK(json["committed"] == false);
    CHECK(json["recorded"] == false);
    CHECK(json["commit"].is_null());
    CHECK(repo.read("VERSION") == "1.1.1\n");
    auto ledger = parse_json(release_manager({"history", "--json"}));
    REQUIRE(ledger.size() == 1);
    CHECK(ledger[0]["version"] == "1.1.0");
    CHECK(ledger[0]["tag"] == "");

    // Committed by hand under the release subject, it is what the next bump starts from.
    repo.git({"commit", "--quiet", "-am", "chore(release): v1.1.1"});
    repo.commit("fix: later");
    CHECK(release_manager({"next"}).stdout_text == "1.1.2\n");
}

TEST_CASE_METHOD(ReleaseFixture, "a history of pre-releases only is bumped as node-semver does",
                 "[cli][release]") {
    repo.commit("feat: start");
    repo.git({"tag", "v1.0.0-rc.1"});
    repo.commit("fix: rc feedback");
    for (const char* bump : {"patch", "minor", "auto"})
        CHECK(release_manager({"next", bump}).stdout_text == "1.0.0\n");
    CHECK(release_manager({"next", "major"}).stdout_text == "1.0.0\n");
    CHECK(release_manager({"next", "patch", "--pre", "rc"}).stdout_text == "1.0.0-rc.2\n");

    // The same answers when the pre-release is read from VERSION instead of a tag.
    repo.git({"tag", "--delete", "v1.0.0-rc.1"});
    repo.write("VERSION", "1.0.0-rc.1\n");
    repo.git({"add", "VERSION"});
    repo.commit("chore: version file");
    for (const char* bump : {"patch", "minor", "major"})
        CHECK(release_manager({"next", bump}).stdout_text == "1.0.0\n");
    auto created = parse_json(release_manager({"create", "patch", "--json"}));
    CHECK(created["version"] == "1.0.0");
    CHECK(created["previous"] == "1.0.0-rc.1");
}

TEST_CASE_METHOD(ReleaseFixture, "a revert cancels the reverted commit's bump and changelog entry",
                 "[cli][release]") {
    repo.commit("fix: released fix", "fix.txt");
    repo.git({"tag", "v1.0.0"});
    repo.commit("feat!: drop the old api", "api.txt");
    repo.git({"revert", "--no-edit", "HEAD"});
    auto nothing = release_manager({"next"});
    CHECK(nothing.exit_code == 1);
    CHECK_THAT(nothing.stderr_text, Catch::Contains("no release needed"));

    repo.commit("fix: small one", "small.txt");
    CHECK(release_manager({"next"}).stdout_text == "1.0.1\n");
    auto unreleased = release_manager({"changelog"});
    CHECK_THAT(unreleased.stdout_text, Catch::Contains("small one") && !Catch::Contains("old api"));

    // Reverting the revert brings the change back.
    repo.git({"revert", "--no-edit", "HEAD~1"});
    CHECK(release_manager({"next"}).stdout_text == "2.0.0\n");
    repo.git({"reset", "--quiet", "--hard", "HEAD~1"});

    // A revert of a change released earlier is a fix of its own, listed under Reverts.
    auto fix_hash = repo.git({"rev-list", "-1", "v1.0.0"});
    fix_hash.pop_back();
    repo.git({"revert", "--no-edit", fix_hash});
    auto created = parse_json(release_manager({"create", "auto", "--json"}));
    CHECK(created["version"] == "1.0.1");
    CHECK(created["commits"] == 2);
    auto section = created["changelog_section"].get<std::string>();
    CHECK_THAT(section, Catch::Contains("### Reverts\n\n- Revert \"fix: released fix\"") &&
                            !Catch::Contains("old api"));
}

// Black-box tests of `release-manager status`, `history` and `changelog`.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/release_fixture.h"
#include "version/release_ledger.h"

using launchkit::testing::GitSandbox;
using launchkit::testing::run_tool;
using launchkit::testing::TempDir;
using launchkit::version::ReleaseLedger;

using launchkit::testing::ReleaseFixture;

TEST_CASE_METHOD(ReleaseFixture, "created releases and deploys appear in history and status",
                 "[cli][ledger]") {
    auto empty = release_manager({"status"});
    CHECK(empty.exit_code == 0);
    CHECK_THAT(empty.stdout_text, Catch::Contains("No releases recorded"));

    repo.commit("feat: start");
    REQUIRE(release_manager({"create", "--version", "5.0.0"}).exit_code == 0);
    repo.commit("feat: more");
    REQUIRE(release_manager({"create", "minor"}).exit_code == 0);

    // Later issues record deploys through the library; the ledger is shared.
    ReleaseLedger ledger(state.path());
    REQUIRE(ledger.record_deploy("5.0.0", "v", "staging", "ann", "2026-01-01T00:00:00Z"));
    REQUIRE(ledger.record_deploy("5.1.0", "v", "production", "ann", "2026-01-02T00:00:00Z"));
    REQUIRE(ledger.record_rollback("5.0.0", "v", "production", "bob", "2026-01-03T00:00:00Z",
                                   "p95 latency 2.4x baseline"));

    auto history = release_manager({"history", "--json"});
    REQUIRE(history.exit_code == 0);
    auto entries = nlohmann::json::parse(history.stdout_text);
    REQUIRE(entries.size() == 5);
    CHECK(entries[0]["event"] == "rolled_back");  // newest first
    CHECK(entries[4]["event"] == "created");
    CHECK(entries[4]["version"] == "5.0.0");
    CHECK(entries[4]["actor"] == "ci-bot");
    CHECK(entries[4]["tag"] == "v5.0.0");
    CHECK(entries[4]["commit"].get<std::string>().size() == 40);
    for (const char* key : {"time", "event", "version", "tag_prefix", "environment", "tag",
                            "commit", "repository", "actor", "note"})
        CHECK(entries[0].contains(key));

    auto production = release_manager({"history", "--env", "production", "-n", "1"});
    CHECK_THAT(production.stdout_text, Catch::Contains("rolled_back") &&
                                           Catch::Contains("p95 latency 2.4x baseline") &&
                                           !Catch::Contains("staging"));

    auto status = release_manager({"status", "5.0.0", "--json"});
    REQUIRE(status.exit_code == 0);
    auto json = nlohmann::json::parse(status.stdout_text);
    CHECK(json["version"] == "5.0.0");
    CHECK(json["release"]["tag"] == "v5.0.0");
    CHECK(json["running_in"] == nlohmann::json({"production", "staging"}));
    CHECK(json["environments"].size() == 2);

    auto latest = release_manager({"status"});
    CHECK_THAT(latest.stdout_text,
               Catch::Contains("Release 5.1.0") && Catch::Contains("ENVIRONMENT"));

    // With --env, status answers "is this version what runs there now?" for scripts.
    CHECK(release_manager({"status", "5.0.0", "--env", "production"}).exit_code == 0);
    CHECK(release_manager({"status", "5.1.0", "--env", "production"}).exit_code == 1);
    auto unknown = release_manager({"status", "9.9.9"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.stderr_text, Catch::Contains("9.9.9") && Catch::Contains("releases.jsonl"));
    CHECK(release_manager({"status", "banana"}).exit_code == 2);
}

TEST_CASE_METHOD(ReleaseFixture, "a corrupt ledger is reported with exit code 3", "[cli][ledger]") {
    std::filesystem::create_directories(state.path());
    std::ofstream(state.path() / "releases.jsonl") << "garbage\n";
    auto result = release_manager({"history"});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.stderr_text, Catch::Contains("releases.jsonl:1"));
}

TEST_CASE_METHOD(ReleaseFixture, "changelog prints unreleased commits or the whole history",
                 "[cli][changelog]") {
    repo.commit("feat: one");
    repo.git({"tag", "v1.0.0"});
    repo.commit("fix: two");
    repo.git({"tag", "-a", "v1.0.1", "-m", "v1.0.1"});
    repo.commit("feat: three");

    auto unreleased = release_manager({"changelog"});
    REQUIRE(unreleased.exit_code == 0);
    CHECK_THAT(unreleased.stdout_text, Catch::StartsWith("## [Unreleased]") &&
                                           Catch::Contains("three") && !Catch::Contains("two"));

    auto all = release_manager({"changelog", "--all"});
    REQUIRE(all.exit_code == 0);
    auto& text = all.stdout_text;
    CHECK(text.find("three") < text.find("## [1.0.1]"));
    CHECK(text.find("## [1.0.1]") < text.find("two ("));
    CHECK(text.find("two (") < text.find("## [1.0.0]"));
    CHECK(text.find("## [1.0.0]") < text.find("one ("));
    auto json = nlohmann::json::parse(release_manager({"changelog", "--json"}).stdout_text);
    CHECK(json["since"] == "v1.0.1");
}

// Reading commits from a real git repository: messages may hold any byte git accepts, and each
// commit must come back whole, as git stored it.
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/hostile_commits.h"
#include "support/temp_dir.h"
#include "version/git_repository.h"

using namespace launchkit;
using namespace launchkit::version;
using launchkit::testing::forged_commit_message;
using launchkit::testing::GitSandbox;

// 0x1E and 0x1F separated commits and fields once: a message holding them ended its commit early
// (a BREAKING CHANGE footer after the byte was lost: 1.0.1 instead of 2.0.0) or forged commits.
TEST_CASE("git log keeps messages holding record and unit separators whole", "[changelog]") {
    GitSandbox repo;
    repo.commit("feat: first");
    repo.commit(
        "fix: small thing\n\nSee the log\x1e\n\nBREAKING CHANGE: the config format changed");
    repo.commit(forged_commit_message);
    auto repository = GitRepository::open(repo.root());
    REQUIRE(repository);
    auto commits = repository->log("", "", std::string("v"));
    INFO((commits ? "" : commits.error().message));
    REQUIRE(commits);
    REQUIRE(commits->size() == 3);
    const auto& forged = (*commits)[0];
    CHECK(forged.subject == forged_commit_message);
    CHECK(forged.hash.size() == 40);
    CHECK(forged.time > 1700000000);
    const auto& breaking = (*commits)[1];
    CHECK(breaking.subject == "fix: small thing");
    CHECK_THAT(breaking.body,
               Catch::EndsWith("See the log\x1e\n\nBREAKING CHANGE: the config format changed"));
    CHECK((*commits)[2].subject == "feat: first");

    auto mentioning = repository->commits_mentioning("mallory", "");
    REQUIRE(mentioning);
    REQUIRE(mentioning->size() == 1);
    CHECK(mentioning->front().hash == forged.hash);
}

// A ref name may hold a comma, never a space: %D's list splits at ", " only. Split at the comma,
// a tag "v3.0.0,x" dated a release 3.0.0 in the changelog that `next` did not know.
TEST_CASE("git log names a tag holding a comma whole", "[changelog]") {
    GitSandbox repo;
    repo.commit("feat: first");
    repo.git({"tag", "v1.0.0"});
    repo.git({"tag", "v3.0.0,x"});
    auto repository = GitRepository::open(repo.root());
    REQUIRE(repository);
    auto commits = repository->log("", "", std::string("v"));
    REQUIRE(commits);
    REQUIRE(commits->size() == 1);
    auto tags = commits->front().tags;
    std::sort(tags.begin(), tags.end());
    CHECK(tags == std::vector<std::string>{"v1.0.0", "v3.0.0,x"});
}

// Black-box tests of `release-manager compat check` with the Zeitwork Platform Upgrade Guide's
// shipped matrix.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

using launchkit::testing::run_tool;
using launchkit::testing::TempDir;

namespace {

const std::string matrix =
    std::string(LAUNCHKIT_SOURCE_DIR) + "/playbooks/zeitwork-compatibility.yaml";

// A private, empty state directory: what runs now comes from the matrix, not from a ledger that
// happens to be on this machine.
launchkit::util::ProcessResult compat(std::vector<std::string> arguments,
                                      const std::filesystem::path& state_dir = {}) {
    static TempDir empty_state;
    arguments.insert(arguments.begin(), {"compat", "check"});
    return run_tool(
        "release-manager", std::move(arguments), {},
        {{"LAUNCHKIT_STATE_DIR", (state_dir.empty() ? empty_state.path() : state_dir).string()}});
}

}  // namespace

TEST_CASE("the guide's dependency order keeps every pair compatible", "[cli][compat]") {
    auto result = compat({matrix, "--upgrade", "database-schema=3", "--upgrade", "operator=1.3.0",
                          "--upgrade", "node-agent=1.3.0", "--upgrade", "load-balancer=1.3.0",
                          "--upgrade", "edge-proxy=1.3.0", "--json"});
    INFO(result.stderr_text);
    REQUIRE(result.exit_code == 0);
    auto json = nlohmann::json::parse(result.stdout_text);
    CHECK(json["ok"] == true);
    REQUIRE(json["states"].size() == 6);
    CHECK(json["states"][2]["upgrade"]["component"] == "operator");
    CHECK(json["states"][5]["versions"]["edge-proxy"] == "1.3.0");
}

TEST_CASE("an upgrade order that breaks a pair is refused, naming the pair", "[cli][compat]") {
    auto result = compat({matrix, "--upgrade", "operator=1.3.0", "--upgrade", "database-schema=3"});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.stdout_text,
               Catch::Contains("refused: operator 1.2.0 -> 1.3.0: operator 1.3.0 needs "
                               "database-schema >=3, found 2.0.0"));
    // Node agents 1.3.0 need operator 1.3.x: upgrading them first breaks the pair too.
    auto agents_first = compat({matrix, "--upgrade", "node-agent=1.3.0", "--json"});
    CHECK(agents_first.exit_code == 1);
    auto json = nlohmann::json::parse(agents_first.stdout_text);
    // Both sides say so: the operator does not serve 1.3 agents, nor they a 1.2 operator.
    std::set<std::string> broken;
    for (const auto& violation : json["states"][1]["violations"])
        broken.insert(violation["component"].get<std::string>() + " needs " +
                      violation["needs"].get<std::string>() + " found " +
                      violation["found"].get<std::string>());
    CHECK(broken == std::set<std::string>{"operator needs node-agent found 1.3.0",
                                          "node-agent needs operator found 1.2.0"});
}

TEST_CASE("a matrix or upgrade that is wrong is exit 2 naming it", "[cli][compat]") {
    TempDir dir;
    auto unknown = compat({matrix, "--upgrade", "opertor=1.3.0"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.stderr_text, Catch::Contains("did you mean 'operator'"));
    auto bad_range = dir.write("bad.yaml", R"(components:
  api: {version: 1.0.0, compatible: {db: "1.2.z"}}
  db: {version: 1.0.0}
)");
    auto result = compat({bad_range.string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("bad.yaml:2") &&
                                       Catch::Contains("components.api.compatible.db") &&
                                       Catch::Contains("'1.2.z'"));
    auto dangling = dir.write("dangling.yaml", R"(components:
  api: {version: 1.0.0, compatible: {cache: "1.x"}}
)");
    auto named = compat({dangling.string()});
    CHECK(named.exit_code == 2);
    CHECK_THAT(named.stderr_text, Catch::Contains("'cache' is not a component"));
}

TEST_CASE("no_skip refuses an upgrade that skips versions", "[cli][compat]") {
    auto skipped = compat({matrix, "--upgrade", "load-balancer=3.0.0", "--json"});
    CHECK(skipped.exit_code == 1);
    auto json = nlohmann::json::parse(skipped.stdout_text);
    CHECK(json["ok"] == false);
    CHECK_THAT(json["states"][1]["skipped"].get<std::string>(),
               Catch::Contains("never skip versions") && Catch::Contains("upgrade to 2.0.x first"));
    auto minors = compat({matrix, "--upgrade", "load-balancer=1.4.0"});
    CHECK(minors.exit_code == 1);
    CHECK_THAT(minors.stdout_text, Catch::Contains("upgrade to 1.3.x first"));
    // The next major is one step (which minors a major has is known only where they are listed).
    CHECK(compat({matrix, "--upgrade", "load-balancer=2.0.0"}).exit_code == 0);
    // One minor at a time, in order, is fine; so is a patch.
    CHECK(compat({matrix, "--upgrade", "load-balancer=1.3.0", "--upgrade", "load-balancer=1.4.2",
                  "--upgrade", "load-balancer=1.4.3"})
              .exit_code == 0);
    // Skipping a release the matrix lists is refused, naming it.
    TempDir dir;
    auto listed = dir.write("listed.yaml", R"(components:
  api: {version: 1.0.0, no_skip: true, releases: {1.1.0: {}, 2.0.0: {}}}
)");
    auto jumped = compat({listed.string(), "--upgrade", "api=2.0.0"});
    CHECK(jumped.exit_code == 1);
    CHECK_THAT(jumped.stdout_text, Catch::Contains("it skips 1.1.0"));
}

TEST_CASE("an unlisted patch release needs what its minor's listed release needs",
          "[cli][compat]") {
    // 1.3.1 is not listed: it needs what 1.3.0 needs (schema >= 3), not what 1.2.0 needs.
    auto result = compat({matrix, "--upgrade", "database-schema=3", "--upgrade", "operator=1.3.1",
                          "--upgrade", "node-agent=1.3.1"});
    INFO(result.stdout_text);
    CHECK(result.exit_code == 0);
    auto early = compat({matrix, "--upgrade", "operator=1.3.1"});
    CHECK(early.exit_code == 1);
    CHECK_THAT(early.stdout_text, Catch::Contains("operator 1.3.1 needs database-schema >=3"));
}

TEST_CASE("what runs now comes from the ledger's deploys, else the matrix", "[cli][compat]") {
    TempDir state;
    TempDir dir;
    auto playbook = dir.write("noop.yaml", R"(apiVersion: launchkit/v1
name: noop
steps:
  - name: ok
    run: {argv: ["true"]}
)");
    auto deployed =
        run_tool("release-manager", {"deploy", "1.3.0", "production", "--playbook",
                                     playbook.string(), "--state-dir", state.path().string()});
    INFO(deployed.stderr_text);
    REQUIRE(deployed.exit_code == 0);

    auto json = nlohmann::json::parse(compat({matrix, "--json"}, state.path()).stdout_text);
    CHECK(json["current"]["operator"]["version"] == "1.3.0");
    CHECK(json["current"]["operator"]["source"] == "ledger (production)");
    CHECK(json["current"]["database-schema"]["source"] == "matrix");
    CHECK(json["ok"] == false);  // operator 1.3.0 beside schema 2: the ledger says so
    auto staging = nlohmann::json::parse(
        compat({matrix, "--env", "staging", "--json"}, state.path()).stdout_text);
    CHECK(staging["current"]["operator"]["version"] == "1.2.0");

    // --current overrides both.
    auto given = nlohmann::json::parse(
        compat({matrix, "--current", "operator=1.2.5", "--json"}, state.path()).stdout_text);
    CHECK(given["current"]["operator"]["version"] == "1.2.5");
    CHECK(given["current"]["operator"]["source"] == "--current");

    // With neither a version: nor a deploy, it says what to give.
    auto unknown = dir.write("unknown.yaml", R"(components:
  api: {tag_prefix: api-v}
)");
    auto missing = compat({unknown.string()}, state.path());
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.stderr_text, Catch::Contains("--current api=VERSION"));
    auto neither = dir.write("neither.yaml", "components:\n  api: {notes: x}\n");
    CHECK_THAT(compat({neither.string()}).stderr_text,
               Catch::Contains("expected version: (what runs now) or tag_prefix:"));
}

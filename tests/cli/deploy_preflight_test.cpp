// Everything a run needs is checked before its first side effect: a deploy that would fail
// half-way (a strategy without its command, a token not set, a flag that does not exist, a
// rules file or checklist that does not parse, an undeclared environment) is refused with exit 2,
// no run written and nothing changed; `plan` reports the same problems.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

namespace {

struct Preflight {
    StateFixture fixture;
    TempDir dir;

    // A playbook whose first steps change things (a marker file, a flag) before `tail`.
    std::string write(const std::string& tail) const {
        auto path =
            dir.write("playbook.yaml", fmt::format(R"(apiVersion: launchkit/v1
name: preflight
steps:
  - name: first-change
    run: [sh, -c, "touch {}"]
  - name: flag-on
    flag: {{name: dark-mode, state: enabled}}
{})",
                                                   (dir.path() / "changed").string(), tail));
        return path.string();
    }
    launchkit::util::ProcessResult deploy(const std::string& playbook,
                                          std::vector<std::string> extra = {}) const {
        std::vector<std::string> arguments{"deploy", "1.0.0", "qa", "--playbook", playbook};
        arguments.insert(arguments.end(), extra.begin(), extra.end());
        return fixture.run("release-manager", arguments);
    }
    bool changed() const { return std::filesystem::exists(dir.path() / "changed"); }
    size_t runs() const { return fixture.run_json("release-manager", {"runs"}).size(); }
};

}  // namespace

TEST_CASE("deploy refuses before any side effect what would fail half-way", "[cli][playbook]") {
    Preflight preflight;
    REQUIRE(preflight.fixture.flags({"create", "dark-mode"}).exit_code == 0);
    std::string expected;
    std::string playbook;
    std::vector<std::string> extra;
    SECTION("a --strategy whose command the deploy step lacks") {
        playbook = preflight.write(R"(  - name: rollout
    deploy:
      strategy: canary
      set_weight: {argv: ["true"]}
)");
        extra = {"--strategy", "rolling"};
        expected = "step 'rollout' runs as rolling but has no run_batch";
    }
    SECTION("a token_env that is not set") {
        playbook = preflight.write(R"(  - name: notify-chat
    notify: {message: "deploying", to: {webhook: "http://127.0.0.1:9/hook", token_env: LAUNCHKIT_TEST_UNSET_TOKEN}}
)");
        expected =
            "step 'notify-chat' needs token_env LAUNCHKIT_TEST_UNSET_TOKEN, which is not set";
    }
    SECTION("a flag that does not exist") {
        playbook = preflight.write(R"(  - name: second-flag
    flag: {name: dakr-mode, state: enabled}
)");
        expected = "step 'second-flag' sets flag 'dakr-mode', which does not exist";
    }
    SECTION("a gate's rules file that does not parse") {
        preflight.dir.write("rules.yaml",
                            "thresholds:\n  - {name: x, metric: y, fail_when: \"~5\"}\n");
        playbook = preflight.write(R"(  - name: judge
    gate: {rules: rules.yaml}
)");
        expected = "step 'judge' gate: ";
    }
    SECTION("an inline probe check that does not parse") {
        playbook = preflight.write(R"(  - name: health
    probe:
      checks:
        - {name: live, http: {url: "http://127.0.0.1:9/", expect: {status: teapot}}}
)");
        expected = "step 'health': ";
    }
    SECTION("a checklist file that does not exist") {
        playbook = preflight.write(R"(  - name: checks
    checklist: missing-checklist.yaml
)");
        expected = "step 'checks': ";
    }
    SECTION("an environment the config does not declare") {
        preflight.dir.write("launchkit.yaml", "environments:\n  staging: {}\n  production: {}\n");
        playbook = preflight.write("");
        extra = {"--config", (preflight.dir.path() / "launchkit.yaml").string()};
        expected = "environment 'qa' is not declared";
    }
    auto refused = preflight.deploy(playbook, extra);
    INFO(refused.stderr_text);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains(expected));
    CHECK_FALSE(preflight.changed());
    CHECK(preflight.runs() == 0);
    auto flag = preflight.fixture.flags({"get", "dark-mode", "--env", "qa"});
    CHECK(flag.exit_code == 1);  // still off

    std::vector<std::string> plan{"plan", playbook, "--env", "qa", "--json"};
    plan.insert(plan.end(), extra.begin(), extra.end());
    auto planned = preflight.fixture.run("release-manager", plan);
    CHECK(planned.exit_code == 2);
    CHECK_THAT(planned.stdout_text, Catch::Contains(expected));
}

TEST_CASE("a flag step with create: true makes the flag it is the first to set",
          "[cli][playbook]") {
    Preflight preflight;
    auto path = preflight.dir.write("create.yaml", R"(apiVersion: launchkit/v1
name: create
steps:
  - name: new-flag
    flag: {name: brand-new, state: enabled, create: true}
)");
    auto deployed = preflight.deploy(path.string());
    INFO(deployed.stderr_text);
    CHECK(deployed.exit_code == 0);
    CHECK(preflight.fixture.flags({"get", "brand-new", "--env", "qa"}).exit_code == 0);
}

TEST_CASE("a playbook with a second rollback: section is refused naming both lines",
          "[cli][playbook]") {
    Preflight preflight;
    auto path = preflight.dir.write("twice.yaml", R"(apiVersion: launchkit/v1
name: twice
steps:
  - name: only
    run: ["true"]
rollback:
  - name: first
    run: ["true"]
rollback:
  - name: second
    run: ["true"]
)");
    auto refused = preflight.deploy(path.string());
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text,
               Catch::Contains("twice.yaml:9: key 'rollback' appears twice (first at line 6)"));
    CHECK(preflight.runs() == 0);
}

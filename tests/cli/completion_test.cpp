// The bash completion loaded into a real bash: COMPREPLY for subcommands, options, option values
// and names from the state directory, all answered by the executables' own command trees.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "support/state_fixture.h"

using launchkit::testing::StateFixture;

namespace {

// COMPREPLY, one per line, for the command line `words` with the cursor on the last word.
std::vector<std::string> complete(const StateFixture& fixture,
                                  const std::vector<std::string>& words,
                                  const std::string& directory = LAUNCHKIT_SOURCE_DIR) {
    std::string script = "source '" + std::string(LAUNCHKIT_SOURCE_DIR) +
                         "/completions/launchkit.bash'\ncd '" + directory + "'\nCOMP_WORDS=(";
    for (const auto& word : words) script += " '" + word + "'";
    script += fmt::format(" )\nCOMP_CWORD={}\n_launchkit_complete\n", words.size() - 1) +
              "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    const char* path = std::getenv("PATH");
    launchkit::util::ProcessSpec spec{
        .argv = {"bash", "--norc", "-c", script},
        .environment = {
            {"PATH", std::string(LAUNCHKIT_BIN_DIR) + ":" + (path ? path : "/usr/bin:/bin")},
            {"LAUNCHKIT_STATE_DIR", fixture.state.path().string()}}};
    auto result = launchkit::util::run_process(spec);
    REQUIRE(result);
    INFO(result->stderr_text);
    REQUIRE(result->exit_code == 0);
    std::vector<std::string> lines;
    std::istringstream in(result->stdout_text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("bash completes subcommands, options and their values from the command tree",
          "[cli][completion]") {
    StateFixture fixture;
    CHECK(complete(fixture, {"release-manager", "d"}) == Words{"deploy", "doctor", "drill"});
    CHECK(complete(fixture, {"release-manager", "backup", "ver"}) == Words{"verify"});
    CHECK(complete(fixture, {"release-manager", "deploy", "--stra"}) == Words{"--strategy"});
    CHECK(complete(fixture, {"release-manager", "deploy", "1.2.0", "staging", "--strategy", ""}) ==
          Words{"blue-green", "canary", "rolling"});
    CHECK(complete(fixture, {"launchctl", "--js"}) == Words{"--json"});
    CHECK(complete(fixture, {"diagnose", "pr"}) == Words{"probe"});
}

TEST_CASE("bash completes flag names, launch controls, backup ids and playbook files",
          "[cli][completion]") {
    StateFixture fixture;
    REQUIRE(fixture.flags({"create", "new-checkout"}).exit_code == 0);
    REQUIRE(fixture.flags({"create", "new-search"}).exit_code == 0);
    REQUIRE(fixture.launchctl({"pause", "redemption"}).exit_code == 0);
    REQUIRE(fixture.launchctl({"pause", "refunds"}).exit_code == 0);
    CHECK(complete(fixture, {"feature-flags", "get", "new-"}) ==
          Words{"new-checkout", "new-search"});
    CHECK(complete(fixture, {"feature-flags", "--disable", "new-c"}) == Words{"new-checkout"});
    CHECK(complete(fixture, {"feature-flags", "create", "new-"}).empty());  // a new name
    CHECK(complete(fixture, {"launchctl", "resume", "re"}) == Words{"redemption", "refunds"});

    launchkit::testing::TempDir data;
    data.write("config/app.yaml", "a: 1\n");
    auto backup = fixture.run_json(
        "release-manager",
        {"backup", "create", "dir:" + (data.path() / "config").string(), "--tag", "pre-upgrade"});
    auto id = backup["id"].get<std::string>();
    CHECK(complete(fixture, {"release-manager", "backup", "restore", ""}) ==
          Words{id, "latest", "latest:pre-upgrade"});
    CHECK(complete(fixture, {"release-manager", "backup", "restore", id.substr(0, 8)}) ==
          Words{id});

    CHECK(complete(fixture, {"release-manager", "plan", "playbooks/artifortress-"}) ==
          Words{"playbooks/artifortress-rollback.yaml", "playbooks/artifortress-upgrade.yaml"});
    CHECK(complete(fixture, {"release-manager", "deploy", "1.2.0", "staging", "--playbook",
                             "playbooks/mesh"}) == Words{"playbooks/mesh-os-release.yaml"});
}

// Black-box tests of what every executable shares: --help, --version, exit codes, completion.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

using launchkit::testing::run_tool;
using launchkit::testing::TempDir;

TEST_CASE("every tool answers --version and --help, and documents its exit codes", "[cli]") {
    for (const char* tool : {"launchctl", "release-manager", "feature-flags", "diagnose"}) {
        INFO(tool);
        auto version = run_tool(tool, {"--version"});
        CHECK(version.exit_code == 0);
        CHECK_THAT(version.stdout_text, Catch::StartsWith(std::string(tool) + " (launchkit) "));

        auto help = run_tool(tool, {"--help"});
        CHECK(help.exit_code == 0);
        CHECK_THAT(help.stdout_text, Catch::Contains("Exit codes: 0 ok") &&
                                         Catch::Contains("--json") &&
                                         Catch::Contains("--state-dir"));

        auto no_command = run_tool(tool, {});
        CHECK(no_command.exit_code == 2);
        CHECK_THAT(no_command.stderr_text, Catch::Contains(std::string(tool) + ": error:"));

        auto unknown = run_tool(tool, {"frobnicate"});
        CHECK(unknown.exit_code == 2);
    }
    auto sub_help = run_tool("release-manager", {"create", "--help"});
    CHECK(sub_help.exit_code == 0);
    CHECK_THAT(sub_help.stdout_text, Catch::Contains("--dry-run") && Catch::Contains("Exit codes"));
}

TEST_CASE("a broken configuration file is named with exit code 2", "[cli]") {
    TempDir dir;
    std::ofstream(dir.path() / "launchkit.yaml") << "release:\n  tag_prefx: v\n";
    auto result = run_tool("release-manager", {"history"}, dir.path());
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text,
               Catch::Contains("launchkit.yaml:2: unknown key 'release.tag_prefx'"));

    auto missing = run_tool("release-manager", {"history", "--config", "/no/such.yaml"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.stderr_text, Catch::Contains("/no/such.yaml"));
}

TEST_CASE("the hidden completer lists subcommands and options from the real command tree",
          "[cli]") {
    // The word under the cursor comes last (empty when there is none yet).
    auto top = run_tool("release-manager", {"__complete", ""});
    CHECK(top.exit_code == 0);
    CHECK_THAT(top.stdout_text, Catch::StartsWith("create\tCreate a release") &&
                                    Catch::Contains("\nhistory\t") &&
                                    !Catch::Contains("__complete"));
    auto options = run_tool("release-manager", {"__complete", "--"});
    CHECK_THAT(options.stdout_text, Catch::Contains("--json\t"));
    auto create = run_tool("release-manager", {"__complete", "create", "--"});
    CHECK_THAT(create.stdout_text, Catch::Contains("--dry-run\t") && Catch::Contains("--pre\t") &&
                                       Catch::Contains("--state-dir\t"));
}

TEST_CASE("a mistyped subcommand gets a suggestion and exit code 2", "[cli]") {
    auto result = run_tool("release-manager", {"crate", "minor"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("did you mean 'create'?"));
}

TEST_CASE("every command's --help shows an example from the runbooks", "[cli]") {
    TempDir state;  // empty: no flag names or backup ids among the subcommands listed
    std::vector<std::pair<std::string, std::string>> environment{
        {"LAUNCHKIT_STATE_DIR", state.path().string()}};
    for (const char* tool : {"launchctl", "feature-flags", "diagnose", "release-manager"}) {
        std::vector<std::vector<std::string>> commands{{}};
        for (size_t i = 0; i < commands.size(); ++i) {
            auto words = commands[i];
            words.insert(words.begin(), "__complete");
            words.push_back("");
            std::istringstream listing(run_tool(tool, words, {}, environment).stdout_text);
            for (std::string line; std::getline(listing, line);) {
                auto name = line.substr(0, line.find('\t'));
                if (name.empty() || name.starts_with(":") || name == "latest") continue;
                auto sub = commands[i];
                sub.push_back(name);
                commands.push_back(sub);
            }
            auto help_words = commands[i];
            help_words.push_back("--help");
            auto help = run_tool(tool, help_words, {}, environment);
            INFO(tool << " " << fmt::format("{}", fmt::join(commands[i], " ")));
            CHECK(help.exit_code == 0);
            CHECK_THAT(help.stdout_text, Catch::Contains("Example"));
        }
        CHECK(commands.size() > 5);
    }
}

TEST_CASE("a command parses the same whether the tree is built whole or only for it", "[cli]") {
    TempDir state;
    auto dir = state.path().string();
    // Global options before the command, with and without '=': only `list` is built.
    REQUIRE(run_tool("feature-flags", {"--state-dir", dir, "create", "checkout"}).exit_code == 0);
    auto listed = run_tool("feature-flags", {"--json", "--state-dir=" + dir, "list"});
    CHECK(listed.exit_code == 0);
    CHECK_THAT(listed.stdout_text, Catch::Contains("\"checkout\""));
    // The runbooks' spelling has no command word: the whole tree is built.
    auto seed = run_tool("feature-flags", {"--state-dir", dir, "--enable", "checkout"});
    CHECK(seed.exit_code == 0);
    auto enabled = run_tool("feature-flags", {"get", "checkout", "--state-dir", dir, "--json"});
    CHECK_THAT(enabled.stdout_text, Catch::Contains("\"enabled\": true"));
    // An option of another command is still an error, named as before.
    auto wrong = run_tool("release-manager", {"history", "--dry-run", "--state-dir", dir});
    CHECK(wrong.exit_code == 2);
    CHECK_THAT(wrong.stderr_text, Catch::Contains("--dry-run"));
    // --version answers before any command is looked at.
    CHECK(run_tool("release-manager", {"--version", "frobnicate"}).exit_code == 0);
}

TEST_CASE("an error echoes what it was given printably, and --json puts it on stdout too",
          "[cli]") {
    // A flag name with an escape sequence that would clear the screen and a newline that would
    // forge a second error line.
    auto forged =
        run_tool("feature-flags", {"get", "\x1b[2J\nfeature-flags: error: all good", "--json"});
    CHECK(forged.exit_code == 2);
    CHECK(forged.stderr_text.find('\x1b') == std::string::npos);
    CHECK(std::count(forged.stderr_text.begin(), forged.stderr_text.end(), '\n') == 1);
    CHECK_THAT(forged.stderr_text, Catch::Contains("\\x1b[2J\\nfeature-flags: error: all good"));
    auto json = nlohmann::json::parse(forged.stdout_text);
    CHECK(json["error"]["code"] == 2);
    CHECK(json["error"]["message"].get<std::string>().starts_with(
        forged.stderr_text.substr(std::string("feature-flags: error: ").size(), 20)));

    // A 100 KB value (the most one argument may hold is 128 KiB) is cut.
    auto huge = run_tool("release-manager", {"next", std::string(100000, 'y')});
    CHECK(huge.exit_code == 2);
    CHECK(huge.stderr_text.size() < 8192);
    CHECK_THAT(huge.stderr_text, Catch::Contains("more bytes)"));

    // A usage error under --json is JSON on stdout as well.
    auto usage = run_tool("launchctl", {"--json", "pause"});
    CHECK(usage.exit_code == 2);
    CHECK(nlohmann::json::parse(usage.stdout_text)["error"]["code"] == 2);
}

TEST_CASE("help and manual pages name runbooks by their titles, never by a seed number", "[cli]") {
    for (const char* tool : {"launchctl", "release-manager", "feature-flags", "diagnose"}) {
        INFO(tool);
        // The manual page holds every command's help and example.
        auto page = run_tool(tool, {"__man"});
        REQUIRE(page.exit_code == 0);
        CHECK(page.stdout_text.size() > 1000);
        CHECK(page.stdout_text.find("seed 00") == std::string::npos);
        CHECK(page.stdout_text.find("Seed 00") == std::string::npos);
        CHECK(page.stdout_text.find("../shared") == std::string::npos);
    }
    // deploy's example names a playbook that exists.
    auto help = run_tool("release-manager", {"deploy", "--help"});
    CHECK_THAT(help.stdout_text, Catch::Contains("playbooks/mesh-os-release.yaml"));
    CHECK(std::filesystem::exists(std::filesystem::path(LAUNCHKIT_SOURCE_DIR) / "playbooks" /
                                  "mesh-os-release.yaml"));
}

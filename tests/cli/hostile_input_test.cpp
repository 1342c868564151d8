// Hostile input through the real executables: deep nesting in files launchkit wrote (the audit
// log, a run journal), deep and alias-exploded YAML, a metrics source that never stops, and
// patterns over long texts.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

#include <sys/stat.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/http_server.h"
#include "support/state_fixture.h"
#include "util/bounded_json.h"
#include "util/file_io.h"

using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
using launchkit::testing::TestHttpServer;

namespace {

std::string nested_array(size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

void append(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::app) << text;
}

}  // namespace

TEST_CASE("bounded JSON: nesting is counted outside strings and refused past the limit",
          "[util][json]") {
    using launchkit::util::line_nested_deeper_than;
    using launchkit::util::parse_json;
    CHECK_FALSE(line_nested_deeper_than(R"({"a": [1, {"b": "[[[[[["}]})", 3));
    CHECK(line_nested_deeper_than("{\n [\n  [\n   [1]]]}", 3) == 4u);
    CHECK(parse_json(nested_array(128)));
    auto deep = parse_json(nested_array(100'000));
    REQUIRE_FALSE(deep);
    CHECK(deep.error().message == "nested deeper than 128 levels (line 1)");
    CHECK_FALSE(parse_json("{\"a\": "));
    // In YAML every bracket counts: a quote may be an apostrophe.
    CHECK(line_nested_deeper_than("a: '[[['", 2, true) == 1u);
}

TEST_CASE("deep JSON in the audit log or a run journal is an error, not a crash",
          "[cli][hostile]") {
    StateFixture fixture;
    REQUIRE(fixture.flags({"create", "checkout"}).exit_code == 0);
    auto audit = fixture.store_dir() / "audit.jsonl";
    REQUIRE(std::filesystem::exists(audit));
    append(audit, fmt::format("{{\"changes\": {}}}\n", nested_array(100'000)));
    for (std::vector<std::string> command :
         {std::vector<std::string>{"audit", "--verify"}, {"history", "checkout"}}) {
        auto result = fixture.flags(command);
        INFO(command.front() << ": " << result.stderr_text);
        CHECK(result.exit_code != 0);
        CHECK(result.signal == 0);
    }

    auto runs = fixture.state.path() / "runs";
    std::filesystem::create_directories(runs);
    append(runs / "20261203T000000Z-deep.jsonl",
           fmt::format("{{\"type\": \"run_started\", \"outputs\": {}}}\n", nested_array(100'000)));
    for (std::vector<std::string> command :
         {std::vector<std::string>{"runs", "20261203T000000Z-deep"},
          {"resume", "20261203T000000Z-deep"}}) {
        auto result = fixture.run("release-manager", command);
        INFO(command.back() << ": " << result.stderr_text);
        CHECK(result.signal == 0);
        CHECK(result.exit_code != 0);
    }
    auto listed = fixture.run("release-manager", {"runs", "20261203T000000Z-deep"});
    CHECK_THAT(listed.stderr_text, Catch::Contains("nested deeper than 128 levels"));
}

TEST_CASE("deep or alias-exploded YAML is refused before it is walked", "[cli][hostile]") {
    TempDir dir;
    auto flow = dir.write("flow.yaml", "checks: " + nested_array(100'000) + "\n");
    auto result = launchkit::testing::run_tool("diagnose", {"run", flow.string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("flow.yaml:1: nested deeper than 64 levels"));

    std::string block = "checks:\n";
    for (int level = 0; level < 2000; ++level)
        block += std::string(static_cast<size_t>(level + 1), ' ') + "a:\n";
    auto indented = dir.write("block.yaml", block);
    result = launchkit::testing::run_tool("diagnose", {"run", indented.string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("nested too deep"));

    // Nine aliases of nine: 10^9 values once expanded ("billion laughs").
    std::string laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int i = 1; i < 9; ++i)
        laughs += fmt::format(
            "a{0}: &a{0} [*a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, *a{1}, "
            "*a{1}, *a{1}, *a{1}]\n",
            i, i - 1);
    laughs += "checks: *a8\n";
    auto bomb = dir.write("bomb.yaml", laughs);
    result = launchkit::testing::run_tool("diagnose", {"run", bomb.string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("once its aliases are expanded"));
}

TEST_CASE("a flag import or playbook larger than any launchkit file is refused unread",
          "[cli][hostile]") {
    TempDir dir;
    // 17 MiB of flags: yaml-cpp's tree of it took 970 MB and 8 s before being refused.
    std::string flags = "flags:\n";
    for (int i = 0; flags.size() < 17 * 1024 * 1024; ++i)
        flags +=
            fmt::format("  - {{name: flag-{}, description: a flag imported from far away}}\n", i);
    auto import = dir.write("huge.yaml", flags);
    StateFixture fixture;
    auto result = fixture.flags({"import", import.string(), "--dry-run"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(
        result.stderr_text,
        Catch::Contains("huge.yaml: 17.0 MiB, more than the 16.0 MiB a launchkit file may hold"));
    auto playbook = dir.write("huge-playbook.yaml", "apiVersion: launchkit/v1\nname: x\n" + flags);
    result = fixture.run("release-manager", {"plan", playbook.string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text, Catch::Contains("more than the 16.0 MiB"));
}

TEST_CASE("a metrics source that never stops is cut at its size limit", "[cli][hostile]") {
    TestHttpServer server;
    TempDir dir;
    auto rules = dir.write("rules.yaml", fmt::format(R"(sources:
  app: {{prometheus_text: '{}', timeout: 20s}}
metrics:
  padding: {{source: app, select: padding_metric}}
rules:
  - padding < 2
)",
                                                     server.url("/huge")));
    auto result = launchkit::testing::run_tool("diagnose", {"slo", rules.string()});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.stdout_text, Catch::Contains("larger than 8.0 MiB"));

    auto bigger = dir.write("bigger.yaml", fmt::format(R"(sources:
  app: {{prometheus_text: '{}', max_body: 2GiB}}
metrics:
  padding: {{source: app, select: padding_metric}}
rules:
  - padding < 2
)",
                                                       server.url("/huge")));
    auto refused = launchkit::testing::run_tool("diagnose", {"slo", bigger.string()});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("at most 1GiB"));
}

// std::regex recursed once per character of the text: `.*healthy` against a 100 KB body, or a
// step name of 200,000 letters, overflowed the stack.
TEST_CASE("patterns run over megabytes of a body or a field without crashing", "[cli][hostile]") {
    TestHttpServer server;
    TempDir dir;
    auto checklist = dir.write("checks.yaml", fmt::format(R"(checks:
  - name: long-body
    http: {{url: '{0}', expect: {{body_regex: '.*healthy'}}}}
  - name: character-class
    http: {{url: '{0}', expect: {{body_regex: '[xy]+ healthy'}}}}
)",
                                                          server.url("/long-line")));
    auto passed = launchkit::testing::run_tool("diagnose", {"run", checklist.string()});
    INFO(passed.stdout_text << passed.stderr_text);
    CHECK(passed.exit_code == 0);

    // A pattern that backtracks without end fails its check, saying so; it never passes.
    auto catastrophic = dir.write("catastrophic.yaml", fmt::format(R"(checks:
  - name: catastrophic
    http: {{url: '{}', expect: {{body_regex: '(x+x+)+[yz]'}}}}
)",
                                                                   server.url("/long-line")));
    auto gave_up =
        launchkit::testing::run_tool("diagnose", {"run", catastrophic.string(), "--json"});
    CHECK(gave_up.exit_code == 1);
    CHECK_THAT(gave_up.stdout_text, Catch::Contains("gave up"));

    StateFixture fixture;
    auto playbook =
        dir.write("long-name.yaml", "apiVersion: launchkit/v1\nname: long\nsteps:\n  - name: " +
                                        std::string(200'000, 'a') + "!\n    run: [\"true\"]\n");
    auto refused = fixture.run("release-manager", {"plan", playbook.string()});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("expected a name of letters"));
}

TEST_CASE("a version of 100,000 'v's is refused in one line, not recursed on", "[cli][hostile]") {
    // Found by the SemVer fuzzer: every leading 'v' was one more recursive call (SIGSEGV here).
    auto matrix = std::string(LAUNCHKIT_SOURCE_DIR) + "/playbooks/zeitwork-compatibility.yaml";
    auto refused = launchkit::testing::run_tool(
        "release-manager",
        {"compat", "check", matrix, "--upgrade", "operator=" + std::string(100'000, 'v')});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("expected a version such as 1.2.0"));
    CHECK(refused.stderr_text.size() < 1000);
}

TEST_CASE("state is private whatever the umask, and killed writers' leftovers go",
          "[cli][hostile][modes]") {
    TempDir dir;
    auto state = dir.path() / "nested" / "state";
    auto playbook = dir.write("noop.yaml", R"(apiVersion: launchkit/v1
name: noop
steps:
  - name: ok
    run: {argv: ["true"]}
)");
    auto old_mask = ::umask(0);
    auto created = launchkit::testing::run_tool(
        "feature-flags", {"--state-dir", state.string(), "create", "checkout"});
    auto deployed = launchkit::testing::run_tool(
        "release-manager", {"--state-dir", state.string(), "deploy", "1.0.0", "staging",
                            "--playbook", playbook.string()});
    ::umask(old_mask);
    REQUIRE(created.exit_code == 0);
    INFO(deployed.stderr_text);
    REQUIRE(deployed.exit_code == 0);
    namespace fs = std::filesystem;
    auto mode = [](const fs::path& path) {
        return static_cast<unsigned>(fs::status(path).permissions() & fs::perms::all);
    };
    CHECK(mode(dir.path() / "nested") == 0700);
    CHECK(mode(state) == 0700);
    CHECK(mode(state / "store") == 0700);
    for (const auto& entry : fs::directory_iterator(state / "store")) {
        INFO(entry.path());
        CHECK(mode(entry.path()) == 0600);  // the audit log, the lock, the state file if written
    }
    CHECK(mode(state / "releases.jsonl") == 0600);
    for (const auto& entry : fs::directory_iterator(state / "runs"))
        if (entry.path().extension() == ".jsonl") CHECK(mode(entry.path()) == 0600);

    // A writer killed between its temporary file and the rename left this; the next write
    // removes it.
    std::ofstream(state / "store" / ".state.json.tmp-AbC123") << "half";
    REQUIRE(launchkit::testing::run_tool("feature-flags",
                                         {"--state-dir", state.string(), "enable", "checkout"})
                .exit_code == 0);
    CHECK_FALSE(fs::exists(state / "store" / ".state.json.tmp-AbC123"));
}

TEST_CASE("a manifest whose file list was exploded is damaged, not verified without end",
          "[cli][hostile][backup]") {
    StateFixture fixture;
    TempDir data;
    std::ofstream(data.path() / "a.txt") << "a\n";
    auto created =
        fixture.run_json("release-manager", {"backup", "create", "dir:" + data.path().string()});
    auto id = created["id"].get<std::string>();
    auto manifest_path = fixture.state.path() / "backups" / id / "manifest.json";
    auto manifest = nlohmann::json::parse(launchkit::util::read_file(manifest_path).value());
    auto file = manifest["files"][0];
    for (int i = 0; i < 100'000; ++i) manifest["files"].push_back(file);
    std::ofstream(manifest_path, std::ios::trunc) << manifest.dump();
    auto verify = fixture.run("release-manager", {"backup", "verify", id});
    CHECK(verify.exit_code == 3);
    CHECK_THAT(verify.stderr_text + verify.stdout_text, Catch::Contains("at most 16 files"));
}

TEST_CASE("a source that trickles or redirects for ever ends at its limit, saying why",
          "[cli][hostile]") {
    TestHttpServer server;
    TempDir dir;
    auto rules = dir.write("rules.yaml", fmt::format(R"(sources:
  app: {{prometheus_text: '{}', timeout: 1500ms}}
metrics:
  m: {{source: app, select: m}}
rules:
  - m < 1
)",
                                                     server.url("/trickle")));
    auto began = std::chrono::steady_clock::now();
    auto trickled = launchkit::testing::run_tool("diagnose", {"slo", rules.string()});
    CHECK(std::chrono::steady_clock::now() - began < std::chrono::seconds(10));
    CHECK(trickled.exit_code == 3);
    CHECK_THAT(trickled.stdout_text, Catch::Contains("timed out after 1.5 s"));

    auto looped = launchkit::testing::run_tool(
        "diagnose", {"probe", server.url("/redirect-loop"), "-L", "--timeout", "5s"});
    CHECK(looped.exit_code == 3);
    CHECK_THAT(looped.stdout_text, Catch::Contains("redirect"));
}

TEST_CASE("what a step's command prints cannot rewrite the deploy's progress on the terminal",
          "[cli][hostile]") {
    // A carriage return, an erase-line and a cursor-up in the first line of a failing command's
    // stderr: raw, they would erase the ✗ line and the line above it.
    StateFixture fixture;
    TempDir dir;
    auto playbook = dir.write("loud.yaml", R"(apiVersion: launchkit/v1
name: loud
steps:
  - name: migrate
    run: [sh, -c, "printf 'fine\\r\\033[2K\\033[1A\\n' >&2; exit 3"]
)");
    auto result =
        fixture.run("release-manager", {"deploy", "1.0.0", "qa", "--playbook", playbook.string()});
    CHECK(result.exit_code == 1);
    const auto escaped = std::string("fine\\r\\x1b[2K\\x1b[1A");
    for (const auto* shown : {&result.stdout_text, &result.stderr_text}) {
        INFO(*shown);
        CHECK(shown->find('\r') == std::string::npos);
        CHECK(shown->find('\x1b') == std::string::npos);
    }
    CHECK_THAT(result.stderr_text, Catch::Contains("✗ migrate") && Catch::Contains(escaped));
    auto runs = fixture.run("release-manager", {"runs", "--env", "qa"});
    CHECK(runs.stdout_text.find('\x1b') == std::string::npos);
}

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "core/config.h"
#include "core/config_environments.h"
#include "core/config_release_branches.h"
#include "support/temp_dir.h"

using namespace launchkit;
using launchkit::testing::TempDir;

TEST_CASE("parse_config reads the release section and resolves state_dir beside the file",
          "[config]") {
    auto config = parse_config(
        "state_dir: state\nrelease:\n  tag_prefix: api-v\n  path: services/api\n"
        "  changelog: CHANGES.md\n  version_file: api.version\n",
        "/etc/launchkit/launchkit.yaml");
    REQUIRE(config);
    CHECK(config->state_dir == std::filesystem::path("/etc/launchkit/state"));
    CHECK(config->release.tag_prefix == "api-v");
    CHECK(config->release.path == "services/api");
    CHECK(config->release.changelog == "CHANGES.md");
    CHECK(config->release.version_file == "api.version");

    auto empty = parse_config("", "x.yaml");
    REQUIRE(empty);
    CHECK(empty->release.tag_prefix == "v");
    CHECK_FALSE(empty->state_dir);
}

TEST_CASE("parse_config names the file, line and key at fault", "[config]") {
    struct Case {
        const char* yaml;
        const char* expected;
    };
    for (auto [yaml, expected] : {
             Case{"release:\n  tag_prefx: v\n", "x.yaml:2: unknown key 'release.tag_prefx'"},
             Case{"stat_dir: /tmp\n",
                  "x.yaml:1: unknown key 'stat_dir' (expected one of: backups, checklist, "
                  "environments, etcd, flags, launch_controls, notifications, release, reports, "
                  "signing, slo_rules, state_dir, store)"},
             Case{"reports: {url: 'ftp://x/${run_id}'}\n", "reports.url: expected an http(s)"},
             Case{"signing: key.pub\n", "x.yaml:1: signing: expected {public_keys: [FILE.pub"},
             Case{"signing: {public_key: k.pub}\n", "signing.public_key"},
             Case{"environments:\n  prod: {require_signed: yes-please}\n",
                  "environments.prod.require_signed"},
             Case{"environments:\n  prod: {require_signed: true}\n",
                  "x.yaml:2: environments.prod.require_signed: needs signing.public_keys"},
             Case{"etcd:\n  cafile: ca.pem\n", "x.yaml:2: unknown key 'etcd.cafile'"},
             Case{"etcd: ca.pem\n", "x.yaml: etcd: expected a mapping of cacert, cert, key"},
             Case{"launch_controls: redemption\n", "x.yaml:1: 'launch_controls' must be a list"},
             Case{"launch_controls: [a, a]\n", "launch control 'a' is listed twice"},
             Case{"release: [1, 2]\n", "'release' must be a mapping"},
             Case{"release:\n  tag_prefix: [v]\n",
                  "x.yaml:2: 'release.tag_prefix' must be a string"},
             Case{"- a\n- b\n", "expected a mapping"},
             Case{"release: {tag_prefix: v\n", "x.yaml:"},
             Case{"release:\n  branches: main\n", "x.yaml:2: release.branches: expected a list"},
             Case{"release:\n  branches: [main, main]\n", "branch 'main' is listed twice"},
             Case{"release:\n  branches:\n    - {name: beta, prerelease: 'b.1'}\n",
                  "x.yaml:3: release.branches[0].prerelease: 'b.1' is not a SemVer pre-release"},
             Case{"release:\n  branches:\n    - {name: lts, range: '1.y'}\n",
                  "release.branches[0].range: '1.y' is not a range; expected N.x or N.N.x"},
             Case{"release:\n  branches:\n    - {name: lts, range: 1.x, prerelease: rc}\n",
                  "either a maintenance range or a pre-release"},
             Case{"release:\n  branches:\n    - {nme: main}\n",
                  "release.branches[0].nme: unknown key"},
         }) {
        INFO(yaml);
        auto config = parse_config(yaml, "x.yaml");
        REQUIRE_FALSE(config);
        CHECK(config.error().code == ExitCode::invalid_input);
        CHECK_THAT(config.error().message, Catch::Contains(expected));
    }
}

TEST_CASE("signing.public_keys are beside the file, require_signed is per environment",
          "[config]") {
    auto config = parse_config(
        "signing: {public_keys: [keys/a.pub, /etc/launchkit/b.pub]}\n"
        "environments:\n  staging: {}\n  production: {requires: [staging], require_signed: true}\n",
        "/srv/deploy/launchkit.yaml");
    REQUIRE(config);
    CHECK(config->signing_public_keys ==
          std::vector<std::filesystem::path>{"/srv/deploy/keys/a.pub", "/etc/launchkit/b.pub"});
    CHECK(config->environments.at("production").require_signed);
    CHECK_FALSE(config->environments.at("staging").require_signed);
}

TEST_CASE("store: names a shared store, --store and $LAUNCHKIT_STORE come first", "[config]") {
    auto config = parse_config("store: etcd://127.0.0.1:2379/lk\n", "x.yaml");
    REQUIRE(config);
    CHECK(config->store == "etcd://127.0.0.1:2379/lk");
    ::unsetenv("LAUNCHKIT_STORE");
    CHECK(resolve_store(std::nullopt, *config) == "etcd://127.0.0.1:2379/lk");
    CHECK(resolve_store(std::string("etcd://h:1/flag"), *config) == "etcd://h:1/flag");
    ::setenv("LAUNCHKIT_STORE", "etcd://h:2/env", 1);
    CHECK(resolve_store(std::nullopt, *config) == "etcd://h:2/env");
    ::unsetenv("LAUNCHKIT_STORE");
    CHECK(resolve_store(std::nullopt, Config{}).empty());
    CHECK_FALSE(parse_config("store: [a]\n", "x.yaml"));
}

TEST_CASE("release.branches reads semantic-release's three kinds of branch", "[config]") {
    auto config = parse_config(
        "release:\n  branches:\n    - main\n    - 1.4.x\n    - {name: lts, range: 2.x}\n"
        "    - {name: beta, prerelease: true}\n    - {name: next, prerelease: rc, channel: "
        "preview}\n",
        "x.yaml");
    REQUIRE(config);
    const auto& branches = config->release.branches;
    REQUIRE(branches.size() == 5);
    CHECK(branches[0].name == "main");
    CHECK(branches[1].name == "1.4.x");
    CHECK(branches[2].range == "2.x");
    CHECK(branches[3].prerelease == "beta");
    CHECK(branches[4].prerelease == "rc");
    CHECK(branches[4].channel == "preview");
    CHECK(branches[4].where == "x.yaml:7");
}

TEST_CASE("discover_config prefers --config, then $LAUNCHKIT_CONFIG", "[config]") {
    TempDir dir;
    std::ofstream(dir.path() / "a.yaml") << "release:\n  tag_prefix: a-\n";
    std::ofstream(dir.path() / "b.yaml") << "release:\n  tag_prefix: b-\n";
    ::setenv("LAUNCHKIT_CONFIG", (dir.path() / "b.yaml").c_str(), 1);
    auto from_flag = discover_config(dir.path() / "a.yaml");
    auto from_env = discover_config(std::nullopt);
    auto missing = discover_config(dir.path() / "nope.yaml");
    ::unsetenv("LAUNCHKIT_CONFIG");
    REQUIRE(from_flag);
    CHECK(from_flag->release.tag_prefix == "a-");
    REQUIRE(from_env);
    CHECK(from_env->release.tag_prefix == "b-");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ExitCode::invalid_input);
    CHECK_THAT(missing.error().message, Catch::Contains("nope.yaml"));
}

TEST_CASE("resolve_state_dir: flag, then env, then config, then XDG", "[config]") {
    Config config;
    config.state_dir = "/from/config";
    ::setenv("LAUNCHKIT_STATE_DIR", "/from/env", 1);
    ::setenv("XDG_STATE_HOME", "/xdg", 1);
    CHECK(resolve_state_dir(std::filesystem::path("/from/flag"), config) == "/from/flag");
    CHECK(resolve_state_dir(std::nullopt, config) == "/from/env");
    ::unsetenv("LAUNCHKIT_STATE_DIR");
    CHECK(resolve_state_dir(std::nullopt, config) == "/from/config");
    CHECK(resolve_state_dir(std::nullopt, Config{}) == "/xdg/launchkit");
    ::unsetenv("XDG_STATE_HOME");
}

TEST_CASE("the flags section sets the default environment and the stale window", "[config]") {
    auto config = launchkit::parse_config(
        "flags:\n  environment: staging\n  stale_after_days: 14\n", "x.yaml");
    REQUIRE(config);
    CHECK(config->flags.environment == "staging");
    CHECK(config->flags.stale_after_days == 14);
    auto bad = launchkit::parse_config("flags:\n  stale_after_days: soon\n", "x.yaml");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message,
               Catch::Contains("x.yaml:2") && Catch::Contains("flags.stale_after_days"));
    auto unknown = launchkit::parse_config("flags:\n  enviroment: staging\n", "x.yaml");
    REQUIRE_FALSE(unknown);
    CHECK_THAT(unknown.error().message, Catch::Contains("unknown key 'flags.enviroment'"));
}

// Found by fuzz/config: a long pre-release identifier that fails the check ran for minutes in
// std::regex's backtracking; the check is linear now.
TEST_CASE("a long pre-release name is judged at once, valid or not", "[config]") {
    const std::string digits(20'000, '1');
    auto refused = parse_config(
        "release:\n  branches:\n    - {name: beta, prerelease: '" + digits + "!'}\n", "x.yaml");
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::Contains("is not a SemVer pre-release"));
    auto accepted = parse_config(
        "release:\n  branches:\n    - {name: beta, prerelease: '" + digits + "x'}\n", "x.yaml");
    REQUIRE(accepted);
    CHECK(accepted->release.branches.at(0).prerelease == digits + "x");
}

// The name and range checks are loops, like the pre-release one: each table row is a case the
// regular expressions they replaced decided the same way.
TEST_CASE("environment names and maintenance ranges are checked character by character",
          "[config]") {
    for (const char* name : {"production", "eu-west.1", "a", "A_b", "9lives"})
        CHECK(is_environment_name(name));
    for (const char* name : {"", "-prod", ".hidden", "_x", "prod/eu", "prod env", "prod\n"})
        CHECK_FALSE(is_environment_name(name));
    CHECK(is_environment_name(std::string(63, 'a')));
    CHECK_FALSE(is_environment_name(std::string(64, 'a')));

    for (const char* range : {"1.x", "1.x.x", "1.2.x", "123456789012345678.x"})
        CHECK(is_maintenance_range(range));
    for (const char* range : {"", "x", ".x", "1", "1.", "1.2", "1.2.3", "1.x.y", "1.xx", "1.2.x.x",
                              "a.x", "1.2.xx", "1234567890123456789.x", "1..x", "1.x."})
        CHECK_FALSE(is_maintenance_range(range));
}

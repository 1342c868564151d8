#include <catch2/catch.hpp>

#include <csignal>

#include "support/temp_dir.h"
#include "util/process.h"

using namespace launchkit;

TEST_CASE("run_process passes argv untouched, with no shell in between", "[process]") {
    auto result =
        util::run_process({.argv = {"printf", "%s|", "a b", "$(echo hi)", "'; rm -rf /"}});
    REQUIRE(result);
    CHECK(result->exit_code == 0);
    CHECK(result->stdout_text == "a b|$(echo hi)|'; rm -rf /|");
}

TEST_CASE("run_process captures stdout, stderr, exit code, stdin and environment", "[process]") {
    auto result = util::run_process({.argv = {"sh", "-c", "cat; echo \"$LK_TEST\" >&2; exit 7"},
                                     .environment = {{"LK_TEST", "value"}},
                                     .stdin_data = std::string(200000, 'x')});
    REQUIRE(result);
    CHECK(result->exit_code == 7);
    CHECK(result->stdout_text.size() == 200000);
    CHECK(result->stderr_text == "value\n");
    CHECK(util::first_line("\n\n  \nsecond line\nthird") == "second line");
}

TEST_CASE("run_process runs in the given directory and reports spawn failures", "[process]") {
    testing::TempDir dir;
    auto pwd = util::run_process({.argv = {"pwd"}, .working_directory = dir.path()});
    REQUIRE(pwd);
    CHECK(pwd->stdout_text == dir.path().string() + "\n");

    auto missing = util::run_process({.argv = {"launchkit-no-such-program"}});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ExitCode::environment);
    CHECK_THAT(missing.error().message, Catch::Contains("launchkit-no-such-program"));
}

TEST_CASE("run_process kills a child that outlives its timeout", "[process]") {
    auto result = util::run_process(
        {.argv = {"sh", "-c", "sleep 30 & sleep 30"}, .timeout = std::chrono::milliseconds(200)});
    REQUIRE(result);
    CHECK(result->timed_out);
    CHECK(result->signal == SIGKILL);
    CHECK_FALSE(result->succeeded());
}

#include <catch2/catch.hpp>

#include "util/duration.h"

using namespace std::chrono_literals;
using launchkit::ExitCode;
using launchkit::util::format_duration;
using launchkit::util::parse_duration;

TEST_CASE("parse_duration reads the units operators type", "[duration]") {
    CHECK(*parse_duration("500ms") == 500ms);
    CHECK(*parse_duration("30s") == 30s);
    CHECK(*parse_duration("5m") == 5min);
    CHECK(*parse_duration("1h30m") == 90min);
    CHECK(*parse_duration("2d") == 48h);
    CHECK(*parse_duration("10") == 10s);
    CHECK(*parse_duration("0s") == 0ms);
}

TEST_CASE("parse_duration rejects what it cannot read, quoting it", "[duration]") {
    for (const char* text : {"", "5x", "m", "-1s", "1m30", "1.5s", "5 m", "99999999999999999d"}) {
        INFO(text);
        auto parsed = parse_duration(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ExitCode::invalid_input);
        CHECK_THAT(parsed.error().message, Catch::Contains("invalid duration"));
    }
}

TEST_CASE("format_duration writes what parse_duration reads", "[duration]") {
    CHECK(format_duration(90min) == "1h30m");
    CHECK(format_duration(250ms) == "250ms");
    CHECK(format_duration(0ms) == "0s");
    for (std::chrono::milliseconds value : {1ms, 61000ms, 90000000ms, 3723004ms})
        CHECK(*parse_duration(format_duration(value)) == value);
}

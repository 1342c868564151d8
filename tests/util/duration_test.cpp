#include <catch2/catch.hpp>

#include <limits>

#include "util/duration.h"

using namespace std::chrono_literals;
using launchkit::ExitCode;
using launchkit::util::format_duration;
using launchkit::util::format_duration_spec;
using launchkit::util::format_seconds;
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

// A duration is added to a clock's now, counted in 64-bit nanoseconds: `--since 13000000d` (what
// the old 2^50 ms bound allowed) overflowed it, as did many terms each under the bound.
TEST_CASE("parse_duration refuses durations longer than 100 years", "[duration]") {
    CHECK(*parse_duration("36500d") == launchkit::util::max_duration);
    for (const char* text : {"36501d", "36500d1ms", "13000000d", "36000d36000d", "3153600001s"}) {
        INFO(text);
        auto parsed = parse_duration(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ExitCode::invalid_input);
        CHECK_THAT(parsed.error().message, Catch::Contains("longer than 36500d"));
    }
}

TEST_CASE("format_duration_spec writes what parse_duration reads", "[duration]") {
    CHECK(format_duration_spec(90min) == "1h30m");
    CHECK(format_duration_spec(250ms) == "250ms");
    CHECK(format_duration_spec(0ms) == "0s");
    for (std::chrono::milliseconds value : {1ms, 61000ms, 90000000ms, 3723004ms})
        CHECK(*parse_duration(format_duration_spec(value)) == value);
}

TEST_CASE("format_duration is one human format for every duration", "[duration]") {
    CHECK(format_duration(0ms) == "0 ms");
    CHECK(format_duration(116ms) == "116 ms");
    CHECK(format_duration(300ms) == "300 ms");
    CHECK(format_duration(1000ms) == "1 s");
    CHECK(format_duration(9500ms) == "9.5 s");
    CHECK(format_duration(9549ms) == "9.5 s");
    CHECK(format_duration(59'949ms) == "59.9 s");
    CHECK(format_duration(59'950ms) == "1 min");
    CHECK(format_duration(125s) == "2 min 5 s");
    CHECK(format_duration(90min) == "1 h 30 min");
    CHECK(format_duration(3h) == "3 h");
    CHECK(format_duration(51h) == "2 d 3 h");
    CHECK(format_seconds(0.3) == "300 ms");
    CHECK(format_seconds(9.5) == "9.5 s");
}

// A manifest's or journal's duration is whatever the file holds: the extremes print, without the
// overflow of negating LLONG_MIN (what llround gave for -1e300 or infinity).
TEST_CASE("format_duration and format_seconds print any value a file holds", "[duration]") {
    const auto lowest = std::chrono::milliseconds(std::numeric_limits<long long>::min());
    const auto highest = std::chrono::milliseconds(std::numeric_limits<long long>::max());
    CHECK_THAT(format_duration(lowest), Catch::StartsWith("-") && Catch::EndsWith(" h"));
    CHECK_THAT(format_duration(highest), Catch::EndsWith(" h"));
    for (double seconds : {1e300, -1e300, std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity()}) {
        INFO(seconds);
        CHECK_THAT(format_seconds(seconds), Catch::EndsWith(" h"));
    }
    CHECK(format_seconds(std::numeric_limits<double>::quiet_NaN()) == "0 ms");
    CHECK(format_seconds(-2.5) == "-2.5 s");
}

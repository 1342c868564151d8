#include <catch2/catch.hpp>

#include <limits>

#include "util/time.h"

using namespace launchkit::util;

TEST_CASE("parse_date accepts real calendar dates only", "[time]") {
    auto date = parse_date("2027-03-31");
    REQUIRE(date);
    CHECK(format_rfc3339(*date) == "2027-03-31T00:00:00Z");
    CHECK(parse_date("2028-02-29"));  // leap year
    for (const char* text : {"2027-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-01-01",
                             "2026-1-1", "2026/01/01", "2026-01-01T00:00:00Z", "tomorrow", ""}) {
        INFO(text);
        CHECK_FALSE(parse_date(text));
    }
}

TEST_CASE("parse_rfc3339 reads what format_rfc3339 writes, and offsets", "[time]") {
    auto time = from_unix_seconds(1'795'000'000);
    CHECK(parse_rfc3339(format_rfc3339(time)) == time);
    CHECK(parse_rfc3339("2026-11-25T14:00:00+01:00") == parse_rfc3339("2026-11-25T13:00:00Z"));
    CHECK(parse_rfc3339("2026-11-25T13:00:00.500Z") > parse_rfc3339("2026-11-25T13:00:00Z"));
    for (const char* text : {"2026-11-25", "2026-11-25T25:00:00Z", "2026-11-25T13:00:00",
                             "2026-11-25T13:00:00Zjunk", "2026-02-30T00:00:00Z"}) {
        INFO(text);
        CHECK_FALSE(parse_rfc3339(text));
    }
}

// Found by fuzz/values, fuzz/flag_import, fuzz/metric_answer and fuzz/release_ledger: a year
// outside what 64-bit nanoseconds hold overflowed (undefined behaviour) instead of failing.
TEST_CASE("dates outside the years a TimePoint holds are refused, not overflowed", "[time]") {
    CHECK(parse_date("1678-01-01"));
    CHECK(parse_date("2261-12-31"));
    for (const char* text :
         {"0026-12-03", "1677-12-31", "2262-01-01", "6351-01-31", "9999-12-31"}) {
        INFO(text);
        CHECK_FALSE(parse_date(text));
        CHECK_FALSE(parse_rfc3339(std::string(text) + "T11:01:00Z"));
    }
    CHECK(parse_rfc3339("2261-12-31T23:59:59-23:59"));
}

// Found by the run_journal harness: a report subtracted two journal times in nanoseconds, which
// overflows for 1678 and 2261 (both valid). The release ledger's statistics did the same.
TEST_CASE("seconds_between holds any two times a file may give", "[time]") {
    auto first = *parse_rfc3339("1678-01-01T00:00:00Z");
    auto last = *parse_rfc3339("2261-12-31T23:59:59Z");
    double days = (2262 - 1678) * 365.0 + 141;  // leap days: 1700, 1800, 1900, 2100, 2200 not
    CHECK(seconds_between(first, last) == Approx(days * 86'400 - 1));
    CHECK(seconds_between(last, first) == Approx(-(days * 86'400 - 1)));
    // Close times keep their milliseconds.
    CHECK(seconds_between(*parse_rfc3339("2026-11-29T12:00:00.000Z"),
                          *parse_rfc3339("2026-11-29T12:00:00.300Z")) == Approx(0.3).margin(1e-6));
}

// A git commit may be dated any Unix second git accepts: 99999999999 is in 5138, and printed
// through a TimePoint (nanoseconds in 64 bits) it wrapped to 2216-02-08.
TEST_CASE("dates of Unix seconds beyond what a TimePoint holds", "[time]") {
    CHECK(format_unix_date(1'795'000'000) == format_date(from_unix_seconds(1'795'000'000)));
    CHECK(format_unix_date(99'999'999'999) == "5138-11-16");
    CHECK(format_unix_date(0) == "1970-01-01");
    CHECK(format_unix_date(-1) == "1969-12-31");
    CHECK(format_unix_date(std::numeric_limits<long long>::max()) == "9999-12-31");
    CHECK(format_unix_date(std::numeric_limits<long long>::min()) == "0001-01-01");
    CHECK(format_date(from_unix_seconds(99'999'999'999)) == "2262-04-11");
}

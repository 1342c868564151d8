// UTC timestamps in the two textual forms launchkit writes: RFC 3339 for records, dates for
// changelogs.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace launchkit::util {

using TimePoint = std::chrono::system_clock::time_point;

// "2026-11-25T13:50:51Z" (second precision, always UTC).
std::string format_rfc3339(TimePoint time);
// "2026-11-25T13:50:51.302Z": for records whose differences are measured (a run's start and
// end, a 0.3 s rollback), where whole seconds would round it to nothing.
std::string format_rfc3339_ms(TimePoint time);

// "2026-11-25" (UTC).
std::string format_date(TimePoint time);

// Saturates at the years a TimePoint holds (1678..2262).
TimePoint from_unix_seconds(long long seconds);
// "2026-11-25" of Unix seconds without a TimePoint in between: a git commit may be dated 5138
// (`GIT_COMMITTER_DATE=@99999999999`). Years outside 1..9999 print as the nearest of them.
std::string format_unix_date(long long seconds);

// `to` minus `from`, in seconds. Taken from the epoch in double, never as a count of
// nanoseconds: two times a file may hold (1678 and 2261) are further apart than 64 bits of
// nanoseconds reach, and their difference would overflow.
double seconds_between(TimePoint from, TimePoint to);
// The same in whole milliseconds (rounded down), exact for any two TimePoints: each is taken
// from the epoch first, and 2^63 nanoseconds are far fewer than 2^63 milliseconds.
std::chrono::milliseconds milliseconds_between(TimePoint from, TimePoint to);

// The years a parsed date may have: what TimePoint's 64-bit nanoseconds can hold.
inline constexpr int min_year = 1678;
inline constexpr int max_year = 2261;

// Parses a calendar date "YYYY-MM-DD" (a real day: no February 30th, a year from min_year to
// max_year) as midnight UTC.
std::optional<TimePoint> parse_date(std::string_view text);

// Parses what format_rfc3339 writes ("2026-11-25T13:50:51Z"); also accepts fractional seconds
// and a numeric offset ("+01:00").
std::optional<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace launchkit::util

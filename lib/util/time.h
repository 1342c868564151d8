// UTC timestamps in the two textual forms launchkit writes: RFC 3339 for records, dates for
// changelogs.
#pragma once

#include <chrono>
#include <string>

namespace launchkit::util {

using TimePoint = std::chrono::system_clock::time_point;

// "2026-11-25T13:50:51Z" (second precision, always UTC).
std::string format_rfc3339(TimePoint time);

// "2026-11-25" (UTC).
std::string format_date(TimePoint time);

TimePoint from_unix_seconds(long long seconds);

}  // namespace launchkit::util

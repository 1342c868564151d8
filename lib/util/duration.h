// Durations as operators type them ("500ms", "30s", "5m", "1h30m", "2d"), for timeouts, polling
// intervals and staleness windows.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/error.h"

namespace launchkit::util {

// The longest duration parse_duration accepts. A timeout or window is added to a clock's now,
// which counts nanoseconds in 64 bits (292 years); 100 years leaves that sum room.
inline constexpr std::chrono::milliseconds max_duration = std::chrono::hours(24 * 36'500);

// Parses a sequence of <number><unit> (units ms, s, m, h, d); a bare number means seconds.
// Errors (exit code 2) quote the text and the expected form; above max_duration is an error.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// How long something took or may take, for people, in one format everywhere: "116 ms", "9.5 s",
// "2 min 5 s", "1 h 30 min", "2 d 3 h" (the two largest units; tenths of a second below a minute).
std::string format_duration(std::chrono::milliseconds duration);
std::string format_seconds(double seconds);

// The shortest exact spelling parse_duration accepts ("1h30m", "250ms", "0s"): for JSON fields
// and anything a person may paste back into a file.
std::string format_duration_spec(std::chrono::milliseconds duration);

}  // namespace launchkit::util

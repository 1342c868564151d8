// Durations as operators type them ("500ms", "30s", "5m", "1h30m", "2d"), for timeouts, polling
// intervals and staleness windows.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/error.h"

namespace launchkit::util {

// Parses a sequence of <number><unit> (units ms, s, m, h, d); a bare number means seconds.
// Errors (exit code 2) quote the text and the expected form.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest exact spelling parse_duration accepts: "1h30m", "250ms", "0s".
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace launchkit::util

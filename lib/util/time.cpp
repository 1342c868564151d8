#include "util/time.h"

#include <ctime>

#include <fmt/format.h>

namespace launchkit::util {
namespace {

std::tm to_utc(TimePoint time) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm parts{};
    ::gmtime_r(&seconds, &parts);
    return parts;
}

}  // namespace

std::string format_rfc3339(TimePoint time) {
    std::tm t = to_utc(time);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.tm_year + 1900, t.tm_mon + 1,
                       t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
}

std::string format_date(TimePoint time) {
    std::tm t = to_utc(time);
    return fmt::format("{:04}-{:02}-{:02}", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
}

TimePoint from_unix_seconds(long long seconds) {
    return TimePoint(std::chrono::seconds(seconds));
}

}  // namespace launchkit::util

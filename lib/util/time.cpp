#include "util/time.h"

#include <algorithm>
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

// Reads exactly `digits` decimal digits at `position`.
std::optional<int> read_number(std::string_view text, size_t position, size_t digits) {
    if (position + digits > text.size()) return std::nullopt;
    int value = 0;
    for (size_t i = position; i < position + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

std::optional<std::chrono::sys_days> read_date(std::string_view text) {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto year = read_number(text, 0, 4);
    auto month = read_number(text, 5, 2);
    auto day = read_number(text, 8, 2);
    if (!year || !month || !day) return std::nullopt;
    // TimePoint counts nanoseconds in 64 bits: it holds 1678 to 2262, and a year outside would
    // overflow rather than fail.
    if (*year < min_year || *year > max_year) return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year(*year),
                                     std::chrono::month(static_cast<unsigned>(*month)),
                                     std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) return std::nullopt;
    return std::chrono::sys_days(date);
}

}  // namespace

std::string format_rfc3339(TimePoint time) {
    std::tm t = to_utc(time);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.tm_year + 1900, t.tm_mon + 1,
                       t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
}

std::string format_rfc3339_ms(TimePoint time) {
    std::tm t = to_utc(time);
    auto since_epoch =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
    auto millis = ((since_epoch.count() % 1000) + 1000) % 1000;
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", t.tm_year + 1900, t.tm_mon + 1,
                       t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, millis);
}

std::string format_date(TimePoint time) {
    std::tm t = to_utc(time);
    return fmt::format("{:04}-{:02}-{:02}", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
}

TimePoint from_unix_seconds(long long seconds) {
    // One second inside the range, so that adding a fraction of a second cannot overflow.
    constexpr long long limit =
        std::chrono::duration_cast<std::chrono::seconds>(TimePoint::duration::max()).count() - 1;
    return TimePoint(std::chrono::seconds(std::clamp(seconds, -limit, limit)));
}

std::string format_unix_date(long long seconds) {
    constexpr long long first = -62'135'596'800;  // 0001-01-01T00:00:00Z
    constexpr long long last = 253'402'300'799;   // 9999-12-31T23:59:59Z
    std::time_t time = std::clamp(seconds, first, last);
    std::tm t{};
    ::gmtime_r(&time, &t);
    return fmt::format("{:04}-{:02}-{:02}", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
}

double seconds_between(TimePoint from, TimePoint to) {
    auto since_epoch = [](TimePoint time) {
        return std::chrono::duration<double>(time.time_since_epoch()).count();
    };
    return since_epoch(to) - since_epoch(from);
}

std::chrono::milliseconds milliseconds_between(TimePoint from, TimePoint to) {
    using std::chrono::floor;
    using std::chrono::milliseconds;
    return floor<milliseconds>(to.time_since_epoch()) -
           floor<milliseconds>(from.time_since_epoch());
}

std::optional<TimePoint> parse_date(std::string_view text) {
    if (text.size() != 10) return std::nullopt;
    auto day = read_date(text);
    if (!day) return std::nullopt;
    return TimePoint(*day);
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
    auto day = read_date(text);
    if (!day || text.size() < 20 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
        text[16] != ':')
        return std::nullopt;
    auto hour = read_number(text, 11, 2);
    auto minute = read_number(text, 14, 2);
    auto second = read_number(text, 17, 2);
    if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60)
        return std::nullopt;
    size_t position = 19;
    std::chrono::nanoseconds fraction{0};
    if (text[position] == '.') {
        size_t start = ++position;
        long long scale = 1'000'000'000;
        while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
            scale /= 10;
            fraction += std::chrono::nanoseconds((text[position] - '0') * scale);
            ++position;
        }
        if (position == start) return std::nullopt;
    }
    std::chrono::minutes offset{0};
    if (position < text.size() && (text[position] == 'Z' || text[position] == 'z')) {
        ++position;
    } else if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
        auto offset_hours = read_number(text, position + 1, 2);
        auto offset_minutes = read_number(text, position + 4, 2);
        if (!offset_hours || !offset_minutes || text[position + 3] != ':') return std::nullopt;
        offset = std::chrono::hours(*offset_hours) + std::chrono::minutes(*offset_minutes);
        if (text[position] == '-') offset = -offset;
        position += 6;
    } else {
        return std::nullopt;
    }
    if (position != text.size()) return std::nullopt;
    auto time = TimePoint(*day) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
                std::chrono::seconds(*second) - offset;
    return time + std::chrono::duration_cast<TimePoint::duration>(fraction);
}

}  // namespace launchkit::util

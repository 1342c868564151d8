#include "util/duration.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace launchkit::util {

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
    auto invalid = [&] {
        return fail(ExitCode::invalid_input,
                    "invalid duration '{}' (expected e.g. 500ms, 30s, 5m, 1h30m, 2d)", text);
    };
    if (text.empty()) return invalid();
    std::chrono::milliseconds total{0};
    std::string_view rest = text;
    while (!rest.empty()) {
        long long number = 0;
        auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), number);
        if (error != std::errc() || number < 0) return invalid();
        rest.remove_prefix(static_cast<size_t>(end - rest.data()));
        long long unit_ms = 0;
        size_t unit_length = 1;
        if (rest.empty()) {
            if (total.count() != 0) return invalid();  // "1m30" is ambiguous
            unit_ms = 1000;
            unit_length = 0;
        } else if (rest.starts_with("ms")) {
            unit_ms = 1;
            unit_length = 2;
        } else if (rest.front() == 's') {
            unit_ms = 1000;
        } else if (rest.front() == 'm') {
            unit_ms = 60'000;
        } else if (rest.front() == 'h') {
            unit_ms = 3'600'000;
        } else if (rest.front() == 'd') {
            unit_ms = 86'400'000;
        } else {
            return invalid();
        }
        rest.remove_prefix(unit_length);
        if (number > (max_duration - total).count() / unit_ms)
            return fail(ExitCode::invalid_input, "invalid duration '{}': longer than {}d", text,
                        std::chrono::duration_cast<std::chrono::hours>(max_duration).count() / 24);
        total += std::chrono::milliseconds(number * unit_ms);
    }
    return total;
}

std::string format_duration(std::chrono::milliseconds duration) {
    // A duration read from a file may be any integer: the extremes are clamped first, so that
    // negating and rounding stay in range (-LLONG_MIN overflowed).
    constexpr long long limit = std::numeric_limits<long long>::max() - 1000;
    long long ms = std::clamp<long long>(duration.count(), -limit, limit);
    std::string sign = ms < 0 ? "-" : "";
    if (ms < 0) ms = -ms;
    if (ms < 1000) return fmt::format("{}{} ms", sign, ms);
    if (ms < 59'950) {
        // Tenths, rounded; "12 s" rather than "12.0 s".
        long long tenths = (ms + 50) / 100;
        if (tenths % 10 == 0) return fmt::format("{}{} s", sign, tenths / 10);
        return fmt::format("{}{}.{} s", sign, tenths / 10, tenths % 10);
    }
    struct Unit {
        long long ms;
        std::string_view name;
    };
    constexpr Unit units[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "min"}, {1000, "s"}};
    long long seconds_rounded = (ms + 500) / 1000 * 1000;
    for (size_t i = 0; i + 1 < std::size(units); ++i) {
        if (seconds_rounded < units[i].ms) continue;
        long long major = seconds_rounded / units[i].ms;
        long long minor = seconds_rounded % units[i].ms / units[i + 1].ms;
        if (minor == 0) return fmt::format("{}{} {}", sign, major, units[i].name);
        return fmt::format("{}{} {} {} {}", sign, major, units[i].name, minor, units[i + 1].name);
    }
    return fmt::format("{}{} s", sign, seconds_rounded / 1000);
}

std::string format_seconds(double seconds) {
    // Any double a file holds: llround of one beyond long long's range (1e300, infinity) gave
    // LLONG_MIN, and NaN has no duration.
    if (std::isnan(seconds)) seconds = 0;
    double ms = std::clamp(seconds * 1000, -9.2e18, 9.2e18);
    return format_duration(std::chrono::milliseconds(std::llround(ms)));
}

std::string format_duration_spec(std::chrono::milliseconds duration) {
    long long ms = duration.count();
    if (ms == 0) return "0s";
    std::string text;
    auto take = [&](long long unit, std::string_view suffix) {
        if (ms >= unit) {
            text += fmt::format("{}{}", ms / unit, suffix);
            ms %= unit;
        }
    };
    take(86'400'000, "d");
    take(3'600'000, "h");
    take(60'000, "m");
    take(1000, "s");
    take(1, "ms");
    return text;
}

}  // namespace launchkit::util

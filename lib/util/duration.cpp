#include "util/duration.h"

#include <charconv>

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
        if (number > (1LL << 50) / unit_ms) return invalid();
        total += std::chrono::milliseconds(number * unit_ms);
    }
    return total;
}

std::string format_duration(std::chrono::milliseconds duration) {
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

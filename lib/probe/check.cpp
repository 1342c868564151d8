#include "probe/check.h"

#include <charconv>

#include "util/bounded_json.h"
#include "util/strings.h"

namespace launchkit::probe {

std::string_view to_string(Severity severity) {
    return severity == Severity::critical ? "critical" : "warning";
}

std::string_view to_string(Comparison comparison) {
    switch (comparison) {
        case Comparison::equal:
            return "==";
        case Comparison::not_equal:
            return "!=";
        case Comparison::less:
            return "<";
        case Comparison::less_equal:
            return "<=";
        case Comparison::greater:
            return ">";
        case Comparison::greater_equal:
            return ">=";
    }
    return "?";
}

bool compare_numbers(double left, Comparison comparison, double right) {
    switch (comparison) {
        case Comparison::equal:
            return left == right;
        case Comparison::not_equal:
            return left != right;
        case Comparison::less:
            return left < right;
        case Comparison::less_equal:
            return left <= right;
        case Comparison::greater:
            return left > right;
        case Comparison::greater_equal:
            return left >= right;
    }
    return false;
}

std::string_view probe_kind(const Check& check) {
    switch (check.probe.index()) {
        case 0:
            return "http";
        case 1:
            return "tcp";
        case 2:
            return "command";
        case 3:
            return "disk";
        default:
            return "file_age";
    }
}

std::optional<JsonExpectation> parse_json_expectation(std::string_view text) {
    text = util::trim(text);
    auto space = text.find(' ');
    if (text.empty() || text.front() != '/' || space == std::string_view::npos) return std::nullopt;
    JsonExpectation expectation;
    expectation.pointer = std::string(text.substr(0, space));
    auto rest = util::trim(text.substr(space));
    static constexpr std::pair<std::string_view, Comparison> operators[] = {
        {"==", Comparison::equal},      {"!=", Comparison::not_equal},
        {"<=", Comparison::less_equal}, {">=", Comparison::greater_equal},
        {"<", Comparison::less},        {">", Comparison::greater}};
    bool found = false;
    for (const auto& [symbol, comparison] : operators) {
        if (rest.starts_with(symbol)) {
            expectation.comparison = comparison;
            rest = util::trim(rest.substr(symbol.size()));
            found = true;
            break;
        }
    }
    if (!found || rest.empty()) return std::nullopt;
    // A value nested deeper than any answer worth comparing is refused (comparing and printing
    // it recurse once per level); anything else that is not JSON is compared as text.
    if (util::line_nested_deeper_than(rest, util::max_json_depth)) return std::nullopt;
    auto value = util::parse_json(rest);
    expectation.value = value ? std::move(*value) : nlohmann::json(std::string(rest));
    try {
        nlohmann::json::json_pointer pointer(expectation.pointer);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    return expectation;
}

std::optional<StatusRange> parse_status_range(std::string_view text) {
    text = util::trim(text);
    auto number = [](std::string_view digits) -> std::optional<int> {
        int value = 0;
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (digits.size() != 3 || error != std::errc() || end != digits.data() + digits.size() ||
            value < 100 || value > 599)
            return std::nullopt;
        return value;
    };
    if (text.size() == 3 && (text.ends_with("xx") || text.ends_with("XX"))) {
        if (text[0] < '1' || text[0] > '5') return std::nullopt;
        int hundred = (text[0] - '0') * 100;
        return StatusRange{hundred, hundred + 99};
    }
    if (auto dash = text.find('-'); dash != std::string_view::npos) {
        auto low = number(text.substr(0, dash));
        auto high = number(text.substr(dash + 1));
        if (!low || !high || *low > *high) return std::nullopt;
        return StatusRange{*low, *high};
    }
    auto single = number(text);
    if (!single) return std::nullopt;
    return StatusRange{*single, *single};
}

}  // namespace launchkit::probe

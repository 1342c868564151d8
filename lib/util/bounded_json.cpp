#include "util/bounded_json.h"

#include <limits>

namespace launchkit::util {

std::optional<size_t> line_nested_deeper_than(std::string_view text, int limit, bool yaml) {
    int depth = 0;
    size_t line = 1;
    char quote = 0;  // the quote a string opened with, or 0 outside strings
    bool escaped = false;
    for (char c : text) {
        if (c == '\n') ++line;
        if (quote != 0) {
            if (escaped)
                escaped = false;
            else if (c == '\\' && quote == '"')
                escaped = true;
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' && !yaml) {
            quote = c;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return line;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

Result<nlohmann::json> parse_json(std::string_view text, ExitCode code) {
    if (auto line = line_nested_deeper_than(text, max_json_depth))
        return fail(code, "nested deeper than {} levels (line {})", max_json_depth, *line);
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded()) return fail(code, "not valid JSON");
    return json;
}

std::string dump_json(const nlohmann::json& value, int indent) {
    return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

const nlohmann::json* find_pointer(const nlohmann::json& document,
                                   const nlohmann::json::json_pointer& pointer) {
    try {
        return &document.at(pointer);
    } catch (const nlohmann::json::exception&) {  // out_of_range (missing) or parse_error
        return nullptr;
    }
}

const nlohmann::json& member_or_null(const nlohmann::json& object, std::string_view name) {
    static const nlohmann::json null;
    if (!object.is_object()) return null;
    auto found = object.find(name);
    return found == object.end() ? null : *found;
}

std::uint64_t count_member(const nlohmann::json& object, std::string_view name) {
    if (!object.is_object()) return 0;
    auto found = object.find(name);
    if (found == object.end() || !found->is_number()) return 0;
    if (found->is_number_unsigned()) return found->get<std::uint64_t>();
    double value = found->get<double>();  // a negative integer or a float
    if (!(value > 0)) return 0;
    if (value >= 18446744073709551615.0) return std::numeric_limits<std::uint64_t>::max();
    return static_cast<std::uint64_t>(value);
}

std::optional<std::string> string_member(const nlohmann::json& object, std::string_view name) {
    if (!object.is_object()) return std::nullopt;
    auto found = object.find(name);
    if (found == object.end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
}

}  // namespace launchkit::util

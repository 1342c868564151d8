// JSON launchkit reads from its own files (which a disk or a person may have damaged) and from
// servers it does not control, with its nesting bounded: code that walks a value (dump, compare,
// copy) recurses once per level, and 100,000 levels overflow the stack.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit::util {

// Deeper than any document launchkit writes or reads (a playbook step's body inside a journal
// event inside a run adds a few levels to YAML's 64).
inline constexpr int max_json_depth = 128;

// Where `text` first opens its `limit`+1-th nested [ or {, as a 1-based line; none when it stays
// within `limit`. JSON strings are skipped; in YAML, where a quote may be an apostrophe, every
// bracket counts (closing ones too), which can only err towards refusing.
std::optional<size_t> line_nested_deeper_than(std::string_view text, int limit, bool yaml = false);

// The member `name` of `object` when it is a string; nullopt when `object` is not an object, the
// member is missing, or it is anything else. nlohmann's value("name", "") throws on a member of
// another type, and what a server or a damaged file holds decides that type.
std::optional<std::string> string_member(const nlohmann::json& object, std::string_view name);

// The integer `value` holds when T represents it; nullopt for anything else (a float, a string,
// an integer out of T's range). nlohmann's get<T>() casts a float (1e55) or a too-large integer
// to T, which for a float is undefined behaviour and for an integer a wrapped number.
template <std::integral T>
std::optional<T> integer_value(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
        auto number = value.get<std::uint64_t>();
        if (std::in_range<T>(number)) return static_cast<T>(number);
    } else if (value.is_number_integer()) {
        auto number = value.get<std::int64_t>();
        if (std::in_range<T>(number)) return static_cast<T>(number);
    }
    return std::nullopt;
}

// As integer_value, for readers whose handlers of json::exception report a damaged file: anything
// but an integer that T represents throws nlohmann's type_error (as get<T>() does for a string).
template <std::integral T>
T json_integer(const nlohmann::json& value) {
    if (auto number = integer_value<T>(value)) return *number;
    if (!value.is_number_integer())
        throw nlohmann::json::type_error::create(
            302, std::string("type must be an integer, but is ") + value.type_name(), &value);
    throw nlohmann::json::type_error::create(302, "integer " + value.dump() + " is out of range",
                                             &value);
}

// The member `name` of `object`, or a JSON null when there is none or `object` is not an object.
// nlohmann's operator[] on a const object is undefined for a missing key, and a file that was
// edited or written by an older version may lack any of them.
const nlohmann::json& member_or_null(const nlohmann::json& object, std::string_view name);

// The integer member `name` of `object` as T, or `fallback` when there is no such member (where
// nlohmann's value(name, fallback) would cast a float).
template <std::integral T>
T json_integer_or(const nlohmann::json& object, std::string_view name, T fallback) {
    auto found = object.find(name);
    return found == object.end() ? fallback : json_integer<T>(*found);
}

// The value `pointer` (RFC 6901) names in `document`, or nullptr when there is none. nlohmann's
// contains() throws instead of answering for some tokens that cannot index an array (an empty
// one: "/" against [...]), which the pointer and the document, both input, decide.
const nlohmann::json* find_pointer(const nlohmann::json& document,
                                   const nlohmann::json::json_pointer& pointer);

// The member `name` as a count (bytes, files) in another tool's report: 0 when it is missing, not
// a number, or negative; a float is truncated and clamped to the range, never cast out of it.
std::uint64_t count_member(const nlohmann::json& object, std::string_view name);

// Parses `text`; exit code `code` with "not valid JSON" or "nested deeper than 128 levels (line
// N)" for the caller to put after its file:line.
Result<nlohmann::json> parse_json(std::string_view text, ExitCode code = ExitCode::environment);

// JSON text that never throws: a string holding invalid UTF-8 (a --reason, a file name, a value
// typed in a playbook) is written with U+FFFD in its place, where nlohmann's dump() would throw
// in the middle of a write or an error message.
std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace launchkit::util

#include "flags/evaluation_context.h"

#include <array>
#include <charconv>
#include <cstdlib>

#include "util/strings.h"

namespace launchkit::flags {

namespace {
constexpr std::array<std::string_view, 6> standard_names = {
    "userId", "sessionId", "remoteAddress", "environment", "appName", "currentTime"};
}  // namespace

bool EvaluationContext::is_standard_field(std::string_view name) {
    for (auto standard : standard_names)
        if (standard == name) return true;
    return false;
}

void EvaluationContext::set(std::string name, std::string value) {
    if (is_standard_field(name))
        standard_[std::move(name)] = std::move(value);
    else
        properties_[std::move(name)] = std::move(value);
}

void EvaluationContext::set_property(std::string name, std::string value) {
    properties_[std::move(name)] = std::move(value);
}

std::optional<std::string_view> EvaluationContext::value(std::string_view name) const {
    if (auto found = standard_.find(name); found != standard_.end()) return found->second;
    if (auto found = properties_.find(name); found != properties_.end()) return found->second;
    return std::nullopt;
}

std::optional<std::string_view> EvaluationContext::standard(std::string_view name) const {
    if (auto found = standard_.find(name); found != standard_.end()) return found->second;
    return std::nullopt;
}

namespace {

// JavaScript's Number::toString (ECMA-262 §6.1.6.1.20): the shortest digits that read back as
// the same double, written out in full for exponents up to 21 and down to 10^-6 ("2", not
// "2.0"; "1000000000000000", not "1e+15"; "1e-7", not "1e-07"). The Unleash SDKs compare a
// number the application passed as this text, so a STR_ or IN constraint must see the same.
std::string javascript_number_text(double number) {
    if (number == 0) return "0";  // -0 too
    std::array<char, 64> buffer{};
    auto written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number,
                                 std::chars_format::scientific);
    std::string_view scientific(buffer.data(), written.ptr);  // "-1.2345e+15"
    std::string text;
    if (scientific.front() == '-') {
        text = "-";
        scientific.remove_prefix(1);
    }
    auto e = scientific.find('e');
    std::string digits;
    for (char c : scientific.substr(0, e))
        if (c != '.') digits += c;
    int exponent = 0;  // of the first digit; JavaScript's n is exponent + 1
    auto exponent_text = scientific.substr(e + 1);
    std::from_chars(exponent_text.data() + (exponent_text.front() == '+'),
                    exponent_text.data() + exponent_text.size(), exponent);
    int count = static_cast<int>(digits.size());
    int n = exponent + 1;
    if (count <= n && n <= 21)
        text += digits + std::string(static_cast<std::size_t>(n - count), '0');
    else if (0 < n && n <= 21)
        text += digits.substr(0, static_cast<std::size_t>(n)) + "." +
                digits.substr(static_cast<std::size_t>(n));
    else if (-6 < n && n <= 0)
        text += "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
    else {
        text += digits.substr(0, 1);
        if (count > 1) text += "." + digits.substr(1);
        text += (exponent < 0 ? "e-" : "e+") + std::to_string(std::abs(exponent));
    }
    return text;
}

// JavaScript's String(value) for what a JSON context may hold; nothing for null. Integers keep
// the digits they were sent with.
Result<std::optional<std::string>> value_text(const nlohmann::json& value, std::string_view where,
                                              std::string_view field) {
    std::string text;
    if (value.is_null()) return std::optional<std::string>();
    if (value.is_string())
        text = value.get<std::string>();
    else if (value.is_boolean())
        text = value.get<bool>() ? "true" : "false";
    else if (value.is_number_integer() || value.is_number_unsigned())
        text = value.dump();
    else if (value.is_number_float())
        text = javascript_number_text(value.get<double>());
    else
        return fail(ExitCode::invalid_input,
                    "{}: context field '{}': expected a string, a number "
                    "or a boolean, got {}",
                    where, field, value.type_name());
    if (text.size() > max_context_value_length)
        return fail(ExitCode::invalid_input,
                    "{}: context field '{}': {} bytes, more than the {} a value may hold", where,
                    field, text.size(), max_context_value_length);
    return std::optional<std::string>(std::move(text));
}

Result<void> check_count(const EvaluationContext& context, std::string_view where) {
    if (context.size() > max_context_fields)
        return fail(ExitCode::invalid_input, "{}: more than {} context fields", where,
                    max_context_fields);
    return {};
}

}  // namespace

Result<EvaluationContext> context_from_json(const nlohmann::json& json, std::string_view where) {
    if (!json.is_object())
        return fail(ExitCode::invalid_input, "{}: a context is a JSON object, not {}", where,
                    json.type_name());
    EvaluationContext context;
    for (const auto& [name, value] : json.items()) {
        if (name == "properties") {
            if (value.is_null()) continue;
            if (!value.is_object())
                return fail(ExitCode::invalid_input,
                            "{}: context 'properties' must be an object of name to value", where);
            for (const auto& [property, item] : value.items()) {
                LAUNCHKIT_TRY_ASSIGN(auto text, value_text(item, where, property));
                if (text) context.set_property(property, std::move(*text));
                LAUNCHKIT_TRY(check_count(context, where));
            }
            continue;
        }
        LAUNCHKIT_TRY_ASSIGN(auto text, value_text(value, where, name));
        if (!text) continue;
        // Unleash's SDKs read only their standard fields from the top level; anything else
        // there is what the caller meant as a property.
        context.set(name, std::move(*text));
        LAUNCHKIT_TRY(check_count(context, where));
    }
    return context;
}

Result<EvaluationContext> context_from_pairs(const std::vector<std::string>& pairs) {
    EvaluationContext context;
    for (const auto& pair : pairs) {
        auto equals = pair.find('=');
        if (equals == std::string::npos || equals == 0)
            return fail(ExitCode::invalid_input,
                        "--context '{}': expected NAME=VALUE (e.g. userId=42 or region=eu)",
                        util::printable(pair, 80));
        auto value = pair.substr(equals + 1);
        if (value.size() > max_context_value_length)
            return fail(ExitCode::invalid_input,
                        "--context {}: {} bytes, more than the {} a value may hold",
                        pair.substr(0, equals), value.size(), max_context_value_length);
        context.set(pair.substr(0, equals), std::move(value));
        LAUNCHKIT_TRY(check_count(context, "--context"));
    }
    return context;
}

nlohmann::json to_json(const EvaluationContext& context) {
    auto json = nlohmann::json::object();
    for (const auto& [name, value] : context.standard_fields()) json[name] = value;
    if (!context.properties().empty()) {
        auto properties = nlohmann::json::object();
        for (const auto& [name, value] : context.properties()) properties[name] = value;
        json["properties"] = std::move(properties);
    }
    return json;
}

}  // namespace launchkit::flags

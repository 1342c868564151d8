#include "core/yaml_reader.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "util/duration.h"

namespace launchkit {

// yaml-cpp's conversions define what launchkit's files have always accepted as a number or a
// boolean; they read a scalar node, made here from the text alone.
std::optional<bool> yaml_boolean(const YamlNode& node) {
    bool value = false;
    if (!node.is_scalar() || !YAML::convert<bool>::decode(YAML::Node(node.text()), value))
        return std::nullopt;
    return value;
}

std::optional<long long> yaml_integer(const YamlNode& node) {
    long long value = 0;
    if (!node.is_scalar() || !YAML::convert<long long>::decode(YAML::Node(node.text()), value))
        return std::nullopt;
    return value;
}

std::optional<double> yaml_number(const YamlNode& node) {
    double value = 0;
    if (!node.is_scalar() || !YAML::convert<double>::decode(YAML::Node(node.text()), value))
        return std::nullopt;
    return value;
}

Result<YamlNode> YamlReader::load(std::string_view text) const {
    return load_yaml(text, source_);
}

std::unexpected<Error> YamlReader::invalid(const YamlNode& node, std::string_view field,
                                           std::string_view expected) const {
    auto where = node.line() == 0 ? source_ : fmt::format("{}:{}", source_, node.line());
    return fail(ExitCode::invalid_input, "{}: {}: {}", where, field, expected);
}

Result<void> YamlReader::only_keys(const YamlNode& map, std::string_view prefix,
                                   std::initializer_list<std::string_view> known) const {
    for (const auto& entry : map.entries()) {
        const auto& key = entry.first.text();
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::set<std::string_view> sorted(known);
        std::string expected;
        for (auto name : sorted)
            expected += fmt::format("{}{}", expected.empty() ? "" : ", ", name);
        return invalid(entry.first, fmt::format("{}{}", prefix, key),
                       fmt::format("unknown key (expected one of: {})", expected));
    }
    return {};
}

Result<std::string> YamlReader::text(const YamlNode& node, std::string_view field) const {
    if (!node || node.is_null()) return std::string();
    if (!node.is_scalar()) return invalid(node, field, "expected a string");
    return node.text();
}

Result<bool> YamlReader::boolean(const YamlNode& node, std::string_view field) const {
    auto value = yaml_boolean(node);
    if (!value) return invalid(node, field, "expected true or false");
    return *value;
}

Result<long long> YamlReader::integer(const YamlNode& node, std::string_view field, long long min,
                                      long long max) const {
    auto value = yaml_integer(node);
    if (!value || *value < min || *value > max)
        return invalid(
            node, field,
            fmt::format("expected a whole number from {} to {}{}", min, max,
                        node.is_scalar() ? ", got '" + node.text() + "'" : std::string()));
    return *value;
}

Result<double> YamlReader::number(const YamlNode& node, std::string_view field, double min,
                                  double max) const {
    auto value = yaml_number(node);
    if (!value || !(*value >= min && *value <= max))
        return invalid(
            node, field,
            fmt::format("expected a number from {:g} to {:g}{}", min, max,
                        node.is_scalar() ? ", got '" + node.text() + "'" : std::string()));
    return *value;
}

Result<std::chrono::milliseconds> YamlReader::duration(const YamlNode& node,
                                                       std::string_view field) const {
    LAUNCHKIT_TRY_ASSIGN(auto text, this->text(node, field));
    auto parsed = util::parse_duration(text);
    if (!parsed) return invalid(node, field, parsed.error().message);
    return *parsed;
}

Result<std::vector<std::string>> YamlReader::text_list(const YamlNode& node,
                                                       std::string_view field) const {
    std::vector<std::string> items;
    if (!node || node.is_null()) return items;
    if (node.is_scalar()) {
        items.push_back(node.text());
        return items;
    }
    if (!node.is_sequence()) return invalid(node, field, "expected a string or a list of strings");
    for (size_t i = 0; i < node.size(); ++i) {
        LAUNCHKIT_TRY_ASSIGN(auto item, text(node[i], fmt::format("{}[{}]", field, i)));
        items.push_back(std::move(item));
    }
    return items;
}

nlohmann::json YamlReader::scalar_json(const YamlNode& node) {
    if (!node || node.is_null()) return nullptr;
    const auto& scalar = node.text();
    if (node.is_plain()) {  // plain (unquoted) scalars may be numbers or booleans
        if (auto integer = yaml_integer(node)) return *integer;
        if (auto number = yaml_number(node)) return *number;
        if (auto flag = yaml_boolean(node)) return *flag;
    }
    return scalar;
}

nlohmann::json yaml_to_json(const YamlNode& node) {
    if (node.is_map()) {
        auto object = nlohmann::json::object();
        for (const auto& entry : node.entries())
            object[entry.first.text()] = yaml_to_json(entry.second);
        return object;
    }
    if (node.is_sequence()) {
        auto array = nlohmann::json::array();
        for (const auto& item : node.items()) array.push_back(yaml_to_json(item));
        return array;
    }
    if (!node || node.is_null()) return nullptr;
    return YamlReader::scalar_json(node);
}

}  // namespace launchkit

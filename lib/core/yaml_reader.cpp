#include "core/yaml_reader.h"

#include <algorithm>
#include <unordered_map>

#include "util/bounded_json.h"
#include "util/duration.h"
#include "util/progress_meter.h"

namespace launchkit {

YamlMap::YamlMap(const YAML::Node& map) {
    if (!map.IsMap()) return;
    entries_.reserve(map.size());
    for (const auto& entry : map)
        if (entry.first.IsScalar()) entries_.emplace_back(entry.first.Scalar(), entry.second);
}

YAML::Node YamlMap::operator[](std::string_view key) const {
    for (const auto& [name, value] : entries_)
        if (name == key) return value;
    static const YAML::Node absent(YAML::NodeType::Undefined);  // one for all: never written
    return absent;
}

namespace {

// yaml-cpp keeps both entries of a repeated key and answers the first: a second `rollback:`
// section, or a threshold given twice, would be dropped without a word. Aliases share one node
// but every reader walks each use: `budget` counts the nodes as read, so that a few aliases of
// aliases ("billion laughs") are refused instead of expanded.
Result<void> check_node(const YAML::Node& node, std::string_view source, int depth,
                        size_t& budget) {
    if (depth > max_yaml_depth)
        return fail(ExitCode::invalid_input, "{}:{}: nested deeper than {} levels", source,
                    node.Mark().line + 1, max_yaml_depth);
    if (budget == 0)
        return fail(ExitCode::invalid_input,
                    "{}:{}: more than {} values once its aliases are expanded", source,
                    node.Mark().line + 1, max_yaml_nodes);
    --budget;
    if (node.IsSequence()) {
        for (const auto& item : node) LAUNCHKIT_TRY(check_node(item, source, depth + 1, budget));
    } else if (node.IsMap()) {
        std::unordered_map<std::string, int> seen;
        seen.reserve(node.size());
        for (const auto& entry : node) {
            int line = entry.first.Mark().line + 1;
            // Every launchkit file names things by its keys: a list, a map or null as a key
            // (`? [a, b]`, `~:`) is a mistake, and no reader could convert it to a name.
            if (!entry.first.IsScalar())
                return fail(ExitCode::invalid_input,
                            "{}:{}: a key must be a name, not {} (quote it if it is one)", source,
                            std::max(line, 1),
                            entry.first.IsNull()       ? "null"
                            : entry.first.IsSequence() ? "a list"
                                                       : "a map");
            auto [earlier, inserted] = seen.emplace(entry.first.Scalar(), line);
            if (!inserted)
                return fail(ExitCode::invalid_input,
                            "{}:{}: key '{}' appears twice (first at line {}); keep one", source,
                            line, entry.first.Scalar(), earlier->second);
            LAUNCHKIT_TRY(check_node(entry.second, source, depth + 1, budget));
        }
    }
    return {};
}

}  // namespace

Result<YAML::Node> load_yaml(std::string_view text, std::string_view source) {
    if (text.size() > max_yaml_bytes)
        return fail(ExitCode::invalid_input, "{}: {}, more than the {} a launchkit file may hold",
                    source, util::format_bytes(text.size()), util::format_bytes(max_yaml_bytes));
    // yaml-cpp parses recursively: deep nesting must be refused before it sees the text, in flow
    // style ([[[...) and in block style (each level indented further).
    if (auto line = util::line_nested_deeper_than(text, max_yaml_depth, true))
        return fail(ExitCode::invalid_input, "{}:{}: nested deeper than {} levels", source, *line,
                    max_yaml_depth);
    size_t line_number = 1;
    for (size_t start = 0; start < text.size(); ++line_number) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto indent = text.substr(start, end - start).find_first_not_of(" \t");
        if (indent != std::string_view::npos && indent > max_yaml_indent)
            return fail(ExitCode::invalid_input,
                        "{}:{}: indented {} columns, more than {}: nested too deep", source,
                        line_number, indent, max_yaml_indent);
        start = end + 1;
    }
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& error) {
        return fail(ExitCode::invalid_input, "{}:{}: invalid YAML: {}", source, error.mark.line + 1,
                    error.msg);
    }
    size_t budget = max_yaml_nodes;
    LAUNCHKIT_TRY(check_node(root, source, 0, budget));
    return root;
}

Result<YAML::Node> YamlReader::load(std::string_view text) const {
    return load_yaml(text, source_);
}

std::unexpected<Error> YamlReader::invalid(const YAML::Node& node, std::string_view field,
                                           std::string_view expected) const {
    auto mark = node.Mark();
    auto where = mark.line < 0 ? source_ : fmt::format("{}:{}", source_, mark.line + 1);
    return fail(ExitCode::invalid_input, "{}: {}: {}", where, field, expected);
}

Result<void> YamlReader::only_keys(const YAML::Node& map, std::string_view prefix,
                                   std::initializer_list<std::string_view> known) const {
    for (const auto& entry : map) {
        const auto& key = entry.first.Scalar();
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

Result<std::string> YamlReader::text(const YAML::Node& node, std::string_view field) const {
    if (!node || node.IsNull()) return std::string();
    if (!node.IsScalar()) return invalid(node, field, "expected a string");
    return node.as<std::string>();
}

Result<bool> YamlReader::boolean(const YAML::Node& node, std::string_view field) const {
    bool value = false;
    if (!node || !node.IsScalar() || !YAML::convert<bool>::decode(node, value))
        return invalid(node, field, "expected true or false");
    return value;
}

Result<long long> YamlReader::integer(const YAML::Node& node, std::string_view field, long long min,
                                      long long max) const {
    long long value = 0;
    if (!node || !node.IsScalar() || !YAML::convert<long long>::decode(node, value) ||
        value < min || value > max)
        return invalid(
            node, field,
            fmt::format("expected a whole number from {} to {}{}", min, max,
                        node && node.IsScalar() ? ", got '" + node.Scalar() + "'" : std::string()));
    return value;
}

Result<double> YamlReader::number(const YAML::Node& node, std::string_view field, double min,
                                  double max) const {
    double value = 0;
    if (!node || !node.IsScalar() || !YAML::convert<double>::decode(node, value) ||
        !(value >= min && value <= max))
        return invalid(
            node, field,
            fmt::format("expected a number from {:g} to {:g}{}", min, max,
                        node && node.IsScalar() ? ", got '" + node.Scalar() + "'" : std::string()));
    return value;
}

Result<std::chrono::milliseconds> YamlReader::duration(const YAML::Node& node,
                                                       std::string_view field) const {
    LAUNCHKIT_TRY_ASSIGN(auto text, this->text(node, field));
    auto parsed = util::parse_duration(text);
    if (!parsed) return invalid(node, field, parsed.error().message);
    return *parsed;
}

Result<std::vector<std::string>> YamlReader::text_list(const YAML::Node& node,
                                                       std::string_view field) const {
    std::vector<std::string> items;
    if (!node || node.IsNull()) return items;
    if (node.IsScalar()) {
        items.push_back(node.as<std::string>());
        return items;
    }
    if (!node.IsSequence()) return invalid(node, field, "expected a string or a list of strings");
    for (size_t i = 0; i < node.size(); ++i) {
        LAUNCHKIT_TRY_ASSIGN(auto item, text(node[i], fmt::format("{}[{}]", field, i)));
        items.push_back(std::move(item));
    }
    return items;
}

nlohmann::json YamlReader::scalar_json(const YAML::Node& node) {
    if (!node || node.IsNull()) return nullptr;
    const auto& scalar = node.Scalar();
    if (node.Tag() == "?") {  // plain (unquoted) scalars may be numbers or booleans
        long long integer = 0;
        double number = 0;
        bool flag = false;
        if (YAML::convert<long long>::decode(node, integer)) return integer;
        if (YAML::convert<double>::decode(node, number)) return number;
        if (YAML::convert<bool>::decode(node, flag)) return flag;
    }
    return scalar;
}

}  // namespace launchkit

// Strict reading of user-written YAML documents (checklists, flag imports, playbooks): every
// error names the file, the line and the field path ("checks[2].http.expect.status") and says what
// was expected, and unknown keys are errors rather than silently ignored typos.
#pragma once

#include <chrono>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "base/error.h"

namespace launchkit {

// A mapping's entries, read once. yaml-cpp's `node["key"]` converts every key of the map to a
// string on each lookup, which made reading a 10,000-check list cost more than probing it.
class YamlMap {
  public:
    explicit YamlMap(const YAML::Node& map);
    // The value of `key`, or an undefined node (false in a boolean test) when it is absent.
    YAML::Node operator[](std::string_view key) const;

  private:
    std::vector<std::pair<std::string, YAML::Node>> entries_;
};

// How deep a document may nest: launchkit's files need a handful of levels; a deeper one is a
// mistake or an attack on the parser's stack.
inline constexpr int max_yaml_depth = 64;
// Block-style nesting shows as indentation: 64 levels at up to 8 columns each.
inline constexpr size_t max_yaml_indent = 512;
// Values in one document, aliases counted at each use: far above a 10,000-check checklist.
inline constexpr size_t max_yaml_nodes = 2'000'000;
// A document's size: a 10,000-check checklist is about 1 MiB, 10,000 exported flags about 3 MiB.
// yaml-cpp's tree takes some 50 times the text, so a larger one would cost gigabytes to refuse.
inline constexpr size_t max_yaml_bytes = 16 * 1024 * 1024;

// Parses `text` (`source` names it in errors): a text over max_yaml_bytes, invalid YAML, a key
// repeated in one mapping (both lines named), a key that is not a name, nesting deeper than
// max_yaml_depth (flow or block) or more than max_yaml_nodes values with aliases expanded is
// exit 2.
Result<YAML::Node> load_yaml(std::string_view text, std::string_view source);

class YamlReader {
  public:
    explicit YamlReader(std::string source) : source_(std::move(source)) {}

    const std::string& source() const { return source_; }

    // Parses `text`; a syntax error names source:line.
    Result<YAML::Node> load(std::string_view text) const;

    // Exit code 2: "SOURCE:LINE: FIELD: EXPECTED".
    std::unexpected<Error> invalid(const YAML::Node& node, std::string_view field,
                                   std::string_view expected) const;

    // Rejects keys of `map` not in `known`; `prefix` leads the field path ("checks[0].").
    Result<void> only_keys(const YAML::Node& map, std::string_view prefix,
                           std::initializer_list<std::string_view> known) const;

    // A scalar as text; a missing or null node is empty.
    Result<std::string> text(const YAML::Node& node, std::string_view field) const;
    Result<bool> boolean(const YAML::Node& node, std::string_view field) const;
    Result<long long> integer(const YAML::Node& node, std::string_view field, long long min,
                              long long max) const;
    Result<double> number(const YAML::Node& node, std::string_view field, double min,
                          double max) const;
    // A duration such as "90s", "2m", "1h30m".
    Result<std::chrono::milliseconds> duration(const YAML::Node& node,
                                               std::string_view field) const;
    // A scalar or a list of scalars, as a list.
    Result<std::vector<std::string>> text_list(const YAML::Node& node,
                                               std::string_view field) const;
    // A scalar as JSON: unquoted numbers, booleans and null keep their type; all else is a string.
    static nlohmann::json scalar_json(const YAML::Node& node);

  private:
    std::string source_;
};

}  // namespace launchkit

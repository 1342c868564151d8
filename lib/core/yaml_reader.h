// Strict reading of user-written YAML documents (checklists, flag imports, playbooks): every
// error names the file, the line and the field path ("checks[2].http.expect.status") and says what
// was expected, and unknown keys are errors rather than silently ignored typos.
#pragma once

#include <chrono>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "core/yaml_node.h"

namespace launchkit {

// A scalar's text converted as yaml-cpp converts it ("0x1F", "1e3", ".inf", "yes"), quoted or
// not: a field that asks for a number accepts "5". Nothing for other text or any other kind.
std::optional<bool> yaml_boolean(const YamlNode& node);
std::optional<long long> yaml_integer(const YamlNode& node);
std::optional<double> yaml_number(const YamlNode& node);

// A node as JSON: maps, lists, and scalars as YamlReader::scalar_json reads them (unquoted
// numbers, booleans and null keep their type).
nlohmann::json yaml_to_json(const YamlNode& node);

class YamlReader {
  public:
    explicit YamlReader(std::string source) : source_(std::move(source)) {}

    const std::string& source() const { return source_; }

    // Parses `text`; a syntax error names source:line.
    Result<YamlNode> load(std::string_view text) const;

    // Exit code 2: "SOURCE:LINE: FIELD: EXPECTED".
    std::unexpected<Error> invalid(const YamlNode& node, std::string_view field,
                                   std::string_view expected) const;

    // Rejects keys of `map` not in `known`; `prefix` leads the field path ("checks[0].").
    Result<void> only_keys(const YamlNode& map, std::string_view prefix,
                           std::initializer_list<std::string_view> known) const;

    // A scalar as text; a missing or null node is empty.
    Result<std::string> text(const YamlNode& node, std::string_view field) const;
    Result<bool> boolean(const YamlNode& node, std::string_view field) const;
    Result<long long> integer(const YamlNode& node, std::string_view field, long long min,
                              long long max) const;
    Result<double> number(const YamlNode& node, std::string_view field, double min,
                          double max) const;
    // A duration such as "90s", "2m", "1h30m".
    Result<std::chrono::milliseconds> duration(const YamlNode& node, std::string_view field) const;
    // A scalar or a list of scalars, as a list.
    Result<std::vector<std::string>> text_list(const YamlNode& node, std::string_view field) const;
    // A scalar as JSON: unquoted numbers, booleans and null keep their type; all else is a string.
    static nlohmann::json scalar_json(const YamlNode& node);

  private:
    std::string source_;
};

}  // namespace launchkit

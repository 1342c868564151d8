// A YAML document as launchkit reads it: maps, lists and scalars that know the line they start
// on, parsed by libyaml under launchkit's limits (size, depth, aliases, repeated keys).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/error.h"

namespace launchkit {

// How deep a document may nest: launchkit's files need a handful of levels; a deeper one is a
// mistake or an attack on whatever walks it.
inline constexpr int max_yaml_depth = 64;
// Block-style nesting shows as indentation: 64 levels at up to 8 columns each.
inline constexpr size_t max_yaml_indent = 512;
// Values in one document, aliases counted at each use: far above a 10,000-check checklist.
inline constexpr size_t max_yaml_nodes = 2'000'000;
// A document's size: a 10,000-check checklist is about 1 MiB, 10,000 exported flags about 3 MiB.
inline constexpr size_t max_yaml_bytes = 16 * 1024 * 1024;

class YamlNode {
  public:
    enum class Kind : unsigned char { undefined, null, scalar, sequence, map };
    using Entry = std::pair<YamlNode, YamlNode>;

    // Undefined: what a lookup of an absent key answers (false in a boolean test).
    YamlNode() = default;
    static YamlNode null(int line = 0);
    // `plain`: written without quotes or a tag, so it may stand for a number, a boolean or null.
    static YamlNode scalar(std::string text, bool plain, int line = 0);
    static YamlNode sequence(int line = 0);
    static YamlNode map(int line = 0);

    Kind kind() const { return kind_; }
    explicit operator bool() const { return kind_ != Kind::undefined; }
    bool is_defined() const { return kind_ != Kind::undefined; }
    bool is_null() const { return kind_ == Kind::null; }
    bool is_scalar() const { return kind_ == Kind::scalar; }
    bool is_sequence() const { return kind_ == Kind::sequence; }
    bool is_map() const { return kind_ == Kind::map; }
    bool is_plain() const { return plain_; }
    // A scalar's text; empty for any other kind.
    const std::string& text() const { return text_; }
    // The line the node starts on, from 1; 0 when it has none (absent, or built by code).
    int line() const { return line_; }

    // A list's items or a map's entries; 0 for anything else.
    size_t size() const;
    const std::vector<YamlNode>& items() const { return items_; }
    const std::vector<Entry>& entries() const { return entries_; }
    // A list's item; undefined past the end or on anything but a list.
    const YamlNode& operator[](size_t index) const;
    // A map's value for `key`; undefined when absent or on anything but a map.
    const YamlNode& operator[](std::string_view key) const;
    // A map's first entry with `key`; null when absent or on anything but a map.
    const Entry* find(std::string_view key) const;

    void append(YamlNode item);
    void insert(YamlNode key, YamlNode value);

  private:
    Kind kind_ = Kind::undefined;
    bool plain_ = false;
    int line_ = 0;
    std::string text_;
    std::vector<YamlNode> items_;
    std::vector<Entry> entries_;

    // A large map's keys, each to its first entry: a lookup stays constant-time however many
    // entries a map holds, so a reader that looks up each key of a 10,000-flag import is linear.
    // Shared between copies (an alias copies its anchor's node) and copied before a change.
    struct KeyHash {
        using is_transparent = void;
        size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    };
    using KeyIndex = std::unordered_map<std::string, size_t, KeyHash, std::equal_to<>>;
    std::shared_ptr<KeyIndex> key_index_;
};

// Parses the first document of `text` (`source` names it in errors). Exit 2, naming the line: a
// text over max_yaml_bytes, invalid YAML (including invalid UTF-8), a key repeated in one mapping
// (both lines named), a key that is not a name, nesting deeper than max_yaml_depth (flow or
// block), an alias of an unknown anchor, or more than max_yaml_nodes values with aliases expanded.
Result<YamlNode> load_yaml(std::string_view text, std::string_view source);

}  // namespace launchkit

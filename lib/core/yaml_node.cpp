#include "core/yaml_node.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include <yaml.h>

#include "util/bounded_json.h"
#include "util/progress_meter.h"

namespace launchkit {

YamlNode YamlNode::null(int line) {
    YamlNode node;
    node.kind_ = Kind::null;
    node.line_ = line;
    return node;
}

YamlNode YamlNode::scalar(std::string text, bool plain, int line) {
    YamlNode node;
    node.kind_ = Kind::scalar;
    node.text_ = std::move(text);
    node.plain_ = plain;
    node.line_ = line;
    return node;
}

YamlNode YamlNode::sequence(int line) {
    YamlNode node;
    node.kind_ = Kind::sequence;
    node.line_ = line;
    return node;
}

YamlNode YamlNode::map(int line) {
    YamlNode node;
    node.kind_ = Kind::map;
    node.line_ = line;
    return node;
}

size_t YamlNode::size() const {
    if (kind_ == Kind::sequence) return items_.size();
    if (kind_ == Kind::map) return entries_.size();
    return 0;
}

namespace {
const YamlNode& undefined_node() {
    static const YamlNode absent;  // one for all: never written
    return absent;
}
}  // namespace

const YamlNode& YamlNode::operator[](size_t index) const {
    return kind_ == Kind::sequence && index < items_.size() ? items_[index] : undefined_node();
}

// Below this many entries a scan is as quick as a hash and costs no memory.
constexpr size_t indexed_map_size = 16;

const YamlNode& YamlNode::operator[](std::string_view key) const {
    const auto* entry = find(key);
    return entry ? entry->second : undefined_node();
}

const YamlNode::Entry* YamlNode::find(std::string_view key) const {
    if (kind_ != Kind::map) return nullptr;
    if (key_index_) {
        auto found = key_index_->find(key);
        return found == key_index_->end() ? nullptr : &entries_[found->second];
    }
    for (const auto& entry : entries_)
        if (entry.first.text() == key) return &entry;
    return nullptr;
}

void YamlNode::append(YamlNode item) {
    items_.push_back(std::move(item));
}

void YamlNode::insert(YamlNode key, YamlNode value) {
    entries_.emplace_back(std::move(key), std::move(value));
    if (entries_.size() < indexed_map_size) return;
    if (!key_index_) {
        key_index_ = std::make_shared<KeyIndex>();
        for (size_t i = 0; i < entries_.size(); ++i)
            key_index_->try_emplace(entries_[i].first.text(), i);
        return;
    }
    if (key_index_.use_count() > 1) key_index_ = std::make_shared<KeyIndex>(*key_index_);
    key_index_->try_emplace(entries_.back().first.text(), entries_.size() - 1);
}

namespace {

// Builds the tree from libyaml's events. libyaml parses with explicit stacks, not recursion, and
// so does this: a deep document is refused by count, never by overflowing the stack.
class TreeBuilder {
  public:
    explicit TreeBuilder(std::string_view source) : source_(source) {}

    Result<void> scalar(const yaml_event_t& event) {
        const auto& data = event.data.scalar;
        std::string text(reinterpret_cast<const char*>(data.value), data.length);
        // Untagged and unquoted: YAML's core schema reads "", "~" and "null" as null.
        bool plain = data.tag == nullptr && data.style == YAML_PLAIN_SCALAR_STYLE;
        auto line = line_of(event);
        auto node = plain && is_null_text(text) ? YamlNode::null(line)
                                                : YamlNode::scalar(std::move(text), plain, line);
        LAUNCHKIT_TRY(remember(data.anchor, node));
        return add(std::move(node), 1);
    }

    Result<void> open(const yaml_event_t& event, YamlNode node) {
        LAUNCHKIT_TRY(check_depth(node.line()));
        const auto* anchor = event.type == YAML_MAPPING_START_EVENT
                                 ? event.data.mapping_start.anchor
                                 : event.data.sequence_start.anchor;
        frames_.push_back(Frame{std::move(node), std::nullopt,
                                anchor ? reinterpret_cast<const char*>(anchor) : ""});
        return {};
    }

    Result<void> close() {
        auto frame = std::move(frames_.back());
        frames_.pop_back();
        if (!frame.anchor.empty()) LAUNCHKIT_TRY(remember_named(frame.anchor, frame.node));
        return add(std::move(frame.node), 1);
    }

    Result<void> alias(const yaml_event_t& event) {
        auto name = std::string(reinterpret_cast<const char*>(event.data.alias.anchor));
        auto found = anchors_.find(name);
        if (found == anchors_.end())
            return fail(ExitCode::invalid_input,
                        "{}:{}: alias '*{}' names no anchor defined before it", source_,
                        line_of(event), name);
        const auto& [node, count] = found->second;
        return add(node, count);
    }

    bool done() const { return root_.has_value(); }
    YamlNode take() { return root_ ? std::move(*root_) : YamlNode::null(); }

  private:
    struct Frame {
        YamlNode node;
        std::optional<YamlNode> key;  // a map's key waiting for its value
        std::string anchor;
    };

    static int line_of(const yaml_event_t& event) {
        return static_cast<int>(event.start_mark.line) + 1;
    }

    static bool is_null_text(const std::string& text) {
        return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
    }

    Result<void> check_depth(int line) const {
        if (frames_.size() > static_cast<size_t>(max_yaml_depth))
            return fail(ExitCode::invalid_input, "{}:{}: nested deeper than {} levels", source_,
                        line, max_yaml_depth);
        return {};
    }

    // An anchored node is kept with its size, so that each alias of it counts all it expands to.
    Result<void> remember(const yaml_char_t* anchor, const YamlNode& node) {
        if (anchor == nullptr) return {};
        return remember_named(reinterpret_cast<const char*>(anchor), node);
    }

    Result<void> remember_named(const std::string& anchor, const YamlNode& node) {
        anchors_[anchor] = {node, node_count(node)};
        return {};
    }

    static size_t node_count(const YamlNode& node) {
        size_t count = 1;
        for (const auto& item : node.items()) count += node_count(item);
        for (const auto& [key, value] : node.entries())
            count += node_count(key) + node_count(value);
        return count;
    }

    Result<void> add(YamlNode node, size_t count) {
        if (count > budget_)
            return fail(ExitCode::invalid_input,
                        "{}:{}: more than {} values once its aliases are expanded", source_,
                        std::max(node.line(), 1), max_yaml_nodes);
        budget_ -= count;
        if (frames_.empty()) {
            root_ = std::move(node);
            return {};
        }
        LAUNCHKIT_TRY(check_depth(node.line()));
        auto& frame = frames_.back();
        if (frame.node.is_sequence()) {
            frame.node.append(std::move(node));
            return {};
        }
        if (!frame.key) {
            // Every launchkit file names things by its keys: a list, a map or null as a key
            // (`? [a, b]`, `~:`) is a mistake, and no reader could convert it to a name.
            if (!node.is_scalar())
                return fail(ExitCode::invalid_input,
                            "{}:{}: a key must be a name, not {} (quote it if it is one)", source_,
                            std::max(node.line(), 1),
                            node.is_null()       ? "null"
                            : node.is_sequence() ? "a list"
                                                 : "a map");
            // A repeated key is refused: a reader would see one of the two, and a second
            // `rollback:` section, or a threshold given twice, would be dropped without a word.
            // Checked as the keys come, through the map's own index (no quadratic path).
            if (const auto* earlier = frame.node.find(node.text()))
                return fail(ExitCode::invalid_input,
                            "{}:{}: key '{}' appears twice (first at line {}); keep one", source_,
                            node.line(), node.text(), earlier->first.line());
            frame.key = std::move(node);
            return {};
        }
        frame.node.insert(std::move(*frame.key), std::move(node));
        frame.key.reset();
        return {};
    }

    std::string_view source_;
    std::vector<Frame> frames_;
    std::optional<YamlNode> root_;
    std::unordered_map<std::string, std::pair<YamlNode, size_t>> anchors_;
    size_t budget_ = max_yaml_nodes;
};

// libyaml's marks count from 0; a reader error (bad UTF-8) has only a byte offset.
size_t line_at_offset(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    return static_cast<size_t>(std::count(text.begin(), text.begin() + offset, '\n')) + 1;
}

std::unexpected<Error> syntax_error(const yaml_parser_t& parser, std::string_view text,
                                    std::string_view source) {
    if (parser.error == YAML_MEMORY_ERROR)
        return fail(ExitCode::environment, "{}: out of memory while parsing YAML", source);
    std::string problem = parser.problem ? parser.problem : "unreadable";
    if (parser.error == YAML_READER_ERROR)
        return fail(ExitCode::invalid_input, "{}:{}: invalid YAML: {} (byte {})", source,
                    line_at_offset(text, parser.problem_offset), problem,
                    parser.problem_offset + 1);
    // The commonest mistake in a hand-edited file, and libyaml's message does not name it.
    if (parser.problem_mark.index < text.size() && text[parser.problem_mark.index] == '\t')
        problem += " (a tab: YAML indents with spaces)";
    std::string context;
    if (parser.context)
        context = fmt::format(" ({} at line {})", parser.context, parser.context_mark.line + 1);
    return fail(ExitCode::invalid_input, "{}:{}: invalid YAML: {}{}", source,
                parser.problem_mark.line + 1, problem, context);
}

}  // namespace

Result<YamlNode> load_yaml(std::string_view text, std::string_view source) {
    if (text.size() > max_yaml_bytes)
        return fail(ExitCode::invalid_input, "{}: {}, more than the {} a launchkit file may hold",
                    source, util::format_bytes(text.size()), util::format_bytes(max_yaml_bytes));
    // Deep nesting is refused before parsing, naming the line where it passes the limit, in flow
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

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return fail(ExitCode::environment, "{}: out of memory while parsing YAML", source);
    struct ParserGuard {
        yaml_parser_t* parser;
        ~ParserGuard() { yaml_parser_delete(parser); }
    } parser_guard{&parser};
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());

    // The first document only, as yaml-cpp's Load read it.
    TreeBuilder builder(source);
    while (!builder.done()) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) return syntax_error(parser, text, source);
        struct EventGuard {
            yaml_event_t* event;
            ~EventGuard() { yaml_event_delete(event); }
        } event_guard{&event};
        int line = static_cast<int>(event.start_mark.line) + 1;
        switch (event.type) {
            case YAML_SCALAR_EVENT:
                LAUNCHKIT_TRY(builder.scalar(event));
                break;
            case YAML_SEQUENCE_START_EVENT:
                LAUNCHKIT_TRY(builder.open(event, YamlNode::sequence(line)));
                break;
            case YAML_MAPPING_START_EVENT:
                LAUNCHKIT_TRY(builder.open(event, YamlNode::map(line)));
                break;
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT:
                LAUNCHKIT_TRY(builder.close());
                break;
            case YAML_ALIAS_EVENT:
                LAUNCHKIT_TRY(builder.alias(event));
                break;
            case YAML_STREAM_END_EVENT:
                return builder.take();  // no document at all: null, as an empty file
            default:
                break;
        }
    }
    return builder.take();
}

}  // namespace launchkit

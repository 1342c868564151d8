// Human and machine output: aligned tables, colour only when asked for, and JSON with stable keys.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace launchkit {

enum class Color { none, red, green, yellow, bold, dim };

// Wraps `text` in the ANSI sequence for `color` when `enabled`; returns it unchanged otherwise.
std::string colorize(std::string_view text, Color color, bool enabled);

// `text` with its control characters shown escaped (util::printable), except the colour sequences
// `colorize` adds. Cells and lines show what others wrote (a pause reason, a probe's answer, a
// step's message, an actor's name): a carriage return or an erase sequence in it must not
// overwrite or hide what the operator reads.
std::string terminal_safe(std::string_view text);

// A table whose columns are padded to their widest cell; the header is bold on a TTY. Every cell
// is shown terminal_safe.
class Table {
  public:
    explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
    void add_row(std::vector<std::string> cells);
    bool empty() const { return rows_.empty(); }
    void render(std::ostream& out, bool color) const;
    // `render`, or the line `when_empty` instead of a table of headers alone when there are no
    // rows (an empty `when_empty`: the headers alone).
    void render_or(std::ostream& out, bool color, std::string_view when_empty) const;

  private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

// JSON null for "not there" (an empty string), so scripts can test `== null` instead of `== ""`.
inline nlohmann::json string_or_null(const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

// Pretty-printed JSON followed by a newline.
void print_json(std::ostream& out, const nlohmann::json& value);

}  // namespace launchkit

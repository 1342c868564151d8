#include "core/output.h"

#include <algorithm>

#include <fmt/format.h>

#include "util/strings.h"

namespace launchkit {
namespace {

// What colorize writes, and nothing else: a stored text holding "\x1b[8m" (hidden) or
// "\x1b[30;40m" (black on black) is escaped like any other control sequence.
constexpr std::string_view colour_sequences[] = {"\x1b[0m",  "\x1b[1m",  "\x1b[2m",
                                                 "\x1b[31m", "\x1b[32m", "\x1b[33m"};

// Display width of UTF-8 text: count code points, not bytes, so accented names still align, and
// skip ANSI colour sequences, so coloured cells align with plain ones.
size_t display_width(std::string_view text) {
    size_t width = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b') {
            while (i < text.size() && text[i] != 'm') ++i;
            continue;
        }
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++width;
    }
    return width;
}

}  // namespace

std::string colorize(std::string_view text, Color color, bool enabled) {
    if (!enabled || color == Color::none) return std::string(text);
    const char* code = "";
    switch (color) {
        case Color::red:
            code = "31";
            break;
        case Color::green:
            code = "32";
            break;
        case Color::yellow:
            code = "33";
            break;
        case Color::bold:
            code = "1";
            break;
        case Color::dim:
            code = "2";
            break;
        case Color::none:
            break;
    }
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

std::string terminal_safe(std::string_view text) {
    std::string safe;
    size_t start = 0;
    for (size_t at = text.find('\x1b'); at != std::string_view::npos;
         at = text.find('\x1b', at + 1)) {
        auto colour = std::find_if(
            std::begin(colour_sequences), std::end(colour_sequences),
            [&](std::string_view sequence) { return text.substr(at).starts_with(sequence); });
        if (colour == std::end(colour_sequences)) continue;
        safe += util::printable(text.substr(start, at - start));
        safe += *colour;
        at += colour->size() - 1;
        start = at + 1;
    }
    return safe + util::printable(text.substr(start));
}

void Table::add_row(std::vector<std::string> cells) {
    cells.resize(headers_.size());
    for (auto& cell : cells) cell = terminal_safe(cell);
    rows_.push_back(std::move(cells));
}

void Table::render_or(std::ostream& out, bool color, std::string_view when_empty) const {
    if (rows_.empty() && !when_empty.empty())
        out << when_empty << '\n';
    else
        render(out, color);
}

void Table::render(std::ostream& out, bool color) const {
    std::vector<size_t> widths(headers_.size());
    for (size_t i = 0; i < headers_.size(); ++i) widths[i] = display_width(headers_[i]);
    for (const auto& row : rows_)
        for (size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], display_width(row[i]));

    auto render_row = [&](const std::vector<std::string>& cells, bool header) {
        std::string line;
        for (size_t i = 0; i < cells.size(); ++i) {
            bool last = i + 1 == cells.size();
            std::string cell = cells[i];
            if (!last) cell += std::string(widths[i] - display_width(cells[i]) + 2, ' ');
            line += header ? colorize(cell, Color::bold, color) : cell;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    };
    render_row(headers_, true);
    for (const auto& row : rows_) render_row(row, false);
}

void print_json(std::ostream& out, const nlohmann::json& value) {
    // Replace invalid UTF-8 (say, in a --reason) rather than throw halfway through the output.
    out << value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace launchkit

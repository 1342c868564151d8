#include "util/strings.h"

#include <algorithm>
#include <cctype>
#include <numeric>

#include <fmt/format.h>

namespace launchkit::util {

std::string_view trim(std::string_view text) {
    auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> pieces;
    size_t start = 0;
    while (true) {
        auto end = text.find(separator, start);
        pieces.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return pieces;
        start = end + 1;
    }
}

std::vector<std::string> split_whitespace(std::string_view text) {
    std::vector<std::string> words;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i > start) words.emplace_back(text.substr(start, i - start));
    }
    return words;
}

std::string to_lower(std::string_view text) {
    std::string lower(text);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

std::string count_of(size_t count, std::string_view singular, std::string_view plural) {
    if (count == 1) return fmt::format("1 {}", singular);
    if (plural.empty()) return fmt::format("{} {}s", count, singular);
    return fmt::format("{} {}", count, plural);
}

size_t edit_distance(std::string_view left, std::string_view right) {
    std::vector<size_t> row(right.size() + 1);
    std::iota(row.begin(), row.end(), size_t{0});
    for (size_t i = 1; i <= left.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= right.size(); ++j) {
            size_t above = row[j];
            row[j] = std::min(
                {row[j] + 1, row[j - 1] + 1, diagonal + (left[i - 1] == right[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[right.size()];
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    size_t best_distance = std::min<size_t>(3, (word.size() + 1) / 2);
    for (const auto& candidate : candidates) {
        size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

namespace {

// The length of the UTF-8 sequence starting at text[at], or 0 when it is not valid UTF-8 (overlong
// forms, surrogates and code points past U+10FFFF included).
size_t utf8_length(std::string_view text, size_t at) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char lead = byte(at);
    size_t length = lead < 0x80           ? 1
                    : (lead >> 5) == 0x6  ? 2
                    : (lead >> 4) == 0xe  ? 3
                    : (lead >> 3) == 0x1e ? 4
                                          : 0;
    if (length == 0 || at + length > text.size()) return 0;
    for (size_t i = 1; i < length; ++i)
        if ((byte(at + i) & 0xc0) != 0x80) return 0;
    if (length == 2 && lead < 0xc2) return 0;
    if (length == 3) {
        unsigned code = ((lead & 0x0fU) << 12) | ((byte(at + 1) & 0x3fU) << 6);
        if (code < 0x800 || (code >= 0xd800 && code <= 0xdfff)) return 0;
    }
    if (length == 4) {
        unsigned code = ((lead & 0x07U) << 18) | ((byte(at + 1) & 0x3fU) << 12);
        if (code < 0x10000 || code > 0x10ffff) return 0;
    }
    return length;
}

}  // namespace

std::string printable(std::string_view text, size_t limit) {
    std::string out;
    out.reserve(std::min(text.size(), limit) + 16);
    size_t at = 0;
    while (at < text.size()) {
        if (out.size() >= limit) break;
        auto length = utf8_length(text, at);
        unsigned char c = static_cast<unsigned char>(text[at]);
        if (length == 0) {
            out += fmt::format("\\x{:02x}", c);
            ++at;
        } else if (length == 1 && (c < 0x20 || c == 0x7f)) {
            switch (c) {
                case '\n':
                    out += "\\n";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                default:
                    out += fmt::format("\\x{:02x}", c);
            }
            ++at;
        } else if (length == 2 && c == 0xc2 && static_cast<unsigned char>(text[at + 1]) < 0xa0) {
            // C1 controls (U+0080-U+009F): terminals act on some of them too.
            out += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[at + 1]));
            at += 2;
        } else {
            out.append(text.substr(at, length));
            at += length;
        }
    }
    if (at < text.size()) out += fmt::format("… ({} more bytes)", text.size() - at);
    return out;
}

}  // namespace launchkit::util

// Small string helpers shared across domains: trimming, and "did you mean" suggestions for
// mistyped names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace launchkit::util {

// `text` without leading and trailing white space.
std::string_view trim(std::string_view text);

// `text` cut at every `separator` (empty pieces kept: "a..b" is a, "", b). The pieces view `text`:
// no copies, for git logs of tens of thousands of commits.
std::vector<std::string_view> split(std::string_view text, char separator);
// The words of `text` between runs of white space.
std::vector<std::string> split_whitespace(std::string_view text);
// ASCII lower case.
std::string to_lower(std::string_view text);

// `text` safe to print on a terminal or in a log line: control characters escaped (\n, \t, \x1b),
// bytes that are not UTF-8 shown as \xNN, and cut at `limit` bytes with a note of how much was
// left out. What users typed ends up in error messages; it must not clear the screen, forge a
// second line or flood the terminal.
std::string printable(std::string_view text, size_t limit = 4096);

// "1 commit", "3 commits", "0 commits"; `plural` for the irregular ones ("1 entry", "2 entries").
std::string count_of(size_t count, std::string_view singular, std::string_view plural = {});

// Levenshtein distance (insertions, deletions, substitutions each cost 1).
size_t edit_distance(std::string_view left, std::string_view right);

// The candidate closest to `word`, if it is close enough to be a likely typo (distance at most
// 2, and less than half the word's length); ties go to the first candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

}  // namespace launchkit::util

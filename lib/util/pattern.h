// Regular expressions, for patterns users write (a check's body_regex) and for reading text
// launchkit does not control (HTTP bodies, command output). PCRE2 keeps its backtracking on the
// heap under limits: std::regex recursed once per character and overflowed the stack on `.*ok`
// against a 100 KB body.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace launchkit::util {

// Backtracking steps one search may take: `.*healthy` over a 4 MiB body needs about one per byte;
// a catastrophic pattern ((a+)+[bc] over 40 a's) stops here after about 0.2 s instead of running
// for hours.
inline constexpr uint32_t pattern_match_limit = 10'000'000;
// The time one search may take in all: the match limit bounds each start position, this the sum
// over all of them (a pattern that backtracks at every position of a long text).
inline constexpr std::chrono::milliseconds pattern_time_limit{2000};
// Memory for the matcher's backtracking (KiB).
inline constexpr uint32_t pattern_heap_limit_kib = 64 * 1024;
// A pattern's own length.
inline constexpr size_t max_pattern_bytes = 4096;

struct PatternOptions {
    bool ignore_case = false;
    // One search's limits. The defaults suit every caller; the pattern fuzzer lowers them, as
    // PCRE2's own fuzzer does (a match limit of 100), to try thousands of times more patterns in
    // the same time through the same code.
    uint32_t match_limit = pattern_match_limit;
    std::chrono::milliseconds time_limit = pattern_time_limit;
};

// A compiled Perl-compatible pattern (PCRE2 syntax: \d, \s, \b, (?:...), lazy quantifiers),
// matched as UTF-8 where the text is valid UTF-8 and byte by byte where it is not. Copies share
// the compiled code; matching is safe from several threads.
class Pattern {
  public:
    // What went wrong at compile time, with the offset: "missing closing parenthesis at offset 3".
    static std::expected<Pattern, std::string> compile(std::string_view expression,
                                                       PatternOptions options = {});

    // The groups of the first match in `text` (index 0 the whole match; a group that did not
    // take part is nullopt), nullopt when nothing matches, an error when the search gave up at
    // its limits, which a caller treats as a failed check, never as "no match".
    using Groups = std::vector<std::optional<std::string_view>>;
    std::expected<std::optional<Groups>, std::string> find(std::string_view text) const;
    // As `find`, from byte `offset` of `text`: the way to walk every match.
    std::expected<std::optional<Groups>, std::string> find_from(std::string_view text,
                                                                size_t offset) const;
    // Whether the whole of `text` matches.
    std::expected<std::optional<Groups>, std::string> match_whole(std::string_view text) const;
    // Whether `text` contains a match.
    std::expected<bool, std::string> search(std::string_view text) const;

    const std::string& expression() const { return expression_; }

  private:
    struct Compiled;
    Pattern(std::shared_ptr<const Compiled> compiled, std::string expression)
        : compiled_(std::move(compiled)), expression_(std::move(expression)) {}
    std::expected<std::optional<Groups>, std::string> run(std::string_view text, size_t offset,
                                                          bool whole) const;

    std::shared_ptr<const Compiled> compiled_;
    std::string expression_;
};

// A pattern written in launchkit's own source, known to compile.
Pattern builtin_pattern(std::string_view expression, PatternOptions options = {});

}  // namespace launchkit::util

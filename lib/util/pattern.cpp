#include "util/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <chrono>
#include <cstdlib>

#include <fmt/format.h>

#include "util/duration.h"

namespace launchkit::util {

struct Pattern::Compiled {
    pcre2_code* code = nullptr;
    pcre2_match_context* limits = nullptr;
    std::chrono::milliseconds time_limit{};
    ~Compiled() {
        pcre2_match_context_free(limits);
        pcre2_code_free(code);
    }
};

namespace {

// A search's clock. PCRE2's match limit counts steps from each start position afresh, so a
// pattern that backtracks a million steps at every position of a long text stays under it
// everywhere and runs for hours overall; a callout at the start of each attempt ends the search
// at its deadline instead.
struct SearchClock {
    std::chrono::steady_clock::time_point deadline;
    unsigned attempts = 0;
};

int on_attempt(pcre2_callout_block*, void* data) {
    auto* clock = static_cast<SearchClock*>(data);
    // The clock is read at every start position (a vDSO call, tens of nanoseconds): read every
    // 64th, a pattern that spends the match limit at each position ran 64 limits past its
    // deadline, 20 s and more under the sanitizers (found by the pattern fuzzer in CI).
    ++clock->attempts;
    if (std::chrono::steady_clock::now() >= clock->deadline) return PCRE2_ERROR_CALLOUT;
    return 0;
}

// `expression` with a callout before every attempt: "(?C1)(?:EXPRESSION)", keeping leading
// option settings such as (*UTF) first, where PCRE2 requires them. The callout is not a
// group, so group numbers stay those the user wrote. (A pattern whose end is inside a comment of
// (?x) mode or an unterminated \Q cannot be wrapped; it runs without the clock.)
std::string with_attempt_callout(std::string_view expression) {
    std::string_view rest = expression;
    std::string leading;
    while (rest.starts_with("(*")) {
        auto close = rest.find(')');
        if (close == std::string_view::npos) break;
        leading.append(rest.substr(0, close + 1));
        rest.remove_prefix(close + 1);
    }
    return fmt::format("{}(?C1)(?:{})", leading, rest);
}

std::string pcre2_message(int code) {
    PCRE2_UCHAR buffer[256];
    if (pcre2_get_error_message(code, buffer, sizeof buffer) < 0)
        return fmt::format("error {}", code);
    return reinterpret_cast<const char*>(buffer);
}

}  // namespace

std::expected<Pattern, std::string> Pattern::compile(std::string_view expression,
                                                     PatternOptions options) {
    if (expression.size() > max_pattern_bytes)
        return std::unexpected(fmt::format("longer than {} bytes", max_pattern_bytes));
    // UTF-8 where the text is valid, bytes where it is not: bodies and command output are not
    // always UTF-8, and an invalid byte must not turn a search into an error.
    uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (options.ignore_case) flags |= PCRE2_CASELESS;
    int error_code = 0;
    PCRE2_SIZE error_offset = 0;
    auto compiled = std::make_shared<Compiled>();
    // The pattern as written decides whether it is valid and where an error is.
    compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expression.data()),
                                   expression.size(), flags, &error_code, &error_offset, nullptr);
    if (!compiled->code)
        return std::unexpected(
            fmt::format("{} at offset {}", pcre2_message(error_code), error_offset));
    auto wrapped = with_attempt_callout(expression);
    if (auto* timed = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(wrapped.data()), wrapped.size(),
                                    flags, &error_code, &error_offset, nullptr)) {
        pcre2_code_free(compiled->code);
        compiled->code = timed;
    }
    compiled->limits = pcre2_match_context_create(nullptr);
    if (!compiled->limits) return std::unexpected("out of memory");
    pcre2_set_match_limit(compiled->limits, options.match_limit);
    compiled->time_limit = options.time_limit;
    pcre2_set_heap_limit(compiled->limits, pattern_heap_limit_kib);
    return Pattern(std::move(compiled), std::string(expression));
}

std::expected<std::optional<Pattern::Groups>, std::string> Pattern::run(std::string_view text,
                                                                        size_t offset,
                                                                        bool whole) const {
    if (offset > text.size()) return std::optional<Groups>{};
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
        pcre2_match_data_create_from_pattern(compiled_->code, nullptr), &pcre2_match_data_free);
    if (!data) return std::unexpected("out of memory");
    std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> limits(
        pcre2_match_context_copy(compiled_->limits), &pcre2_match_context_free);
    if (!limits) return std::unexpected("out of memory");
    SearchClock clock{std::chrono::steady_clock::now() + compiled_->time_limit};
    pcre2_set_callout(limits.get(), &on_attempt, &clock);
    uint32_t flags = whole ? (PCRE2_ANCHORED | PCRE2_ENDANCHORED) : 0;
    int result = pcre2_match(compiled_->code, reinterpret_cast<PCRE2_SPTR>(text.data()),
                             text.size(), offset, flags, data.get(), limits.get());
    if (result == PCRE2_ERROR_NOMATCH) return std::optional<Groups>{};
    if (result == PCRE2_ERROR_CALLOUT)
        return std::unexpected(fmt::format("/{}/ gave up on {} bytes of text: it ran past {}",
                                           expression_, text.size(),
                                           format_duration(compiled_->time_limit)));
    if (result == PCRE2_ERROR_MATCHLIMIT || result == PCRE2_ERROR_HEAPLIMIT ||
        result == PCRE2_ERROR_DEPTHLIMIT)
        return std::unexpected(fmt::format("/{}/ gave up on {} bytes of text: {}", expression_,
                                           text.size(), pcre2_message(result)));
    if (result < 0)
        return std::unexpected(fmt::format("/{}/: {}", expression_, pcre2_message(result)));
    const PCRE2_SIZE* vector = pcre2_get_ovector_pointer(data.get());
    uint32_t pairs = pcre2_get_ovector_count(data.get());
    Groups groups(pairs);
    // `result` counts the groups up to the last that matched; later ones stay nullopt.
    for (uint32_t i = 0; i < pairs && i < static_cast<uint32_t>(result); ++i) {
        if (vector[2 * i] == PCRE2_UNSET) continue;
        groups[i] = text.substr(vector[2 * i], vector[2 * i + 1] - vector[2 * i]);
    }
    return std::optional<Groups>(std::move(groups));
}

std::expected<std::optional<Pattern::Groups>, std::string> Pattern::find(
    std::string_view text) const {
    return run(text, 0, false);
}

std::expected<std::optional<Pattern::Groups>, std::string> Pattern::find_from(std::string_view text,
                                                                              size_t offset) const {
    return run(text, offset, false);
}

std::expected<std::optional<Pattern::Groups>, std::string> Pattern::match_whole(
    std::string_view text) const {
    return run(text, 0, true);
}

std::expected<bool, std::string> Pattern::search(std::string_view text) const {
    auto found = run(text, 0, false);
    if (!found) return std::unexpected(found.error());
    return found->has_value();
}

Pattern builtin_pattern(std::string_view expression, PatternOptions options) {
    auto pattern = Pattern::compile(expression, options);
    if (!pattern) {
        fmt::print(stderr, "launchkit: built-in pattern /{}/: {}\n", expression, pattern.error());
        std::abort();
    }
    return *pattern;
}

}  // namespace launchkit::util

// Patterns users write (a check's body_regex, expectations on command output) against texts
// longer than the fuzzer's own inputs: the first line is the pattern, the first byte after it
// says how many times the rest is repeated (up to 1 MiB), so that a stack or time blow-up that
// grows with the text is reached. The search limits are lowered, as PCRE2's own fuzzer does: a
// random pattern spends the production match limit (10 million steps, ~0.1 s) on nearly every
// input, which held this harness to 8 inputs a second; the code that wraps, walks and reports
// is the same at any limit, and the limits themselves are tests/util/pattern_test.cpp's.
#include <algorithm>

#include "fuzz_input.h"
#include "util/pattern.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [expression, rest] = fuzz::split_once(fuzz::as_text(data, size), "\n");
    util::PatternOptions options{.match_limit = 10'000,
                                 .time_limit = std::chrono::milliseconds(20)};
    options.ignore_case = !expression.empty() && expression.front() == 'i';
    auto pattern = util::Pattern::compile(expression, options);
    if (!pattern || rest.empty()) return 0;
    auto times = static_cast<size_t>(static_cast<unsigned char>(rest.front()) % 64) + 1;
    rest.remove_prefix(1);
    std::string text;
    constexpr size_t max_text = 1 << 20;
    for (size_t i = 0; i < times && text.size() + rest.size() <= max_text; ++i) text += rest;

    (void)pattern->match_whole(text);
    // The first matches, as a caller walking them does (past an empty match by one byte). Each
    // search may take up to its time limit.
    size_t offset = 0;
    for (int found = 0; found < 3 && offset <= text.size(); ++found) {
        auto match = pattern->find_from(text, offset);
        if (!match || !*match || !(**match)[0]) break;
        const auto& whole = *(**match)[0];
        size_t end = static_cast<size_t>(whole.data() - text.data()) + whole.size();
        offset = std::max(end, offset + (whole.empty() ? 1 : 0));
    }
    return 0;
}

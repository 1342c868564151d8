// Patterns users write (a check's body_regex, expectations on command output) against texts
// longer than the fuzzer's own inputs: the first line is the pattern, the first byte after it
// says how many times the rest is repeated (up to 1 MiB), so that a stack or time blow-up that
// grows with the text is reached.
#include <algorithm>

#include "fuzz_input.h"
#include "util/pattern.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [expression, rest] = fuzz::split_once(fuzz::as_text(data, size), "\n");
    util::PatternOptions options;
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
    // search may take up to util::pattern_time_limit; three stay inside the fuzzer's timeout.
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

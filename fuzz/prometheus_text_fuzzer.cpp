// Prometheus text exposition (a metric source's /metrics answer) and the selectors that pick a
// series from it: the first line is a selector, the rest the answer.
#include "fuzz_input.h"
#include "probe/metric_source.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [selector_text, answer] = fuzz::split_once(fuzz::as_text(data, size), "\n");
    auto samples = probe::parse_prometheus_text(answer);
    auto selector = probe::parse_selector(selector_text);
    if (samples && selector) (void)probe::select_samples(*samples, *selector);
    return 0;
}

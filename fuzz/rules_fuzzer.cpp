// Rules files (playbooks/rules/*.yaml): one document read both as decision rules (gates,
// `release-manager analyze`) and as SLO rules (`diagnose slo`), as either may be given it.
#include "decide/decision_rules.h"
#include "fuzz_input.h"
#include "probe/slo.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    (void)decide::parse_decision_rules(text, "rules.yaml");
    (void)probe::parse_slo_rules(text, "rules.yaml");
    return 0;
}

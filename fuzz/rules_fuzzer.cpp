// Rules files (playbooks/rules/*.yaml): one document read both as decision rules (gates,
// `release-manager analyze`) and as SLO rules (`diagnose slo`), as either may be given it.
// After a line `#canary`, a series (JSON if it opens with [ or {, else CSV), and after a line
// `#baseline` another: the rules then judge them offline, as `analyze --canary --baseline` does
// (the measuring, `for:` windows, baselines, the canary judge and the decision matrix).
#include "decide/analysis.h"
#include "decide/decision_rules.h"
#include "fuzz_input.h"
#include "probe/slo.h"

using namespace launchkit;

namespace {

std::optional<decide::MeasurementSeries> read_series(std::string_view text, std::string_view name) {
    if (text.empty()) return std::nullopt;
    auto parsed = text.front() == '[' || text.front() == '{' ? decide::parse_series_json(text, name)
                                                             : decide::parse_series_csv(text, name);
    if (!parsed) return std::nullopt;
    return std::move(*parsed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [text, series] = fuzz::split_once(fuzz::as_text(data, size), "\n#canary\n");
    auto rules = decide::parse_decision_rules(text, "rules.yaml");
    (void)probe::parse_slo_rules(text, "rules.yaml");
    if (!rules || series.empty()) return 0;
    auto [canary, baseline] = fuzz::split_once(series, "\n#baseline\n");
    decide::AnalysisInputs inputs;
    inputs.canary = read_series(canary, "canary.csv");
    // Without a canary series the analysis would measure live sources: never from a harness.
    if (!inputs.canary) return 0;
    inputs.baseline = read_series(baseline, "baseline.csv");
    decide::AnalysisHooks hooks;
    hooks.now = [] { return util::TimePoint(std::chrono::seconds(1'795'000'000)); };
    hooks.sleep = [](std::chrono::milliseconds) {};
    if (auto decision = decide::run_analysis(*rules, inputs, hooks))
        (void)decide::to_json(*decision);
    return 0;
}

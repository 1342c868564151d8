#include "decide/decide_commands.h"

#include "core/output.h"
#include "decide/analysis.h"
#include "probe/slo.h"
#include "util/duration.h"

namespace launchkit::decide {
namespace {

Result<double> parse_impact(const std::string& text) {
    auto number_text = text;
    bool percent = !number_text.empty() && number_text.back() == '%';
    if (percent) number_text.pop_back();
    auto number = nlohmann::json::parse(number_text, nullptr, false);
    double value = number.is_number() ? number.get<double>() / (percent ? 100 : 1) : -1;
    if (!(value >= 0 && value <= 1))
        return fail(ExitCode::invalid_input,
                    "--impact '{}': expected the share of users affected, such as 30% or 0.3",
                    text);
    return value;
}

}  // namespace

Result<ExitCode> run_analyze(Context& context, const AnalyzeOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto rules, read_decision_rules(options.rules));
    LAUNCHKIT_TRY(probe::override_source_urls(rules.metrics, options.sources));
    AnalysisInputs inputs;
    if (!options.canary.empty()) {
        LAUNCHKIT_TRY_ASSIGN(inputs.canary, read_series_file(options.canary));
    }
    if (!options.baseline.empty()) {
        LAUNCHKIT_TRY_ASSIGN(inputs.baseline, read_series_file(options.baseline));
    }
    if (!options.impact.empty()) {
        LAUNCHKIT_TRY_ASSIGN(inputs.impact, parse_impact(options.impact));
    }
    if (!options.interval.empty()) {
        auto interval = util::parse_duration(options.interval);
        if (!interval)
            return fail(ExitCode::invalid_input, "--interval '{}': {}", options.interval,
                        interval.error().message);
        inputs.interval = *interval;
    }
    if (options.count > 0) inputs.count = options.count;
    AnalysisHooks hooks;
    hooks.now = context.clock;
    auto* err = context.err;
    hooks.on_measurement = [err](int number, int total, const std::vector<RuleAnalysis>& rules) {
        if (total <= 1) return;
        std::string states;
        for (const auto& rule : rules) {
            const auto& last = rule.last();
            states += fmt::format("  {}={}", rule.rule().name,
                                  last ? to_string(last->phase) : std::string_view("-"));
        }
        *err << fmt::format("measurement {}/{}:{}\n", number, total, states) << std::flush;
    };
    LAUNCHKIT_TRY_ASSIGN(auto decision, run_analysis(rules, inputs, hooks));
    if (context.json)
        print_json(*context.out, to_json(decision));
    else
        print_decision(*context.out, decision, context.color);
    return exit_code_of(decision);
}

}  // namespace launchkit::decide

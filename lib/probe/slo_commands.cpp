// `diagnose slo`: evaluate SLO rules and print value, threshold and verdict per rule.
#include "core/output.h"
#include "probe/diagnose_commands.h"
#include "probe/slo.h"
#include "util/file_io.h"

namespace launchkit::probe {

Result<ExitCode> run_slo(Context& context, const DiagnoseSloOptions& options) {
    auto path = options.rules;
    if (path.empty()) {
        if (!context.config.slo_rules)
            return fail(ExitCode::invalid_input,
                        "no SLO rules given and none configured (pass RULES.yaml or set "
                        "'slo_rules:' in launchkit.yaml)");
        path = *context.config.slo_rules;
    }
    if (!std::filesystem::exists(path))
        return fail(ExitCode::invalid_input, "SLO rules file '{}' does not exist", path.string());
    LAUNCHKIT_TRY_ASSIGN(std::string text, util::read_file(path));
    LAUNCHKIT_TRY_ASSIGN(auto rules, parse_slo_rules(text, path));
    auto report = evaluate_slo(rules);
    if (context.json) {
        print_json(*context.out, to_json(report));
    } else {
        Table table({"", "RULE", "VALUE", "DETAIL"});
        for (const auto& result : report.results) {
            std::string mark = result.passed ? colorize("✓", Color::green, context.color)
                               : result.rule.severity == Severity::warning
                                   ? colorize("!", Color::yellow, context.color)
                                   : colorize("✗", Color::red, context.color);
            auto detail = result.detail;
            if (!result.passed && result.rule.severity == Severity::warning) detail += " (warning)";
            table.add_row({mark, result.rule.text,
                           result.value ? fmt::format("{}", *result.value) : "-", detail});
        }
        table.render(*context.out, context.color);
        int failed =
            static_cast<int>(std::count_if(report.results.begin(), report.results.end(),
                                           [](const SloResult& result) { return !result.passed; }));
        auto summary = fmt::format("{} rule{}: {} met, {} not met", report.results.size(),
                                   report.results.size() == 1 ? "" : "s",
                                   static_cast<int>(report.results.size()) - failed, failed);
        *context.out << colorize(summary, report.passed() ? Color::green : Color::red,
                                 context.color)
                     << '\n';
    }
    return report.passed() ? ExitCode::ok : ExitCode::said_no;
}

}  // namespace launchkit::probe

// `diagnose snapshot` and `compare`: the commands built on a rules file's metrics.
#include "core/output.h"
#include "probe/diagnose_commands.h"
#include "probe/metric_snapshot.h"
#include "probe/slo.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::probe {
namespace {

Result<SloRules> load_rules(const Context& context, const std::filesystem::path& given,
                            const std::vector<std::string>& sources) {
    LAUNCHKIT_TRY_ASSIGN(auto path, rules_file(context, given));
    LAUNCHKIT_TRY_ASSIGN(std::string text, util::read_file(path));
    LAUNCHKIT_TRY_ASSIGN(auto rules, parse_slo_rules(text, path));
    LAUNCHKIT_TRY(override_source_urls(rules, sources));
    return rules;
}

std::string format_value(const std::optional<double>& value) {
    return value ? fmt::format("{}", *value) : "-";
}

}  // namespace

Result<std::filesystem::path> rules_file(const Context& context,
                                         const std::filesystem::path& given) {
    auto path = given;
    if (path.empty()) {
        if (!context.config.slo_rules)
            return fail(ExitCode::invalid_input,
                        "no rules file given and none configured (pass RULES.yaml or set "
                        "'slo_rules:' in launchkit.yaml)");
        path = *context.config.slo_rules;
    }
    if (!std::filesystem::exists(path))
        return fail(ExitCode::invalid_input, "rules file '{}' does not exist", path.string());
    return path;
}

Result<ExitCode> run_snapshot(Context& context, const DiagnoseSnapshotOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto rules, load_rules(context, options.rules, options.sources));
    auto readings = read_metrics(rules);
    auto snapshot = take_snapshot(rules, readings, util::format_rfc3339(context.now()));
    auto text = util::dump_json(to_json(snapshot), 2) + "\n";
    for (const auto& [name, reading] : readings)
        if (!reading.value)
            *context.err << fmt::format("warning: {}: no data: {}\n", name,
                                        util::printable(reading.problem));
    if (options.output.empty() || options.output == "-") {
        *context.out << text;
    } else {
        LAUNCHKIT_TRY(util::write_file_atomically(options.output, text));
        *context.err << fmt::format("baseline of {} written to {}\n",
                                    util::count_of(snapshot.values.size(), "metric"),
                                    options.output.string());
    }
    return ExitCode::ok;
}

Result<ExitCode> run_compare(Context& context, const DiagnoseCompareOptions& options) {
    if (!std::filesystem::exists(options.baseline))
        return fail(ExitCode::invalid_input, "baseline '{}' does not exist",
                    options.baseline.string());
    LAUNCHKIT_TRY_ASSIGN(std::string text, util::read_file(options.baseline));
    LAUNCHKIT_TRY_ASSIGN(auto baseline, parse_snapshot(text, options.baseline.string()));
    auto rules_path = options.rules;
    if (rules_path.empty() && !context.config.slo_rules && !baseline.rules.empty())
        rules_path = baseline.rules;  // the file the baseline was taken with
    LAUNCHKIT_TRY_ASSIGN(auto rules, load_rules(context, rules_path, options.sources));
    auto results = compare_to_baseline(rules, baseline, read_metrics(rules));
    bool passed = std::all_of(results.begin(), results.end(),
                              [](const GrowthResult& result) { return result.passed; });
    if (context.json) {
        auto json = to_json(results);
        json["baseline_taken_at"] = baseline.taken_at;
        print_json(*context.out, json);
    } else {
        Table table({"", "METRIC", "BASELINE", "NOW", "ALLOWED", "DETAIL"});
        for (const auto& result : results) {
            std::string mark = !result.tolerance ? " "
                               : result.passed   ? colorize("✓", Color::green, context.color)
                                                 : colorize("✗", Color::red, context.color);
            table.add_row({mark, result.metric, format_value(result.baseline),
                           format_value(result.now), format_value(result.allowed), result.detail});
        }
        *context.out << fmt::format("baseline taken at {}\n", baseline.taken_at);
        table.render(*context.out, context.color);
        *context.out << colorize(passed ? "no unexpected growth" : "unexpected growth",
                                 passed ? Color::green : Color::red, context.color)
                     << '\n';
    }
    return passed ? ExitCode::ok : ExitCode::said_no;
}

}  // namespace launchkit::probe

#include "probe/diagnose_commands.h"

#include <functional>
#include <memory>

#include "core/output.h"
#include "probe/check_schedule.h"
#include "probe/checklist_parser.h"
#include "probe/checklist_runner.h"
#include "probe/curl_library.h"
#include "util/duration.h"
#include "util/strings.h"

namespace launchkit::probe {
namespace {

std::string mark(const ProbeResult& result, bool color) {
    if (result.passed) return colorize("✓", Color::green, color);
    if (result.severity == Severity::warning) return colorize("!", Color::yellow, color);
    return colorize("✗", Color::red, color);
}

void print_report(Context& context, const ChecklistReport& report) {
    if (context.json) {
        print_json(*context.out, to_json(report));
        return;
    }
    Table table({"", "CHECK", "KIND", "LATENCY", "DETAIL"});
    int passed = 0;
    for (const auto& result : report.results) {
        passed += result.passed;
        auto detail = result.detail;
        if (!result.passed && result.severity == Severity::warning) detail += " (warning)";
        table.add_row({mark(result, context.color), result.name, result.kind,
                       util::format_duration(result.latency), detail});
    }
    table.render(*context.out, context.color);
    auto summary = fmt::format(
        "{}: {} passed, {} critical failed, {} failed in {}",
        util::count_of(report.results.size(), "check"), passed, report.failed_critical,
        util::count_of(report.failed_warning, "warning"), util::format_duration(report.duration));
    *context.out << colorize(summary, report.passed() ? Color::green : Color::red, context.color)
                 << '\n';
}

// Progress on stderr while checks are still undecided or failing: at most every few seconds,
// and whenever the number of checks waited for changes.
std::function<void(const WaitProgress&)> progress_printer(Context& context) {
    auto last_line = std::make_shared<std::string>();
    auto last_time = std::make_shared<std::chrono::steady_clock::time_point>();
    return [&context, last_line, last_time](const WaitProgress& progress) {
        auto line =
            fmt::format("waiting for {} ({} left): {}",
                        util::count_of(progress.failing.size(), "critical check"),
                        util::format_duration(
                            std::chrono::duration_cast<std::chrono::seconds>(progress.remaining)),
                        progress.failing.empty() ? "" : progress.failing.front());
        auto now = std::chrono::steady_clock::now();
        auto first_part = line.substr(0, line.find(" ("));
        if (first_part == last_line->substr(0, last_line->find(" (")) &&
            now - *last_time < std::chrono::seconds(5))
            return;
        *context.err << line << '\n';
        *last_line = line;
        *last_time = now;
    };
}

Result<Checklist> load_selected(const Context& context, const DiagnoseRunOptions& options) {
    auto path = options.checklist;
    if (path.empty()) {
        if (!context.config.checklist)
            return fail(ExitCode::invalid_input,
                        "no checklist given and none configured (pass CHECKLIST.yaml or set "
                        "'checklist:' in launchkit.yaml)");
        path = *context.config.checklist;
    }
    if (options.parallel < 1)
        return fail(ExitCode::invalid_input, "--parallel must be at least 1, got {}",
                    options.parallel);
    return load_checklist(path);
}

}  // namespace

Result<ExitCode> run_diagnose(Context& context, const DiagnoseRunOptions& options) {
    auto curl_loading = preload_curl();
    LAUNCHKIT_TRY_ASSIGN(auto checklist, load_selected(context, options));
    ScheduleOptions schedule;
    schedule.run = RunOptions{options.tags, options.parallel};
    LAUNCHKIT_TRY_ASSIGN(schedule.timeout, util::parse_duration(options.timeout));
    schedule.on_progress = progress_printer(context);
    LAUNCHKIT_TRY_ASSIGN(auto selected, select_checks(checklist, schedule.run));
    auto scheduled = run_scheduled(selected, schedule);
    print_report(context, scheduled.report);
    return scheduled.report.passed() ? ExitCode::ok : ExitCode::said_no;
}

Result<ExitCode> run_wait(Context& context, const DiagnoseWaitOptions& options) {
    auto curl_loading = preload_curl();
    LAUNCHKIT_TRY_ASSIGN(auto checklist, load_selected(context, options.run));
    ScheduleOptions schedule;
    schedule.run = RunOptions{options.run.tags, options.run.parallel};
    schedule.goal = ScheduleGoal::all_critical_passing;
    LAUNCHKIT_TRY_ASSIGN(schedule.timeout, util::parse_duration(options.run.timeout));
    if (!options.interval.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto interval, util::parse_duration(options.interval));
        if (interval.count() == 0)
            return fail(ExitCode::invalid_input, "--interval must be longer than 0");
        for (auto& check : checklist.checks) check.timing.period = interval;
    }
    schedule.on_progress = progress_printer(context);
    LAUNCHKIT_TRY_ASSIGN(auto selected, select_checks(checklist, schedule.run));
    auto scheduled = run_scheduled(selected, schedule);
    print_report(context, scheduled.report);
    if (scheduled.timed_out && !context.json)
        *context.out << fmt::format("gave up after {}: critical checks still failing\n",
                                    util::format_duration(*schedule.timeout));
    return scheduled.report.passed() ? ExitCode::ok : ExitCode::said_no;
}

Result<ExitCode> run_probe(Context& context, const DiagnoseProbeOptions& options) {
    Check check;
    check.name = options.url;
    HttpProbe http;
    http.url = options.url;
    if (!(http.url.starts_with("http://") || http.url.starts_with("https://")))
        return fail(ExitCode::invalid_input, "invalid URL '{}' (expected http:// or https://)",
                    options.url);
    http.method = options.method;
    http.token_env = options.token_env;
    http.verify_tls = !options.insecure;
    http.follow_redirects = options.follow_redirects;
    if (!options.expect_status.empty()) {
        http.expect.statuses.clear();
        for (const auto& text : options.expect_status) {
            auto range = parse_status_range(text);
            if (!range)
                return fail(ExitCode::invalid_input,
                            "invalid --expect-status '{}' (expected 200, 200-299 or 2xx)", text);
            http.expect.statuses.push_back(*range);
        }
    }
    for (const auto& text : options.expect_json) {
        auto expectation = parse_json_expectation(text);
        if (!expectation)
            return fail(ExitCode::invalid_input,
                        "invalid --expect-json '{}' (expected POINTER OP VALUE, e.g. "
                        "'/status == \"ready\"' or '/backlog < 100')",
                        text);
        http.expect.json.push_back(*expectation);
    }
    http.expect.body_contains = options.expect_body;
    for (const auto& header : options.headers) {
        auto colon = header.find(':');
        if (colon == std::string::npos || colon == 0)
            return fail(ExitCode::invalid_input, "invalid --header '{}' (expected 'Name: value')",
                        header);
        http.headers.emplace_back(header.substr(0, colon),
                                  std::string(util::trim(header.substr(colon + 1))));
    }
    LAUNCHKIT_TRY_ASSIGN(check.timeout, util::parse_duration(options.timeout));
    if (!options.max_latency.empty()) {
        LAUNCHKIT_TRY_ASSIGN(http.expect.max_latency, util::parse_duration(options.max_latency));
    }
    check.probe = std::move(http);
    auto report = run_checks({&check}, RunOptions{});
    print_report(context, report);
    if (report.passed()) return ExitCode::ok;
    // An answer that does not meet the expectations is a "no"; no answer at all (unreachable,
    // timed out, a TLS failure, a token missing) is the environment failing, as for curl.
    return report.results.front().http_status ? ExitCode::said_no : ExitCode::environment;
}

}  // namespace launchkit::probe

#include "report/report_commands.h"

#include <fmt/format.h>

#include "core/output.h"
#include "playbook/environment_runs.h"
#include "playbook/run_journal.h"
#include "report/run_report_html.h"
#include "util/file_io.h"
#include "util/progress_meter.h"

namespace launchkit::report {

Result<ExitCode> run_report(Context& context, const ReportOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto run, playbook::find_run(context, options.run));
    LAUNCHKIT_TRY_ASSIGN(auto journal, playbook::RunJournal::open(context, run.run_id));
    size_t offset = 0;
    LAUNCHKIT_TRY_ASSIGN(auto events, journal.read_from(offset));
    auto html = render_run_report(run, events);
    auto output =
        options.output.empty() ? std::filesystem::path(run.run_id + ".html") : options.output;
    LAUNCHKIT_TRY(util::write_file_atomically(output, html, 0644));
    if (context.json)
        print_json(*context.out,
                   {{"run_id", run.run_id}, {"file", output.string()}, {"bytes", html.size()}});
    else
        *context.out << fmt::format("wrote {} ({}): run {}, {}\n", output.string(),
                                    util::format_bytes(html.size()), run.run_id,
                                    to_string(run.status));
    return ExitCode::ok;
}

}  // namespace launchkit::report

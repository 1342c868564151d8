#include <memory>

#include "commands.h"
#include "report/report_commands.h"

namespace release_manager {

void add_report_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::report::ReportOptions>();
    auto* command = cli.add_command(
        "report",
        "Write a run's report as one self-contained HTML page (inline CSS and SVG, no script): "
        "steps on a timeline, traffic over time, each gate's metrics against their thresholds");
    command->add_option("run", options->run, "A run id, or an environment (its latest run)")
        ->required();
    command->add_option("-o,--output", options->output, "The file to write (default RUN_ID.html)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::report::run_report(context, *options);
    });
}

}  // namespace release_manager

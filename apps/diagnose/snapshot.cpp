#include <memory>

#include "commands.h"

namespace diagnose {

void add_snapshot_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::probe::DiagnoseSnapshotOptions>();
    auto* command = cli.add_command(
        "snapshot", "Record the rules file's metrics now, as a baseline for 'diagnose compare'");
    command->add_option("--source", options->sources,
                        "Point a source of the rules at another URL: NAME=URL (repeatable)");
    command->add_option("rules", options->rules,
                        "Rules file defining sources and metrics (default: 'slo_rules:')");
    command->add_option("-o,--out", options->output, "Baseline file to write (default: stdout)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::probe::run_snapshot(context, *options);
    });
}

}  // namespace diagnose

#include "commands.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "diagnose",
        "Pre- and post-upgrade checklists: concurrent HTTP, TCP and command health probes.");
    cli.add_commands({"run"}, diagnose::add_run_command);
    cli.add_commands({"probe"}, diagnose::add_probe_command);
    cli.add_commands({"wait"}, diagnose::add_wait_command);
    cli.add_commands({"slo"}, diagnose::add_slo_command);
    cli.add_commands({"snapshot"}, diagnose::add_snapshot_command);
    cli.add_commands({"compare"}, diagnose::add_compare_command);
    diagnose::add_examples(cli);
    cli.set_default_command("run", [](const launchkit::Context& context) {
        return context.config.checklist.has_value();
    });
    cli.complete_files_named({"checklist", "rules", "baseline", "--output", "-o"});
    return cli.run(argc, argv);
}

#include "commands.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "diagnose",
        "Pre- and post-upgrade checklists: concurrent HTTP, TCP and command health probes.");
    diagnose::add_run_command(cli);
    diagnose::add_probe_command(cli);
    diagnose::add_wait_command(cli);
    diagnose::add_slo_command(cli);
    diagnose::add_snapshot_command(cli);
    diagnose::add_compare_command(cli);
    diagnose::add_examples(cli);
    cli.complete_files_named({"checklist", "rules", "baseline", "--output", "-o"});
    return cli.run(argc, argv);
}

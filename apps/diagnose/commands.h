// Subcommand registration for diagnose; one file per subcommand.
#pragma once

#include "core/command_line.h"
#include "probe/diagnose_commands.h"

namespace diagnose {

// --help examples for the commands, from the runbooks.
void add_examples(launchkit::CommandLine& cli);

void add_run_command(launchkit::CommandLine& cli);
void add_probe_command(launchkit::CommandLine& cli);
void add_wait_command(launchkit::CommandLine& cli);
void add_slo_command(launchkit::CommandLine& cli);
void add_snapshot_command(launchkit::CommandLine& cli);
void add_compare_command(launchkit::CommandLine& cli);

}  // namespace diagnose

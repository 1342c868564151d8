// Subcommand registration for launchctl; one file per subcommand.
#pragma once

#include "core/command_line.h"
#include "flags/launch_commands.h"

namespace launchctl {

// --help examples for the commands, from the runbooks.
void add_examples(launchkit::CommandLine& cli);

void add_pause_command(launchkit::CommandLine& cli);
void add_resume_command(launchkit::CommandLine& cli);
void add_status_command(launchkit::CommandLine& cli);
void add_wait_command(launchkit::CommandLine& cli);
void add_history_command(launchkit::CommandLine& cli);

}  // namespace launchctl

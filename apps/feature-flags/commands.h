// Subcommand registration for feature-flags; one file per subcommand.
#pragma once

#include "core/command_line.h"
#include "flags/flag_commands.h"
#include "serve/flag_server.h"

namespace feature_flags {

// --help examples for the commands, from the runbooks.
void add_examples(launchkit::CommandLine& cli);

void add_toggle_commands(launchkit::CommandLine& cli);         // enable, disable
void add_runbook_toggle_options(launchkit::CommandLine& cli);  // --enable NAME, --disable NAME
void add_create_command(launchkit::CommandLine& cli);
void add_set_command(launchkit::CommandLine& cli);
void add_get_command(launchkit::CommandLine& cli);
void add_eval_command(launchkit::CommandLine& cli);
void add_list_command(launchkit::CommandLine& cli);
void add_delete_command(launchkit::CommandLine& cli);
void add_history_command(launchkit::CommandLine& cli);
void add_audit_command(launchkit::CommandLine& cli);
void add_watch_command(launchkit::CommandLine& cli);
void add_stale_command(launchkit::CommandLine& cli);
void add_export_command(launchkit::CommandLine& cli);
void add_import_command(launchkit::CommandLine& cli);
void add_strategy_command(launchkit::CommandLine& cli);    // add, list, remove
void add_segment_command(launchkit::CommandLine& cli);     // create, set, list, delete
void add_variant_command(launchkit::CommandLine& cli);     // add, list, remove
void add_dependency_command(launchkit::CommandLine& cli);  // add, remove

// `serve`, whose action runs the server (feature-flags-serve) or starts the executable that does
// (feature-flags, which keeps its argv for that through remember_arguments).
using ServeAction = launchkit::Result<launchkit::ExitCode> (*)(
    launchkit::Context&, const launchkit::serve::FlagServerOptions&);
void add_serve_options(launchkit::CommandLine& cli, ServeAction action);
void add_serve_command(launchkit::CommandLine& cli);
void add_usage_command(launchkit::CommandLine& cli);
void remember_arguments(char** argv);

// NAME, --env and --reason: how every single-flag command names its target.
void add_target_options(CLI::App* command, launchkit::flags::FlagTarget& target, bool with_reason);

}  // namespace feature_flags

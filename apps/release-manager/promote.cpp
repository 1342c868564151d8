#include <memory>

#include "commands.h"
#include "playbook/run_control_commands.h"

namespace release_manager {

void add_promote_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::ControlOptions>();
    options->control = launchkit::playbook::RunControl::promote;
    auto* command = cli.add_command(
        "promote",
        "Skip the rest of a running deploy's current gate and go on to its next traffic step; "
        "--full goes straight to 100% with no more gates. Waits until the run has acted");
    command->add_option("run", options->target, "Run id, or an environment: its latest run")
        ->required();
    command->add_flag_callback(
        "--full", [options] { options->control = launchkit::playbook::RunControl::promote_full; },
        "Straight to 100% traffic, no more gates");
    command->add_option("--reason", options->reason, "Why (recorded in the journal)");
    cli.set_example(command,
                    "Example:\n  release-manager promote production --reason \"error rate flat for "
                    "10 minutes\"");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::playbook::run_control(context, *options);
    });
}

}  // namespace release_manager

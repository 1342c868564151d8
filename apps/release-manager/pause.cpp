#include <memory>

#include "commands.h"
#include "playbook/run_control_commands.h"

namespace release_manager {

void add_pause_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::ControlOptions>();
    options->control = launchkit::playbook::RunControl::pause;
    auto* command = cli.add_command(
        "pause",
        "Hold a running deploy at its current traffic step: it stops at its next safe point, "
        "paused, until `release-manager resume` (or `abort`). Waits until the run has paused");
    command->add_option("run", options->target, "Run id, or an environment: its latest run")
        ->required();
    command->add_option("--reason", options->reason, "Why (recorded in the journal)");
    cli.set_example(
        command,
        "Example:\n  release-manager pause production --reason \"waiting for the payments team\"");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::playbook::run_control(context, *options);
    });
}

}  // namespace release_manager

#include <memory>

#include "commands.h"
#include "playbook/run_control_commands.h"

namespace release_manager {

void add_abort_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::ControlOptions>();
    options->control = launchkit::playbook::RunControl::abort;
    auto* command = cli.add_command(
        "abort",
        "Roll a deploy back now, from another shell: a running deploy does it at its next safe "
        "point (between traffic steps or gate measurements) while this waits; a run whose runner "
        "was killed is rolled back here. Only an environment's latest run");
    command->add_option("run", options->target, "Run id, or an environment: its latest run")
        ->required();
    command->add_option("--reason", options->reason, "Why (recorded in the journal and ledger)");
    command->add_flag("--abandon", options->abandon,
                      "Mark a dead run abandoned and change nothing (for a run older than the "
                      "environment's latest, or one already undone by hand)");
    cli.set_example(command,
                    "Example:\n  release-manager abort production --reason \"checkout "
                    "errors at 25%\"");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::playbook::run_control(context, *options);
    });
}

}  // namespace release_manager

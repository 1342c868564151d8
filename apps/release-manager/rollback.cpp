#include <memory>

#include "commands.h"
#include "playbook/deploy_commands.h"

namespace release_manager {

void add_rollback_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::RollbackOptions>();
    auto* command = cli.add_command(
        "rollback",
        "Roll ENV back now: undo the latest run's flags, launch controls and traffic and run its "
        "rollback steps, without waiting for any analysis; record VERSION in the ledger");
    command->add_option("env", options->environment, "Environment")->required();
    command->add_option("version", options->version,
                        "Version to go back to (default: what ran before the last deploy)");
    command->add_option("--run", options->run_id,
                        "The run to roll back; refused unless it is the environment's latest");
    command->add_option("--reason", options->reason, "Why (recorded in the journal and ledger)");
    command->add_flag("--force", options->force,
                      "Go back to a VERSION that never ran in ENV (needs --reason; recorded)");
    command->add_option("--tag-prefix", options->tag_prefix, "Component's tag prefix");
    cli.set_example(command,
                    "Example (Release Management Playbook):\n  release-manager rollback production "
                    "5.0.0 --reason "
                    "\"error rate above 5%\"");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::playbook::run_rollback(context, *options);
    });
}

}  // namespace release_manager

#include <memory>

#include "commands.h"
#include "playbook/deploy_commands.h"

namespace release_manager {

void add_runs_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::RunsOptions>();
    auto* command = cli.add_command("runs", "List playbook runs, or show one run's steps");
    command->add_option("run", options->run_id, "Show this run in full");
    command->add_option("--env", options->environment, "Only runs against this environment");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::playbook::run_runs(context, *options);
    });
}

}  // namespace release_manager

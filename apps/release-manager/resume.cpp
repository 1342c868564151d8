#include <memory>

#include "commands.h"
#include "playbook/deploy_commands.h"

namespace release_manager {

void add_resume_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::ResumeOptions>();
    auto* command = cli.add_command(
        "resume",
        "Continue a run that was killed or paused, from its first unfinished step; finished "
        "steps are not run again");
    command
        ->add_option("run", options->run_id,
                     "Run id (release-manager runs), or an environment: its latest run")
        ->required();
    command->add_option("--approve", options->approvals, "As deploy --approve");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::playbook::run_resume(context, *options);
    });
}

}  // namespace release_manager

#include <memory>

#include "commands.h"
#include "playbook/deploy_commands.h"

namespace release_manager {

void add_plan_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::PlanOptions>();
    auto initial_traffic = std::make_shared<int>(0);
    auto* command = cli.add_command(
        "plan", "Validate a playbook and show its resolved steps in order; changes nothing");
    command->add_option("playbook", options->playbook, "Playbook YAML")->required();
    command->add_option("--version", options->version, "Version the plan is for");
    command->add_option("--env", options->environment, "Environment the plan is for");
    command->add_option("--strategy", options->strategy, "As deploy --strategy")
        ->check(CLI::IsMember({"canary", "rolling", "blue-green"}));
    command->add_option("--var", options->vars,
                        "Set one of the playbook's vars: NAME=VALUE (repeatable)");
    command->add_option("--initial-traffic", *initial_traffic, "As deploy --initial-traffic")
        ->check(CLI::Range(1, 100));
    cli.set_example(
        command,
        "Example:\n  release-manager plan playbooks/mycelia-rollback.yaml --env production");
    cli.set_action(command, [options, initial_traffic](launchkit::Context& context) {
        if (*initial_traffic > 0) options->initial_traffic = *initial_traffic;
        return launchkit::playbook::run_plan(context, *options);
    });
}

}  // namespace release_manager

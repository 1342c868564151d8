#include <memory>

#include "commands.h"
#include "playbook/deploy_commands.h"

namespace release_manager {

void add_deploy_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::DeployOptions>();
    auto initial_traffic = std::make_shared<int>(0);
    auto* command = cli.add_command(
        "deploy",
        "Run a playbook to deploy VERSION to ENV, step by step, journaled; rolls back by itself "
        "when a step asks for it. Exit 0 deployed, 1 refused, rolled back or paused, 2 invalid "
        "playbook or options, 3 the rollback itself failed");
    command->add_option("version", options->version, "Version to deploy (SemVer)")->required();
    command->add_option("env", options->environment, "Environment")->required();
    command->add_option("--playbook", options->playbook, "Playbook YAML")->required();
    command
        ->add_option("--strategy", options->strategy,
                     "Deploy steps' strategy: canary, rolling or blue-green")
        ->check(CLI::IsMember({"canary", "rolling", "blue-green"}));
    command->add_option("--var", options->vars,
                        "Set one of the playbook's vars: NAME=VALUE (repeatable)");
    command
        ->add_option("--initial-traffic", *initial_traffic,
                     "A canary's first traffic percentage (1-100)")
        ->check(CLI::Range(1, 100));
    command->add_option("--approve", options->approvals,
                        "Approve this approve: step without asking (repeatable; 'all')");
    command->add_option("--tag-prefix", options->tag_prefix, "Component's tag prefix");
    command->add_flag("--force", options->force,
                      "Deploy although a required environment has not had this version "
                      "(needs --reason; audited)");
    command->add_option("--reason", options->reason, "Why, with --force");
    cli.set_example(
        command,
        "Example (the Release Management Playbook's canary):\n"
        "  release-manager deploy 5.1.0 production --playbook playbooks/mesh-os-release.yaml "
        "--strategy canary --initial-traffic 5 --var repo=. --var service_url=URL");
    cli.set_action(command, [options, initial_traffic](launchkit::Context& context) {
        if (*initial_traffic > 0) options->initial_traffic = *initial_traffic;
        return launchkit::playbook::run_deploy(context, *options);
    });
}

}  // namespace release_manager

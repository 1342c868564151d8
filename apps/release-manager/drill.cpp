#include <memory>

#include "commands.h"
#include "playbook/drill_commands.h"

namespace release_manager {

void add_drill_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::playbook::DrillOptions>();
    auto* command = cli.add_command(
        "drill",
        "Rehearse an upgrade and its rollback in a non-production ENV: deploy, check health, roll "
        "back, time until healthy again; the times go to the ledger for stats. Exit 0 passed, 1 a "
        "phase failed, 2 invalid");
    command->add_option("playbook", options->playbook, "The upgrade playbook")->required();
    command->add_option("env", options->environment, "A non-production environment")->required();
    command->add_option("--version", options->version,
                        "Version to drill with (default: the newest release in the ledger)");
    command->add_option("--rollback-playbook", options->rollback_playbook,
                        "Roll back with this playbook (default: `rollback ENV` of the upgrade)");
    command->add_option("--check", options->checks,
                        "Health check URL that must answer 2xx (repeatable)");
    command->add_option("--checklist", options->checklist, "Health checks: a diagnose checklist");
    command->add_option("--recovery-timeout", options->recovery_timeout,
                        "How long to wait for health after the rollback (default 5m)");
    command->add_option("--var", options->vars,
                        "NAME=VALUE for the playbooks (each takes the vars it declares)");
    command->add_option("--approve", options->approvals, "As deploy --approve");
    command->add_option("--tag-prefix", options->tag_prefix, "Component's tag prefix");
    cli.set_example(
        command,
        "Example (the Artifortress Upgrade and Rollback Runbook's `make phase6-drill`, the Mycelia "
        "Rollback Procedures's monthly rollback drill):\n"
        "  release-manager drill playbooks/artifortress-upgrade.yaml staging --version 2.1.0 \\\n"
        "      --rollback-playbook playbooks/artifortress-rollback.yaml --approve window \\\n"
        "      --check http://127.0.0.1:8086/health/ready");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::playbook::run_drill(context, *options);
    });
}

}  // namespace release_manager

#include <memory>

#include "commands.h"
#include "version/deploy_stats.h"

namespace release_manager {

void add_stats_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::version::StatsOptions>();
    auto* command = cli.add_command(
        "stats",
        "Deployment success rate, rollback rate, mean time to deploy and to restore, deployment "
        "frequency and lead time, from the release ledger");
    command->add_option("--env", options->environment, "Only this environment");
    command->add_option("--since", options->since, "Window ending now (default 30d)");
    command->add_option("--tag-prefix", options->tag_prefix, "Component's tag prefix");
    command->add_option("--html", options->html,
                        "Also write the metrics week by week against their targets as one "
                        "self-contained HTML page");
    cli.set_example(command,
                    "Example (the Release Management Playbook's success metrics):\n  "
                    "release-manager stats --env production --since "
                    "30d");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::version::run_stats(context, *options);
    });
}

}  // namespace release_manager

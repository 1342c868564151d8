#include <memory>

#include "commands.h"

namespace feature_flags {

void add_set_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::SetFlagOptions>();
    auto* command = cli.add_command(
        "set", "Change a flag's rollout (per environment) or its description, owner, expiry");
    add_target_options(command, options->target, true);
    command->add_option("--rollout", options->rollout,
                        "Percent of subjects it is on for: N (0-100), +N or -N");
    command->add_option("--description", options->description, "New description");
    command->add_option("--owner", options->owner, "New owner");
    command->add_option("--expires", options->expires, "New expiry date (YYYY-MM-DD) or 'never'");
    command->add_option("--group-id", options->group_id,
                        "Rollout bucketing group ('' for the flag name)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_set(context, *options);
    });
}

}  // namespace feature_flags

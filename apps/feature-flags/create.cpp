#include <memory>

#include "commands.h"

namespace feature_flags {

void add_create_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::CreateFlagOptions>();
    auto* command = cli.add_command("create", "Create a flag, off in every environment");
    command->add_option("name", options->name, "Flag name: [a-z0-9][a-z0-9._-]{0,127}")->required();
    command->add_option("--description", options->description, "What the flag switches");
    command->add_option("--owner", options->owner, "Who removes it when it is done");
    command->add_option("--expires", options->expires,
                        "Date after which it counts as stale (YYYY-MM-DD)");
    command->add_option("--group-id", options->group_id,
                        "Rollout bucketing group (default: the flag name)");
    command->add_option("--reason", options->reason, "Why, recorded in the audit log");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_create(context, *options);
    });
}

}  // namespace feature_flags

#include <memory>

#include "commands.h"

namespace release_manager {

void add_status_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::version::StatusOptions>();
    auto* command = cli.add_command(
        "status",
        "Show a release from the ledger and where it runs; with VERSION and --env, exit 0 when "
        "that version is the one running there, 1 when not");
    command->add_option("version", options->version, "Release version (default: the newest)");
    command->add_option("--env", options->environment, "Only this environment");
    command->add_option("--tag-prefix", options->tag_prefix, "Component's tag prefix");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::version::run_status(context, *options);
    });
}

}  // namespace release_manager

#include <memory>

#include "commands.h"

namespace release_manager {

void add_history_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::version::HistoryOptions>();
    auto* command = cli.add_command("history", "List release ledger entries, newest first");
    command->add_option("--env", options->environment,
                        "Only this environment's deploys and rollbacks");
    command->add_option("--tag-prefix", options->tag_prefix, "Component's tag prefix");
    command->add_option("-n,--limit", options->limit, "Show at most N entries");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::version::run_history(context, *options);
    });
}

}  // namespace release_manager

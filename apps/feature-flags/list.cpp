#include <memory>

#include "commands.h"

namespace feature_flags {

void add_list_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::ListFlagsOptions>();
    auto* command = cli.add_command("list", "List every flag and its state in an environment");
    command->add_option("--env", options->environment, "Environment (default as for 'get')");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_list(context, *options);
    });
}

}  // namespace feature_flags

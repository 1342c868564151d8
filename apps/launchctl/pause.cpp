#include <memory>

#include "commands.h"

namespace launchctl {

void add_pause_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::PauseOptions>();
    auto* command = cli.add_command(
        "pause",
        "Pause a subsystem (created on first pause); pausing a paused one keeps the original "
        "since/by/reason");
    command->add_option("name", options->name, "Launch control name, e.g. redemption")->required();
    command->add_option("--reason", options->reason, "Why, shown by status and the audit log");
    command->add_flag("--new", options->create_new,
                      "Create it even though its name is close to an existing control's");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_pause(context, *options);
    });
}

}  // namespace launchctl

#include <memory>

#include "commands.h"

namespace launchctl {

void add_status_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::LaunchStatusOptions>();
    auto* command = cli.add_command(
        "status",
        "Show every launch control, or one: with NAME, exit 0 when running and 1 when paused");
    command->add_option("name", options->name, "Only this control");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_launch_status(context, *options);
    });
}

}  // namespace launchctl

#include <memory>

#include "commands.h"

namespace launchctl {

void add_history_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::LaunchStatusOptions>();
    auto* command =
        cli.add_command("history", "Every pause and resume, from the audit log: when, who, why");
    command->add_option("name", options->name, "Only this control");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_launch_history(context, *options);
    });
}

}  // namespace launchctl

#include <memory>

#include "commands.h"

namespace feature_flags {

void add_history_command(launchkit::CommandLine& cli) {
    auto target = std::make_shared<launchkit::flags::FlagTarget>();
    auto* command = cli.add_command("history", "Every change to one flag: when, who, what and why");
    command->add_option("name", target->name, "Flag name")->required();
    cli.set_action(command, [target](launchkit::Context& context) {
        return launchkit::flags::run_history(context, *target);
    });
}

}  // namespace feature_flags

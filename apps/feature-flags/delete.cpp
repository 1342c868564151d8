#include <memory>

#include "commands.h"

namespace feature_flags {

void add_delete_command(launchkit::CommandLine& cli) {
    auto target = std::make_shared<launchkit::flags::FlagTarget>();
    auto* command = cli.add_command(
        "delete", "Delete a flag from every environment (its history stays in the audit log)");
    command->add_option("name", target->name, "Flag name")->required();
    command->add_option("--reason", target->reason, "Why, recorded in the audit log");
    cli.set_action(command, [target](launchkit::Context& context) {
        return launchkit::flags::run_delete(context, *target);
    });
}

}  // namespace feature_flags

#include <memory>

#include "commands.h"

namespace feature_flags {

void add_get_command(launchkit::CommandLine& cli) {
    auto target = std::make_shared<launchkit::flags::FlagTarget>();
    auto* command = cli.add_command(
        "get", "Show a flag's state; exit 0 when on, 1 when off, 2 when there is no such flag");
    add_target_options(command, *target, false);
    cli.set_action(command, [target](launchkit::Context& context) {
        return launchkit::flags::run_get(context, *target);
    });
}

}  // namespace feature_flags

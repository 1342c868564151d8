#include <memory>

#include "commands.h"

namespace feature_flags {

void add_stale_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::StaleFlagsOptions>();
    auto* command = cli.add_command(
        "stale",
        "Flags past their --expires date or untouched for N days; exit 1 when there are any");
    command->add_option("--days", options->days,
                        "Untouched this many days counts as stale (default: the config's "
                        "flags.stale_after_days, else 30)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_stale(context, *options);
    });
}

}  // namespace feature_flags

#include <memory>

#include "commands.h"

namespace feature_flags {

void add_watch_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::WatchFlagsOptions>();
    auto* command = cli.add_command(
        "watch",
        "Print each change to the flags as it happens, one line each (--json: JSON lines)");
    command->add_option("name", options->names, "Only these flags (default: every flag)");
    command->add_option("--timeout", options->timeout,
                        "Stop after this long (default: until interrupted)");
    command->add_option("--count", options->count,
                        "Stop after this many changes; exit 1 if --timeout passes first");
    command->add_option("--interval", options->interval,
                        "How often to look at the embedded store (default 1s; etcd is watched)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_watch(context, *options);
    });
}

}  // namespace feature_flags

#include <memory>

#include "commands.h"

namespace launchctl {

void add_wait_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::WaitOptions>();
    auto* command = cli.add_command(
        "wait", "Wait until a control is running or paused; exit 1 when the timeout passes first");
    command->add_option("name", options->name, "Launch control name")->required();
    command->add_option("--until", options->until, "running or paused")->required();
    command->add_option("--timeout", options->timeout, "Give up after this long (default 5m)");
    command->add_option("--interval", options->interval,
                        "How often to look at the embedded store (default 1s; etcd is watched)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_wait(context, *options);
    });
}

}  // namespace launchctl

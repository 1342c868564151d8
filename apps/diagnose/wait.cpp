#include <memory>

#include "commands.h"

namespace diagnose {

void add_wait_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::probe::DiagnoseWaitOptions>();
    auto* command = cli.add_command(
        "wait",
        "Probe until every critical check passes (and is stable for its window); exit 1 at the "
        "timeout with what is still failing");
    command->add_option("checklist", options->run.checklist,
                        "Checklist file (default: 'checklist:' in launchkit.yaml)");
    command->add_option("--tag", options->run.tags, "Only checks with this tag (repeatable)");
    command->add_option("--parallel", options->run.parallel,
                        "Probes in flight at once (default 64)");
    command->add_option("--timeout", options->run.timeout, "Give up after this long (default 5m)");
    command->add_option("--interval", options->interval,
                        "Probe this often, overriding each check's period");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::probe::run_wait(context, *options);
    });
}

}  // namespace diagnose

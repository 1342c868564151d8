#include <memory>

#include "commands.h"

namespace diagnose {

void add_run_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::probe::DiagnoseRunOptions>();
    auto* command = cli.add_command(
        "run",
        "Run a YAML checklist concurrently; exit 0 when every critical check passes, 1 otherwise");
    command->add_option("checklist", options->checklist,
                        "Checklist file (default: 'checklist:' in launchkit.yaml)");
    command->add_option("--tag", options->tags, "Only checks with this tag (repeatable)");
    command->add_option("--parallel", options->parallel, "Probes in flight at once (default 64)");
    command->add_option("--timeout", options->timeout,
                        "Checks still undecided after this long fail (default 5m)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::probe::run_diagnose(context, *options);
    });
}

}  // namespace diagnose

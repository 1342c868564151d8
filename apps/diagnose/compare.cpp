#include <memory>

#include "commands.h"

namespace diagnose {

void add_compare_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::probe::DiagnoseCompareOptions>();
    auto* command = cli.add_command(
        "compare",
        "Compare metrics now with a baseline; exit 1 when one grew beyond its compare: tolerance");
    command->add_option("baseline", options->baseline, "Baseline from 'diagnose snapshot'")
        ->required();
    command->add_option("--source", options->sources,
                        "Point a source of the rules at another URL: NAME=URL (repeatable)");
    command->add_option("rules", options->rules,
                        "Rules file (default: 'slo_rules:', then the baseline's)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::probe::run_compare(context, *options);
    });
}

}  // namespace diagnose

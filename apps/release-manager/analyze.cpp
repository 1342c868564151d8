#include <memory>

#include "commands.h"
#include "decide/decide_commands.h"

namespace release_manager {

void add_analyze_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::decide::AnalyzeOptions>();
    auto* command = cli.add_command(
        "analyze",
        "Run one analysis of decision rules (thresholds, canary judge, decision matrix); exit 0 "
        "for promote or continue, 1 for rollback, pause or inconclusive, 3 when nothing could be "
        "judged because a source did not answer (the verdict is then on_no_data's: inconclusive "
        "unless the rules say pause or rollback)");
    command->add_option("--source", options->sources,
                        "Point a source of the rules at another URL: NAME=URL (repeatable)");
    command->add_option("--rules", options->rules, "Decision rules YAML")->required();
    command->add_option("--canary", options->canary,
                        "Measurements to judge (CSV or JSON series); default: read the rules' "
                        "sources live");
    command->add_option("--baseline", options->baseline,
                        "Baseline series or `diagnose snapshot` file");
    command->add_option("--impact", options->impact,
                        "Share of users affected (30% or 0.3), for the decision matrix");
    command->add_option("--interval", options->interval, "Time between live measurements (1m)");
    command->add_option("--count", options->count, "Number of live measurements")
        ->check(CLI::PositiveNumber);
    cli.set_example(
        command,
        "Example (the Release Management Playbook's automatic rollback triggers):\n"
        "  release-manager analyze --rules rules/rollback-triggers.yaml --baseline before.json "
        "--count 5 --interval 1m");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::decide::run_analyze(context, *options);
    });
}

}  // namespace release_manager

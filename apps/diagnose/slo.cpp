#include <memory>

#include "commands.h"
#include "decide/slo_check.h"

namespace diagnose {

void add_slo_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::decide::SloCheckOptions>();
    auto* command = cli.add_command(
        "slo",
        "Check a rules file's rules (error_rate < 0.01, or thresholds: as gates use them) once, "
        "against metrics from /metrics, JSON endpoints or Prometheus; exit 1 when a rule is not "
        "met or its metric is missing, 3 when a source did not answer (and no rule said no)");
    command->add_option("--source", options->sources,
                        "Point a source of the rules at another URL: NAME=URL (repeatable)");
    command->add_option("rules", options->rules,
                        "Rules file (default: 'slo_rules:' in launchkit.yaml)");
    command->add_option("--baseline", options->baseline,
                        "Snapshot from `diagnose snapshot`, for rules relative to a baseline "
                        "(2x baseline, grows > 10%)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::decide::run_slo(context, *options);
    });
}

}  // namespace diagnose

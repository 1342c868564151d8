#include <memory>

#include "commands.h"

namespace diagnose {

void add_slo_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::probe::DiagnoseSloOptions>();
    auto* command = cli.add_command(
        "slo",
        "Check SLO rules (error_rate < 0.01, latency_p95_ms < 500) against metrics from "
        "/metrics or JSON endpoints; exit 1 when a critical rule is not met or its metric is "
        "missing, 3 when a source did not answer (and no rule said no)");
    command->add_option("--source", options->sources,
                        "Point a source of the rules at another URL: NAME=URL (repeatable)");
    command->add_option("rules", options->rules,
                        "Rules file (default: 'slo_rules:' in launchkit.yaml)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::probe::run_slo(context, *options);
    });
}

}  // namespace diagnose

#include <memory>

#include "commands.h"

namespace feature_flags {

void add_eval_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::EvalFlagOptions>();
    auto* command = cli.add_command(
        "eval",
        "Is the flag on for this subject? Unleash-compatible gradual-rollout bucketing; exit 0 "
        "on, 1 off");
    add_target_options(command, options->target, false);
    command->add_option("--subject", options->subject, "User, session or host id")->required();
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_eval(context, *options);
    });
}

}  // namespace feature_flags

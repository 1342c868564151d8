#include <memory>

#include "commands.h"
#include "flags/targeting_commands.h"

namespace feature_flags {

void add_eval_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::EvalFlagOptions>();
    auto* command = cli.add_command(
        "eval",
        "Is the flag on for this context, with which variant, and why? Unleash's evaluation "
        "(strategies, constraints, segments, variants, dependencies); exit 0 on, 1 off");
    add_target_options(command, options->target, false);
    command->add_option("--subject", options->subject,
                        "Shorthand for --context userId=SUBJECT (a user, session or host id)");
    command->add_option("--context", options->context,
                        "NAME=VALUE: userId, sessionId, remoteAddress, environment, appName, "
                        "currentTime or any property (repeatable)");
    command->add_option("--context-file", options->context_file,
                        "Unleash's context as JSON: {\"userId\": ..., \"properties\": {...}}");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_eval(context, *options);
    });
}

}  // namespace feature_flags

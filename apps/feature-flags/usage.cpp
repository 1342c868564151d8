#include <memory>

#include "commands.h"
#include "serve/usage_command.h"

namespace feature_flags {

void add_usage_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::serve::UsageOptions>();
    auto* command = cli.add_command(
        "usage",
        "How often a running `feature-flags serve` evaluated each flag, by result; exit 1 when "
        "a named flag was never evaluated, 3 when the server does not answer");
    command->add_option("flags", options->flags, "Only these flags");
    command->add_option("--server", options->server,
                        "The server's URL (default $LAUNCHKIT_SERVE_URL, else "
                        "http://127.0.0.1:8016)");
    command->add_option("--token-env", options->token_env,
                        "A variable holding a token, for a server whose reads need one");
    command->add_option("--token-file", options->token_file, "A file holding that token");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::serve::run_usage(context, *options);
    });
}

}  // namespace feature_flags

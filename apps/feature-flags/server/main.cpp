// feature-flags-serve: `feature-flags serve`, in an executable of its own (see serve.cpp).
#include "../commands.h"

namespace {
void add_server_command(launchkit::CommandLine& cli) {
    feature_flags::add_serve_options(cli, launchkit::serve::run_flag_server);
}
}  // namespace

int main(int argc, char** argv) {
    launchkit::CommandLine cli("feature-flags",
                               "The flag server of feature-flags (run as `feature-flags serve`).");
    cli.add_commands({"serve"}, add_server_command);
    return cli.run(argc, argv);
}

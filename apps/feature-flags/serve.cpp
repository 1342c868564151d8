#include <memory>

#include "commands.h"
#include "util/sibling_executable.h"

namespace feature_flags {

namespace {
char** arguments = nullptr;
}  // namespace

void remember_arguments(char** argv) {
    arguments = argv;
}

void add_serve_options(launchkit::CommandLine& cli, ServeAction action) {
    auto options = std::make_shared<launchkit::serve::FlagServerOptions>();
    auto* command = cli.add_command(
        "serve",
        "Serve flags and launch controls over HTTP: OpenFeature's OFREP "
        "(/ofrep/v1/evaluate/flags[/KEY]; launch controls as launch.NAME, true while running), "
        "the runbooks' /api/feature-flags[/NAME|/enable|/disable] and "
        "/api/launch-controls[/NAME/pause|resume] (writes need a bearer token), /metrics, "
        "/health/live and /health/ready. "
        "Changes made anywhere are served within a second; SIGTERM stops it cleanly (exit 0)");
    command->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free)")
        ->capture_default_str();
    command->add_option("--env", options->environment,
                        "The environment served (default: as for every command)");
    command->add_option("--port-file", options->port_file,
                        "Write the port here once listening (for scripts and tests)");
    command->add_option("--tokens-file", options->tokens_file,
                        "`NAME TOKEN` lines (mode 600): bearer tokens that may write, each "
                        "change audited as NAME; also $LAUNCHKIT_SERVE_TOKEN (named by "
                        "$LAUNCHKIT_SERVE_TOKEN_NAME). Without any, writes are refused");
    command
        ->add_option("--read-access", options->read_access,
                     "open: anyone may read; token: reads need a token too (health never)")
        ->capture_default_str()
        ->check(CLI::IsMember({"open", "token"}));
    command
        ->add_option("--max-body", options->max_body_bytes,
                     "Largest request body in bytes; larger ones get 413")
        ->capture_default_str()
        ->check(CLI::Range(size_t{1}, size_t{16} * 1024 * 1024));
    command
        ->add_option("--threads", options->threads,
                     "Threads answering requests, each serving many connections "
                     "(0: one per core)")
        ->capture_default_str()
        ->check(CLI::Range(size_t{0}, size_t{256}));
    cli.set_action(command, [options, action](launchkit::Context& context) {
        return action(context, *options);
    });
}

// The server runs in feature-flags-serve: its HTTP library brings GnuTLS, whose loading would
// add milliseconds to the start of every other feature-flags command.
void add_serve_command(launchkit::CommandLine& cli) {
    add_serve_options(
        cli,
        [](launchkit::Context&,
           const launchkit::serve::FlagServerOptions&) -> launchkit::Result<launchkit::ExitCode> {
            return std::unexpected(launchkit::util::exec_sibling("feature-flags-serve", arguments));
        });
}

}  // namespace feature_flags

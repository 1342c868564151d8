#include <memory>

#include "commands.h"

namespace diagnose {

void add_probe_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::probe::DiagnoseProbeOptions>();
    auto* command = cli.add_command(
        "probe",
        "Check one URL, for scripts: exit 0 when it meets every expectation, 1 when it answered "
        "otherwise, 3 when it did not answer (unreachable, timed out, TLS failure)");
    command->add_option("url", options->url, "http:// or https:// URL")->required();
    command->add_option("-X,--method", options->method, "Request method (default GET)");
    command->add_option("--expect-status", options->expect_status,
                        "Accepted status: 200, 200-299 or 2xx (repeatable; default 2xx)");
    command->add_option("--expect-json", options->expect_json,
                        "JSON Pointer comparison, e.g. '/status == \"ready\"' or '/backlog < 100' "
                        "(repeatable)");
    command->add_option("--expect-body", options->expect_body,
                        "Text the body must contain (repeatable)");
    command->add_option("-H,--header", options->headers, "Request header 'Name: value'");
    command->add_option("--token-env", options->token_env,
                        "Environment variable holding a bearer token (never printed)");
    command->add_option("--timeout", options->timeout, "Give up after this long (default 5s)");
    command->add_option("--max-latency", options->max_latency, "Fail when slower, e.g. 500ms");
    command->add_flag("-k,--insecure", options->insecure, "Do not verify the TLS certificate");
    command->add_flag("-L,--follow-redirects", options->follow_redirects, "Follow redirects");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::probe::run_probe(context, *options);
    });
}

}  // namespace diagnose

// --help examples, from the runbooks (the Mycelia Rollback Procedures's `mycelia-launchctl`).
#include "commands.h"

namespace launchctl {

void add_examples(launchkit::CommandLine& cli) {
    cli.set_example(&cli.app(),
                    "Examples (the Mycelia Rollback Procedures's rollback runbook):\n"
                    "  launchctl pause redemption --reason \"INC-42\"\n"
                    "  launchctl status\n"
                    "  launchctl resume redemption");
    cli.set_example(
        "pause",
        "Example (Mycelia Rollback Procedures: immediate pause of BTC mainnet redemption):\n"
        "  launchctl pause redemption --reason \"INC-42: redemption failures\"");
    cli.set_example("resume",
                    "Example (Mycelia Rollback Procedures: resume redemption):\n"
                    "  launchctl resume redemption --reason \"INC-42 fixed in 1.5.1\"");
    cli.set_example("status",
                    "Example (Mycelia Rollback Procedures: verify the pause):\n"
                    "  launchctl status\n"
                    "  launchctl status redemption || echo \"redemption is paused\"");
    cli.set_example("wait",
                    "Example (a script waiting for the incident commander's resume):\n"
                    "  launchctl wait redemption --until running --timeout 30m");
    cli.set_example("history",
                    "Example (the Mycelia Rollback Procedures's rollback review):\n  launchctl "
                    "history redemption");
}

}  // namespace launchctl

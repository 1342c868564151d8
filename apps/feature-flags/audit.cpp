#include <memory>

#include "commands.h"

namespace feature_flags {

void add_audit_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::AuditOptions>();
    auto* command = cli.add_command(
        "audit",
        "The audit log of flag changes; --verify checks the store's whole hash chain (exit 1 "
        "when a record was edited or removed)");
    command->add_flag("--verify", options->verify,
                      "Verify the SHA-256 chain and that the state matches it");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_audit(context, *options);
    });
}

}  // namespace feature_flags

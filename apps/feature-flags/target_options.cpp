#include "commands.h"

namespace feature_flags {

void add_target_options(CLI::App* command, launchkit::flags::FlagTarget& target, bool with_reason) {
    command->add_option("name", target.name, "Flag name")->required();
    command->add_option("--env", target.environment,
                        "Environment (default: $LAUNCHKIT_ENV, then the config's "
                        "flags.environment, then production)");
    if (with_reason)
        command->add_option("--reason", target.reason, "Why, recorded in the audit log");
}

}  // namespace feature_flags

#include <memory>

#include "commands.h"
#include "flags/flag_transfer.h"

namespace feature_flags {

void add_import_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::ImportOptions>();
    auto* command = cli.add_command(
        "import",
        "Apply an exported JSON or YAML document in one atomic change; nothing changes unless "
        "the whole document is valid");
    command->add_option("file", options->input, "Document to read ('-' for stdin)")->required();
    command->add_option("--format", options->format,
                        "auto (default), launchkit, or unleash: Unleash's {\"features\": [...]} "
                        "JSON");
    command->add_option("--env", options->environment,
                        "unleash: the environment its features become (default: as for every "
                        "command)");
    command->add_flag("--dry-run", options->dry_run, "Show what would change; change nothing");
    command->add_flag("--prune", options->prune, "Also delete flags the document does not list");
    command->add_option("--reason", options->reason, "Why, recorded in the audit log");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_import(context, *options);
    });
}

}  // namespace feature_flags

#include <memory>

#include "commands.h"
#include "flags/flag_transfer.h"

namespace feature_flags {

void add_export_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::ExportOptions>();
    auto* command = cli.add_command("export", "Write every flag as a JSON or YAML document");
    command->add_option("--format", options->format, "json (default) or yaml");
    command->add_option("-o,--output", options->output, "File to write (default: stdout)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_export(context, *options);
    });
}

}  // namespace feature_flags

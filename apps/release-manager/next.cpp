#include <memory>

#include "commands.h"

namespace release_manager {

void add_next_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::version::NextOptions>();
    auto* command = cli.add_command(
        "next", "Print only the next version (exit 1 when `auto` finds nothing to release)");
    command->add_option("type", options->bump, "auto (default) | patch | minor | major | release")
        ->check(CLI::IsMember({"patch", "minor", "major", "auto", "release"}));
    command->add_option("--pre", options->prerelease_id, "Next numbered pre-release with this id");
    add_repository_options(command, options->target);
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::version::run_next(context, *options);
    });
}

}  // namespace release_manager

#include <memory>

#include "commands.h"

namespace release_manager {

void add_changelog_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::version::ChangelogOptions>();
    auto* command = cli.add_command(
        "changelog", "Print the changelog of unreleased commits, or with --all of every release");
    command->add_flag("--all", options->all, "Render every tagged release in the history");
    add_repository_options(command, options->target);
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::version::run_changelog(context, *options);
    });
}

}  // namespace release_manager

#include <memory>

#include "commands.h"

namespace launchctl {

void add_resume_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::flags::ResumeOptions>();
    auto* command = cli.add_command("resume", "Resume a paused subsystem");
    command->add_option("name", options->name, "Launch control name")->required();
    command->add_option("--reason", options->reason, "Why, recorded in the audit log");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::flags::run_resume(context, *options);
    });
}

}  // namespace launchctl

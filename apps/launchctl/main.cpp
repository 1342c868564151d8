#include "commands.h"
#include "flags/flag_completions.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "launchctl",
        "Launch controls: pause and resume whole subsystems during incidents and upgrades.");
    cli.add_commands({"pause"}, launchctl::add_pause_command);
    cli.add_commands({"resume"}, launchctl::add_resume_command);
    cli.add_commands({"status"}, launchctl::add_status_command);
    cli.add_commands({"wait"}, launchctl::add_wait_command);
    cli.add_commands({"history"}, launchctl::add_history_command);
    launchctl::add_examples(cli);
    cli.complete_named("name", launchkit::flags::launch_control_names);
    return cli.run(argc, argv);
}

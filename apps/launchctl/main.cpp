#include "commands.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "launchctl",
        "Launch controls: pause and resume whole subsystems during incidents and upgrades.");
    launchctl::add_pause_command(cli);
    launchctl::add_resume_command(cli);
    launchctl::add_status_command(cli);
    launchctl::add_wait_command(cli);
    launchctl::add_history_command(cli);
    return cli.run(argc, argv);
}

#include "core/command_line.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "launchctl",
        "Launch controls: pause and resume features fleet-wide during incidents and upgrades.");
    return cli.run(argc, argv);
}

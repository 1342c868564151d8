#include "core/command_line.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "diagnose",
        "Pre- and post-upgrade checklists: concurrent HTTP, TCP and command health probes.");
    return cli.run(argc, argv);
}

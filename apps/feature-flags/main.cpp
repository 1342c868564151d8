#include "core/command_line.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "feature-flags",
        "Feature flags: create, toggle, roll out gradually and audit flags per environment.");
    return cli.run(argc, argv);
}

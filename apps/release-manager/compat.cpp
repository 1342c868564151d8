#include <memory>

#include "commands.h"
#include "version/compat_commands.h"

namespace release_manager {

void add_compat_command(launchkit::CommandLine& cli) {
    auto* group = cli.add_command("compat", "Version compatibility matrix checks");
    auto options = std::make_shared<launchkit::version::CompatCheckOptions>();
    auto* check = cli.add_command(
        "check",
        "Check that every state an ordered upgrade passes through keeps every pair of components "
        "compatible and no component skips versions it may not skip (no_skip). Exit 0 compatible, "
        "1 a "
        "pair breaks or a version is skipped, 2 invalid matrix or upgrade",
        group);
    check->add_option("matrix", options->matrix, "Compatibility matrix YAML")->required();
    check->add_option("--upgrade", options->upgrades,
                      "COMPONENT=VERSION, repeated in the order the upgrade will happen");
    check->add_option("--current", options->current,
                      "COMPONENT=VERSION that runs now (default: the ledger's deploys of the "
                      "component's tag_prefix, else the matrix's version:)");
    check->add_option("--env", options->environment,
                      "Environment whose ledger deploys say what runs now (default: production)");
    cli.set_example(
        check,
        "Example (Zeitwork Platform Upgrade Guide: database, then operator, then node agents):\n"
        "  release-manager compat check playbooks/zeitwork-compatibility.yaml \\\n"
        "      --upgrade database-schema=3 --upgrade operator=1.3.0 --upgrade node-agent=1.3.0");
    cli.set_action(check, [options](launchkit::Context& context) {
        return launchkit::version::run_compat_check(context, *options);
    });
}

}  // namespace release_manager

#include <memory>

#include "commands.h"
#include "doctor/state_doctor.h"

namespace release_manager {

void add_doctor_command(launchkit::CommandLine& cli) {
    auto options = std::make_shared<launchkit::doctor::DoctorOptions>();
    auto* command = cli.add_command(
        "doctor",
        "Examine the state directory: permissions, the store and its audit chain, run journals and "
        "runs left by a dead runner, the release ledger, every backup, leftovers of killed writers "
        "and held locks. Changes nothing. Exit 0 sound, 1 something needs attention");
    command->add_flag("!--no-backups", options->backups,
                      "Do not verify the backups' data (it reads every byte)");
    cli.set_example(command,
                    "Example (before an upgrade, that the tool's own records can be trusted):\n  "
                    "release-manager doctor && release-manager deploy 1.5.0 production --playbook "
                    "playbooks/mycelia-upgrade.yaml");
    cli.set_action(command, [options](launchkit::Context& context) {
        return launchkit::doctor::run_doctor(context, *options);
    });
}

}  // namespace release_manager

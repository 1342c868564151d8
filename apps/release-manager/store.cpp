#include <memory>

#include "commands.h"
#include "doctor/state_migration.h"

namespace release_manager {

void add_store_command(launchkit::CommandLine& cli) {
    auto* group = cli.add_command(
        "store", "Check the state's audit chain, or move a state directory into etcd");
    cli.set_example(group,
                    "Example (a team moving to a fleet backend before the Zeitwork Platform "
                    "Upgrade Guide's rollout):\n"
                    "  release-manager store migrate --to etcd://10.0.0.5:2379/launchkit/prod\n"
                    "  release-manager store verify --store etcd://10.0.0.5:2379/launchkit/prod");

    auto* verify = cli.add_command(
        "verify",
        "Recompute the audit chain of the store (the state directory's, or etcd's with --store); "
        "exit 1 when damaged",
        group);
    cli.set_example(verify, "Example:\n  release-manager store verify --json");
    cli.set_action(verify, [](launchkit::Context& context) {
        return launchkit::doctor::run_store_verify(context);
    });

    auto options = std::make_shared<launchkit::doctor::StoreMigrateOptions>();
    auto* migrate = cli.add_command(
        "migrate",
        "Copy the state directory's store (audit chain included), release ledger and run "
        "journals into etcd; refuses a prefix that holds keys unless --force",
        group);
    migrate->add_option("--to", options->to, "etcd://HOST:PORT[,HOST:PORT...]/PREFIX")->required();
    migrate->add_flag("--force", options->force, "Replace what the prefix holds");
    cli.set_example(migrate,
                    "Example:\n  release-manager store migrate --to "
                    "etcd://10.0.0.5:2379,10.0.0.6:2379/launchkit/prod");
    cli.set_action(migrate, [options](launchkit::Context& context) {
        return launchkit::doctor::run_store_migrate(context, *options);
    });
}

}  // namespace release_manager

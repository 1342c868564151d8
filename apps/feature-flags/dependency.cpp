#include <memory>

#include "commands.h"
#include "flags/targeting_commands.h"

namespace feature_flags {

void add_dependency_command(launchkit::CommandLine& cli) {
    auto* group = cli.add_command(
        "dependency", "A flag on only while its parent flag is on (or off, or on a variant)");

    auto add_options = std::make_shared<launchkit::flags::DependencyOptions>();
    auto* add = cli.add_command("add", "Make NAME depend on PARENT (one level, as Unleash)", group);
    add->add_option("name", add_options->name, "The dependent flag")->required();
    add->add_option("parent", add_options->parent, "The flag it depends on")->required();
    add->add_flag("--parent-off", add_options->parent_off, "NAME is on only while PARENT is off");
    add->add_option("--variant", add_options->variants,
                    "NAME is on only while PARENT gives one of these variants (repeatable)");
    add->add_option("--reason", add_options->reason, "Why, recorded in the audit log");
    cli.set_example(add,
                    "Example (the redemption UI only while redemption is on):\n"
                    "  feature-flags dependency add redemption-ui btc-mainnet-redemption");
    cli.set_action(add, [add_options](launchkit::Context& context) {
        return launchkit::flags::run_dependency_add(context, *add_options);
    });

    auto remove_options = std::make_shared<launchkit::flags::DependencyOptions>();
    auto* remove = cli.add_command("remove", "Drop NAME's dependency on PARENT", group);
    remove->add_option("name", remove_options->name, "The dependent flag")->required();
    remove->add_option("parent", remove_options->parent, "The flag it depends on")->required();
    remove->add_option("--reason", remove_options->reason, "Why, recorded in the audit log");
    cli.set_example(remove,
                    "Example:\n  feature-flags dependency remove redemption-ui "
                    "btc-mainnet-redemption");
    cli.set_action(remove, [remove_options](launchkit::Context& context) {
        return launchkit::flags::run_dependency_remove(context, *remove_options);
    });
}

}  // namespace feature_flags

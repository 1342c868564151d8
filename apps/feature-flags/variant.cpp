#include <memory>

#include "commands.h"
#include "flags/targeting_commands.h"

namespace feature_flags {

void add_variant_command(launchkit::CommandLine& cli) {
    auto* group = cli.add_command(
        "variant", "Weighted variants of an enabled flag (an experiment's arms, payloads)");

    auto add_options = std::make_shared<launchkit::flags::VariantAddOptions>();
    auto* add = cli.add_command(
        "add", "Add or replace a variant; weights are spread as Unleash spreads them", group);
    add_target_options(add, add_options->target, true);
    add->add_option("variant", add_options->variant, "Variant name")->required();
    add->add_option("--weight", add_options->weight,
                    "A fixed weight out of 1000 (default: an even share of what fixed ones "
                    "leave)");
    add->add_option("--stickiness", add_options->stickiness,
                    "default, userId, sessionId or any context field");
    add->add_option("--payload-type", add_options->payload_type, "string, json, number or csv");
    add->add_option("--payload", add_options->payload, "The payload handed out with the variant");
    add->add_option("--override", add_options->overrides,
                    "FIELD=VALUE[,VALUE...]: always this variant for these (repeatable)");
    cli.set_example(add,
                    "Example (QA always sees the control arm):\n"
                    "  feature-flags variant add new-checkout control --weight 500 "
                    "--override userId=qa-1,qa-2");
    cli.set_action(add, [add_options](launchkit::Context& context) {
        return launchkit::flags::run_variant_add(context, *add_options);
    });

    auto list_target = std::make_shared<launchkit::flags::FlagTarget>();
    auto* list = cli.add_command("list", "The flag's variants in one environment", group);
    add_target_options(list, *list_target, false);
    cli.set_example(list, "Example:\n  feature-flags variant list new-checkout");
    cli.set_action(list, [list_target](launchkit::Context& context) {
        return launchkit::flags::run_variant_list(context, *list_target);
    });

    auto remove_options = std::make_shared<launchkit::flags::VariantRemoveOptions>();
    auto* remove =
        cli.add_command("remove", "Remove a variant; the others share its weight", group);
    add_target_options(remove, remove_options->target, true);
    remove->add_option("variant", remove_options->variant, "Variant name")->required();
    cli.set_example(remove, "Example:\n  feature-flags variant remove new-checkout one-page");
    cli.set_action(remove, [remove_options](launchkit::Context& context) {
        return launchkit::flags::run_variant_remove(context, *remove_options);
    });
}

}  // namespace feature_flags

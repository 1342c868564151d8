#include <memory>

#include "commands.h"
#include "flags/targeting_commands.h"

namespace feature_flags {

void add_segment_command(launchkit::CommandLine& cli) {
    auto* group =
        cli.add_command("segment", "Named constraint sets that strategies of any flag can require");

    for (bool create : {true, false}) {
        auto options = std::make_shared<launchkit::flags::SegmentOptions>();
        auto* command = cli.add_command(
            create ? "create" : "set",
            create ? "Create a segment from one or more constraints"
                   : "Replace a segment's constraints (every flag using it follows)",
            group);
        command->add_option("name", options->name, "Segment name")->required();
        command
            ->add_option("--constraint", options->constraints,
                         "'[not] FIELD OPERATOR[/i] VALUE[,VALUE...]' (repeatable; all must "
                         "hold)")
            ->required();
        command->add_option("--description", options->description, "What the segment is");
        command->add_option("--reason", options->reason, "Why, recorded in the audit log");
        cli.set_example(command, create ? "Example:\n  feature-flags segment create internal "
                                          "--constraint 'email STR_ENDS_WITH/i @example.com'"
                                        : "Example:\n  feature-flags segment set internal "
                                          "--constraint 'team IN core,payments'");
        cli.set_action(command, [options, create](launchkit::Context& context) {
            return launchkit::flags::run_segment_put(context, *options, create);
        });
    }

    auto* list = cli.add_command("list", "Every segment and its constraints", group);
    cli.set_example(list, "Example:\n  feature-flags segment list --json");
    cli.set_action(list, [](launchkit::Context& context) {
        return launchkit::flags::run_segment_list(context);
    });

    auto delete_options = std::make_shared<launchkit::flags::SegmentOptions>();
    auto* remove = cli.add_command("delete", "Delete a segment no strategy uses", group);
    remove->add_option("name", delete_options->name, "Segment name")->required();
    remove->add_option("--reason", delete_options->reason, "Why, recorded in the audit log");
    cli.set_example(remove, "Example:\n  feature-flags segment delete internal");
    cli.set_action(remove, [delete_options](launchkit::Context& context) {
        return launchkit::flags::run_segment_delete(context, *delete_options);
    });
}

}  // namespace feature_flags

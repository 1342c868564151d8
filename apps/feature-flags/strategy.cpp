#include <memory>

#include "commands.h"
#include "flags/targeting_commands.h"

namespace feature_flags {

void add_strategy_command(launchkit::CommandLine& cli) {
    auto* group = cli.add_command(
        "strategy", "Who an enabled flag is on for, per environment: Unleash's strategies");

    auto add_options = std::make_shared<launchkit::flags::StrategyAddOptions>();
    auto* add = cli.add_command(
        "add", "Add a strategy (any matching strategy turns the flag on); validated in full",
        group);
    add_target_options(add, add_options->target, true);
    add->add_option("--strategy", add_options->strategy,
                    "default, flexibleRollout, userWithId, remoteAddress or applicationHostname")
        ->required();
    add->add_option("--rollout", add_options->rollout, "flexibleRollout: percent 0-100 (100)");
    add->add_option("--stickiness", add_options->stickiness,
                    "flexibleRollout: default, random, userId, sessionId or any context field");
    add->add_option("--group-id", add_options->group_id,
                    "flexibleRollout: bucketing group (default: the flag's rollout group)");
    add->add_option("--user-ids", add_options->user_ids, "userWithId: comma-separated ids");
    add->add_option("--ips", add_options->addresses,
                    "remoteAddress: comma-separated addresses and CIDR ranges");
    add->add_option("--host-names", add_options->host_names,
                    "applicationHostname: comma-separated host names");
    add->add_option("--constraint", add_options->constraints,
                    "'[not] FIELD OPERATOR[/i] VALUE[,VALUE...]', e.g. 'region IN eu,us' "
                    "(repeatable; all must hold)");
    add->add_option("--segment", add_options->segments,
                    "A segment whose constraints must hold too (repeatable)");
    add->add_option("--title", add_options->title, "A name for the strategy, shown in lists");
    cli.set_example(add,
                    "Example (a tenth of Europe on app 2.3 or later):\n"
                    "  feature-flags strategy add new-checkout --strategy flexibleRollout "
                    "--rollout 10 \\\n"
                    "      --constraint 'region IN eu' --constraint 'appVersion SEMVER_GTE "
                    "2.3.0'");
    cli.set_action(add, [add_options](launchkit::Context& context) {
        return launchkit::flags::run_strategy_add(context, *add_options);
    });

    auto list_target = std::make_shared<launchkit::flags::FlagTarget>();
    auto* list =
        cli.add_command("list", "The flag's strategies in one environment, numbered", group);
    add_target_options(list, *list_target, false);
    cli.set_example(list, "Example:\n  feature-flags strategy list new-checkout --env production");
    cli.set_action(list, [list_target](launchkit::Context& context) {
        return launchkit::flags::run_strategy_list(context, *list_target);
    });

    auto remove_options = std::make_shared<launchkit::flags::StrategyRemoveOptions>();
    auto* remove = cli.add_command(
        "remove", "Remove a strategy by its number in 'strategy list' (never the last one)", group);
    add_target_options(remove, remove_options->target, true);
    remove->add_option("position", remove_options->position, "Its number in 'strategy list'")
        ->required();
    cli.set_example(remove,
                    "Example:\n  feature-flags strategy remove new-checkout 2 --reason "
                    "\"beta over\"");
    cli.set_action(remove, [remove_options](launchkit::Context& context) {
        return launchkit::flags::run_strategy_remove(context, *remove_options);
    });
}

}  // namespace feature_flags

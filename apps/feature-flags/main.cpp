#include "commands.h"
#include "flags/flag_completions.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "feature-flags",
        "Feature flags per environment: toggle, gradual rollout, Unleash targeting (strategies, "
        "constraints, segments, variants, dependencies), audit trail and stale-flag reports.");
    feature_flags::remember_arguments(argv);
    feature_flags::add_runbook_toggle_options(cli);
    cli.add_commands({"enable", "disable"}, feature_flags::add_toggle_commands);
    cli.add_commands({"create"}, feature_flags::add_create_command);
    cli.add_commands({"set"}, feature_flags::add_set_command);
    cli.add_commands({"get"}, feature_flags::add_get_command);
    cli.add_commands({"eval"}, feature_flags::add_eval_command);
    cli.add_commands({"list"}, feature_flags::add_list_command);
    cli.add_commands({"delete"}, feature_flags::add_delete_command);
    cli.add_commands({"history"}, feature_flags::add_history_command);
    cli.add_commands({"audit"}, feature_flags::add_audit_command);
    cli.add_commands({"watch"}, feature_flags::add_watch_command);
    cli.add_commands({"stale"}, feature_flags::add_stale_command);
    cli.add_commands({"export"}, feature_flags::add_export_command);
    cli.add_commands({"import"}, feature_flags::add_import_command);
    cli.add_commands({"strategy"}, feature_flags::add_strategy_command);
    cli.add_commands({"segment"}, feature_flags::add_segment_command);
    cli.add_commands({"variant"}, feature_flags::add_variant_command);
    cli.add_commands({"dependency"}, feature_flags::add_dependency_command);
    cli.add_commands({"serve"}, feature_flags::add_serve_command);
    cli.add_commands({"usage"}, feature_flags::add_usage_command);
    feature_flags::add_examples(cli);
    cli.complete_named("name", launchkit::flags::flag_names, {"create"});
    cli.complete_named("--enable", launchkit::flags::flag_names);
    cli.complete_named("--disable", launchkit::flags::flag_names);
    cli.complete_files_named({"file", "--output"});
    return cli.run(argc, argv);
}

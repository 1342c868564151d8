#include "backup/backup_commands.h"
#include "commands.h"
#include "playbook/deploy_commands.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "release-manager",
        "Releases and deploys: SemVer from Conventional Commits, changelog and tags, the "
        "release ledger, backups, rollback decisions, playbook deploys with automatic rollback, "
        "drills and compatibility checks.");
    cli.add_commands({"create"}, release_manager::add_create_command);
    cli.add_commands({"next"}, release_manager::add_next_command);
    cli.add_commands({"changelog"}, release_manager::add_changelog_command);
    cli.add_commands({"status"}, release_manager::add_status_command);
    cli.add_commands({"history"}, release_manager::add_history_command);
    cli.add_commands({"backup", "verify-backup"}, release_manager::add_backup_command);
    cli.add_commands({"analyze"}, release_manager::add_analyze_command);
    cli.add_commands({"deploy"}, release_manager::add_deploy_command);
    cli.add_commands({"plan"}, release_manager::add_plan_command);
    cli.add_commands({"resume"}, release_manager::add_resume_command);
    cli.add_commands({"rollback"}, release_manager::add_rollback_command);
    cli.add_commands({"abort"}, release_manager::add_abort_command);
    cli.add_commands({"promote"}, release_manager::add_promote_command);
    cli.add_commands({"pause"}, release_manager::add_pause_command);
    cli.add_commands({"runs"}, release_manager::add_runs_command);
    cli.add_commands({"report"}, release_manager::add_report_command);
    cli.add_commands({"stats"}, release_manager::add_stats_command);
    cli.add_commands({"drill"}, release_manager::add_drill_command);
    cli.add_commands({"compat"}, release_manager::add_compat_command);
    cli.add_commands({"doctor"}, release_manager::add_doctor_command);
    cli.add_commands({"store"}, release_manager::add_store_command);
    cli.add_commands({"keygen"}, release_manager::add_keygen_command);
    cli.add_commands({"sign"}, release_manager::add_sign_command);
    cli.add_commands({"verify"}, release_manager::add_verify_command);
    cli.add_commands({"attest"}, release_manager::add_attest_command);
    release_manager::add_examples(cli);
    cli.complete_named("id", launchkit::backup::backup_ids);
    cli.complete_named("run_id", launchkit::playbook::run_ids);
    cli.complete_named("--run", launchkit::playbook::run_ids);
    cli.complete_named("env", launchkit::playbook::environment_names);
    cli.complete_named("--env", launchkit::playbook::environment_names);
    cli.complete_values_named("--strategy", {"canary", "rolling", "blue-green"});
    cli.complete_files_named({"playbook", "--playbook", "--rollback-playbook", "matrix", "--rules",
                              "--canary", "--baseline", "--checklist", "--to", "-C", "--repo"});
    return cli.run(argc, argv);
}

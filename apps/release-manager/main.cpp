#include "commands.h"

int main(int argc, char** argv) {
    launchkit::CommandLine cli(
        "release-manager",
        "Release versioning: SemVer from Conventional Commits, changelog, tags, "
        "the release ledger, backups, and rollback decisions.");
    release_manager::add_create_command(cli);
    release_manager::add_next_command(cli);
    release_manager::add_changelog_command(cli);
    release_manager::add_status_command(cli);
    release_manager::add_history_command(cli);
    release_manager::add_backup_command(cli);
    release_manager::add_analyze_command(cli);
    release_manager::add_deploy_command(cli);
    release_manager::add_plan_command(cli);
    release_manager::add_resume_command(cli);
    release_manager::add_rollback_command(cli);
    release_manager::add_runs_command(cli);
    release_manager::add_stats_command(cli);
    release_manager::add_drill_command(cli);
    release_manager::add_compat_command(cli);
    return cli.run(argc, argv);
}

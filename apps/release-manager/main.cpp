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
    return cli.run(argc, argv);
}

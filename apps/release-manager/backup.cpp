#include <memory>

#include "backup/backup_commands.h"
#include "commands.h"

namespace release_manager {
namespace backup = launchkit::backup;

namespace {

// `--offsite` alone: the repository launchkit.yaml's backups.offsite names; `--offsite REPO`:
// that one.
void add_offsite_option(CLI::App* command, backup::OffsiteOption& offsite, const char* help) {
    command
        ->add_option_function<std::vector<std::string>>(
            "--offsite",
            [&offsite](const std::vector<std::string>& values) {
                offsite = values.empty() ? std::string() : values.front();
            },
            help)
        ->expected(0, 1)
        ->type_name("[REPO]");
}

void add_backup_create(launchkit::CommandLine& cli, CLI::App* parent) {
    auto options = std::make_shared<backup::BackupCreateOptions>();
    auto* command = cli.add_command("create",
                                    "Back up a directory, SQLite or PostgreSQL database, "
                                    "or a configured source",
                                    parent);
    command
        ->add_option("source", options->source,
                     "dir:PATH, sqlite:PATH, postgres:CONNINFO (no password: $PGPASSWORD or "
                     "~/.pgpass) or a name from the config's backups: section")
        ->required();
    command->add_option("--tag", options->tag, "A tag such as pre-upgrade");
    command->add_option("--label", options->labels, "KEY=VALUE, repeatable");
    add_offsite_option(command, options->offsite,
                       "Copy it to this restic repository once it verifies (default: "
                       "backups.offsite in launchkit.yaml); exit 3 when the copy fails, the "
                       "backup kept here");
    command->add_flag("--no-offsite", options->no_offsite, "Keep this backup here only");
    command->footer(
        "Example (the Mycelia Upgrade Playbook before an upgrade):\n"
        "  release-manager backup create dir:./config --tag pre-upgrade --label version=1.4.2\n" +
        command->get_footer());
    cli.set_action(command, [options](launchkit::Context& context) {
        return backup::run_backup_create(context, *options);
    });
}

void add_backup_list(launchkit::CommandLine& cli, CLI::App* parent) {
    auto options = std::make_shared<backup::BackupListOptions>();
    auto* command = cli.add_command("list", "List backups, oldest first", parent);
    command->add_option("--source", options->source, "Only backups of this source");
    command->add_option("--tag", options->tag, "Only backups with this tag");
    add_offsite_option(command, options->offsite,
                       "Also the backups in the off-site repository, and where each lives "
                       "(local, off-site, both)");
    cli.set_action(command, [options](launchkit::Context& context) {
        return backup::run_backup_list(context, *options);
    });
}

void add_backup_show(launchkit::CommandLine& cli, CLI::App* parent) {
    auto id = std::make_shared<std::string>();
    auto* command = cli.add_command("show", "Show one backup's manifest", parent);
    command->add_option("id", *id, "Backup id, a unique prefix of one, or 'latest'")->required();
    cli.set_action(command, [id](launchkit::Context& context) {
        return backup::run_backup_show(context, *id);
    });
}

void add_verify_options(CLI::App* command, backup::BackupVerifyOptions& options) {
    command->add_option("id", options.id, "Backup id, a unique prefix of one, or 'latest'");
    command->add_flag("--all", options.all, "Verify every backup");
    add_offsite_option(command, options.offsite,
                       "Verify the off-site copies: restic check, then each copy read back and "
                       "its SHA-256 compared");
    command->add_option("--read-data-subset", options.read_data_subset,
                        "With --offsite: restic check also reads this much of the data (10%, "
                        "1/5, all)");
}

void add_backup_restore(launchkit::CommandLine& cli, CLI::App* parent) {
    auto options = std::make_shared<backup::BackupRestoreOptions>();
    auto* command = cli.add_command(
        "restore", "Restore a backup (after a safety backup of what it replaces)", parent);
    command->add_option("id", options->id, "Backup id, a unique prefix of one, or 'latest'")
        ->required();
    command->add_option("--to", options->to,
                        "Restore somewhere else: a path, or a connection string for postgres");
    command->add_option("--env", options->environment,
                        "latest and latest:TAG among this environment's backups only (those a "
                        "run there took, or created with --label env=ENV)");
    command->add_flag("-y,--yes", options->yes, "Replace the target without asking");
    command->add_flag("--no-safety-backup", options->no_safety_backup,
                      "Do not back up what is about to be replaced");
    command->add_flag("--allow-external-symlinks", options->allow_external_symlinks,
                      "Restore symlinks that point outside the target directory");
    add_offsite_option(command, options->offsite,
                       "Fetch the backup from this restic repository when it is not here "
                       "(default: backups.offsite in launchkit.yaml)");
    command->footer(
        "Example (the Mycelia Rollback Procedures's configuration rollback):\n"
        "  release-manager backup restore latest --yes\n" +
        command->get_footer());
    cli.set_action(command, [options](launchkit::Context& context) {
        return backup::run_backup_restore(context, *options);
    });
}

void add_backup_prune(launchkit::CommandLine& cli, CLI::App* parent) {
    auto options = std::make_shared<backup::BackupPruneOptions>();
    auto* command = cli.add_command(
        "prune", "Remove backups outside a retention policy (restic forget semantics)", parent);
    for (auto [name, target, help] :
         {std::tuple{"--keep-last", &options->keep_last, "Keep the N most recent backups"},
          std::tuple{"--keep-hourly", &options->keep_hourly,
                     "Keep the newest backup of each of the last N hours that have one"},
          std::tuple{"--keep-daily", &options->keep_daily, "… of the last N days"},
          std::tuple{"--keep-weekly", &options->keep_weekly, "… of the last N ISO weeks"},
          std::tuple{"--keep-monthly", &options->keep_monthly, "… of the last N months"},
          std::tuple{"--keep-yearly", &options->keep_yearly, "… of the last N years"}})
        command->add_option(name, *target, std::string(help) + " (N or 'unlimited')");
    command->add_option("--source", options->source, "Only this source's backups");
    command->add_option("--tag", options->tag, "Only backups with this tag");
    command->add_flag("-n,--dry-run", options->dry_run, "Show what would be removed");
    add_offsite_option(command, options->offsite,
                       "Apply the policy in this restic repository too (default: "
                       "backups.offsite in launchkit.yaml): restic forget --prune");
    command->footer(
        "Example:\n  release-manager backup prune --keep-last 3 --keep-daily 7 "
        "--keep-weekly 4 --dry-run\n" +
        command->get_footer());
    cli.set_action(command, [options](launchkit::Context& context) {
        return backup::run_backup_prune(context, *options);
    });
}

}  // namespace

void add_backup_command(launchkit::CommandLine& cli) {
    auto* group = cli.add_command("backup", "Back up, verify, restore and prune backups");
    add_backup_create(cli, group);
    add_backup_list(cli, group);
    add_backup_show(cli, group);
    auto verify = std::make_shared<backup::BackupVerifyOptions>();
    auto* verify_command =
        cli.add_command("verify", "Recompute every checksum and run the kind's own check", group);
    add_verify_options(verify_command, *verify);
    cli.set_action(verify_command, [verify](launchkit::Context& context) {
        return backup::run_backup_verify(context, *verify);
    });
    add_backup_restore(cli, group);
    add_backup_prune(cli, group);
    auto sync = std::make_shared<backup::BackupSyncOptions>();
    auto* sync_command = cli.add_command(
        "sync", "Copy every backup not yet off-site to the restic repository", group);
    add_offsite_option(sync_command, sync->offsite,
                       "This restic repository (default: backups.offsite in launchkit.yaml)");
    sync_command->add_flag("--init", sync->init, "Create the repository when there is none");
    cli.set_action(sync_command, [sync](launchkit::Context& context) {
        return backup::run_backup_sync(context, *sync);
    });

    // The Release Management Playbook's `release_manager.mjs verify-backup`: the latest backup
    // unless told otherwise.
    auto alias = std::make_shared<backup::BackupVerifyOptions>();
    auto* alias_command =
        cli.add_command("verify-backup", "Same as 'backup verify' (default: the latest backup)");
    add_verify_options(alias_command, *alias);
    cli.set_action(alias_command, [alias](launchkit::Context& context) {
        auto options = *alias;
        if (options.id.empty() && !options.all) options.id = "latest";
        return backup::run_backup_verify(context, options);
    });
}

}  // namespace release_manager

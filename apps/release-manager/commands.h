// Subcommand registration for release-manager; one file per subcommand.
#pragma once

#include "core/command_line.h"
#include "version/release_commands.h"

namespace release_manager {

// --help examples for the commands, from the runbooks.
void add_examples(launchkit::CommandLine& cli);

void add_create_command(launchkit::CommandLine& cli);
void add_next_command(launchkit::CommandLine& cli);
void add_changelog_command(launchkit::CommandLine& cli);
void add_status_command(launchkit::CommandLine& cli);
void add_history_command(launchkit::CommandLine& cli);
void add_analyze_command(launchkit::CommandLine& cli);
// `compat check MATRIX`.
void add_compat_command(launchkit::CommandLine& cli);
// Playbook runs.
void add_deploy_command(launchkit::CommandLine& cli);
void add_plan_command(launchkit::CommandLine& cli);
void add_resume_command(launchkit::CommandLine& cli);
void add_rollback_command(launchkit::CommandLine& cli);
// Steering a running deploy from another shell.
void add_abort_command(launchkit::CommandLine& cli);
void add_promote_command(launchkit::CommandLine& cli);
void add_pause_command(launchkit::CommandLine& cli);
void add_runs_command(launchkit::CommandLine& cli);
// `report RUN_ID`: a run as an HTML page.
void add_report_command(launchkit::CommandLine& cli);
void add_stats_command(launchkit::CommandLine& cli);
// `doctor`: whether the state directory's records can be trusted.
void add_doctor_command(launchkit::CommandLine& cli);
// `store verify|migrate`: the audit chain wherever the state lives; a state directory into etcd.
void add_store_command(launchkit::CommandLine& cli);
// --password-file for commands that sign (sign, attest, create --sign).
void add_password_option(CLI::App* command, launchkit::sign::PasswordSource& source);
void add_keygen_command(launchkit::CommandLine& cli);
void add_sign_command(launchkit::CommandLine& cli);
void add_verify_command(launchkit::CommandLine& cli);
void add_attest_command(launchkit::CommandLine& cli);  // and attest verify
void add_drill_command(launchkit::CommandLine& cli);
// `backup create|list|show|verify|restore|prune` and the `verify-backup` alias.
void add_backup_command(launchkit::CommandLine& cli);

// --repo, --tag-prefix and --path, shared by the commands that read a repository.
void add_repository_options(CLI::App* command, launchkit::version::RepositoryOptions& options);

}  // namespace release_manager

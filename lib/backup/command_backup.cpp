#include "backup/command_backup.h"

#include "util/process.h"

namespace launchkit::backup {
namespace {

Result<void> run_user_command(const std::vector<std::string>& argv, const BackupSource& source,
                              std::vector<std::pair<std::string, std::string>> environment) {
    auto result = util::run_process({.argv = argv,
                                     .working_directory = source.working_directory,
                                     .environment = std::move(environment)});
    if (!result)
        return fail(ExitCode::environment, "backup source {}: cannot run '{}': {}", source.name,
                    argv.front(), result.error().message);
    if (!result->succeeded())
        return fail(ExitCode::environment, "backup source {}: '{}' failed (exit {}): {}",
                    source.name, argv.front(), result->exit_code,
                    util::first_line(result->stderr_text.empty() ? result->stdout_text
                                                                 : result->stderr_text));
    return {};
}

}  // namespace

Result<void> run_backup_command(const BackupSource& source,
                                const std::filesystem::path& destination) {
    std::error_code error;
    auto before = std::filesystem::last_write_time(source.output, error);
    bool existed = !error;
    LAUNCHKIT_TRY(run_user_command(source.backup_argv, source,
                                   {{"LAUNCHKIT_BACKUP_FILE", source.output.string()}}));
    auto after = std::filesystem::last_write_time(source.output, error);
    if (error)
        return fail(ExitCode::environment,
                    "backup source {}: the command succeeded but left no file at {}", source.name,
                    source.output.string());
    if (existed && after == before)
        return fail(ExitCode::environment,
                    "backup source {}: the command succeeded but did not rewrite {} (a stale "
                    "file is not a backup)",
                    source.name, source.output.string());
    std::filesystem::copy_file(source.output, destination, error);
    if (error)
        return fail(ExitCode::environment, "cannot copy {} into the backup: {}",
                    source.output.string(), error.message());
    return {};
}

Result<void> run_restore_command(const BackupSource& source,
                                 const std::filesystem::path& backup_file) {
    std::vector<std::string> argv;
    for (auto word : source.restore_argv) {
        for (auto at = word.find("${file}"); at != std::string::npos; at = word.find("${file}"))
            word.replace(at, 7, backup_file.string());
        argv.push_back(word);
    }
    std::vector<std::pair<std::string, std::string>> environment = {
        {"LAUNCHKIT_BACKUP_FILE", backup_file.string()}};
    if (!source.file_env.empty()) environment.emplace_back(source.file_env, backup_file.string());
    return run_user_command(argv, source, std::move(environment));
}

}  // namespace launchkit::backup

#include "backup/postgres_backup.h"

#include "util/pattern.h"
#include "util/process.h"

namespace launchkit::backup {
namespace {

Result<util::ProcessResult> run_tool(std::vector<std::string> argv) {
    auto tool = argv.front();
    auto result = util::run_process({.argv = std::move(argv)});
    if (!result)
        return fail(ExitCode::environment,
                    "{} could not be started ({}); install the PostgreSQL "
                    "client tools (Debian: postgresql-client)",
                    tool, result.error().message);
    return result;
}

}  // namespace

std::string pg_dump_version() {
    auto result = util::run_process({.argv = {"pg_dump", "--version"}});
    if (!result || !result->succeeded()) return "";
    static const auto version = util::builtin_pattern(R"((\d+(\.\d+)*))");
    auto found = version.find(result->stdout_text);
    if (!found || !*found) return "";
    return std::string(*(**found)[1]);
}

Result<void> dump_postgres(const std::string& conninfo, const std::filesystem::path& destination) {
    LAUNCHKIT_TRY_ASSIGN(auto result,
                         run_tool({"pg_dump", "--format=custom", "--no-password",
                                   "--file=" + destination.string(), "--dbname=" + conninfo}));
    if (!result.succeeded())
        return fail(ExitCode::environment, "pg_dump failed (exit {}): {}", result.exit_code,
                    util::first_line(result.stderr_text));
    return {};
}

Result<int> list_postgres_dump(const std::filesystem::path& dump) {
    LAUNCHKIT_TRY_ASSIGN(auto result, run_tool({"pg_restore", "--list", dump.string()}));
    if (!result.succeeded())
        return fail(ExitCode::said_no, "pg_restore --list cannot read {}: {}", dump.string(),
                    util::first_line(result.stderr_text));
    int entries = 0;
    std::size_t start = 0;
    const auto& text = result.stdout_text;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (end > start && text[start] != ';') ++entries;
        start = end + 1;
    }
    return entries;
}

Result<void> restore_postgres(const std::filesystem::path& dump, const std::string& conninfo) {
    LAUNCHKIT_TRY_ASSIGN(
        auto result,
        run_tool({"pg_restore", "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
                  "--no-password", "--dbname=" + conninfo, dump.string()}));
    if (!result.succeeded())
        return fail(ExitCode::environment,
                    "pg_restore failed (exit {}); the database is unchanged (one transaction): {}",
                    result.exit_code, util::first_line(result.stderr_text));
    return {};
}

}  // namespace launchkit::backup

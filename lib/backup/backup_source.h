// What a backup is taken of: `dir:PATH`, `sqlite:PATH`, `postgres:CONNINFO`, or a name from the
// configuration's `backups:` section (which is the only way to define a `command:` source).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/config.h"

namespace launchkit::backup {

enum class BackupKind { directory, sqlite, postgres, command };

// "dir", "sqlite", "postgres", "command": the spellings of manifests and source specs.
std::string_view kind_name(BackupKind kind);
std::optional<BackupKind> parse_kind(std::string_view name);

struct BackupSource {
    std::string name;  // the configured name, or the spec as typed ("dir:/srv/app/config")
    BackupKind kind = BackupKind::directory;
    std::filesystem::path path{};            // directory and sqlite: absolute
    std::string conninfo{};                  // postgres: libpq connection string without a password
    std::vector<std::string> backup_argv{};  // command
    std::vector<std::string> restore_argv{};  // command
    std::filesystem::path output{};           // command: what backup_argv writes
    std::string file_env{};                   // command
    std::filesystem::path working_directory{};

    // What a human reads in tables: the path, the database, or the command.
    std::string describe() const;
    // How a restore puts a backup back, to follow "restored backup ID": "to /srv/app/config",
    // "to database app", "by running make db-restore" (a command source's restore command).
    std::string describe_restore() const;
};

// Resolves a spec as typed on the command line or stored in a manifest.
Result<BackupSource> resolve_backup_source(const std::string& spec, const Config& config);

// Rejects a connection string that carries a password: secrets come from $PGPASSWORD or ~/.pgpass,
// never from argv or configuration files (they would end up in `ps`, shell history and manifests).
Result<void> check_conninfo_has_no_password(const std::string& conninfo, std::string_view where);

// The database name in a connection string, for display ("" when it is not given).
std::string conninfo_database(const std::string& conninfo);

}  // namespace launchkit::backup

// `postgres:` backups by the PostgreSQL tools users already trust: pg_dump -Fc, pg_restore --list
// to verify, pg_restore --clean --if-exists --single-transaction to restore. Spawned with argv; the
// password only ever travels in $PGPASSWORD or ~/.pgpass, which the tools read themselves.
#pragma once

#include <filesystem>
#include <string>

#include "base/error.h"

namespace launchkit::backup {

Result<void> dump_postgres(const std::string& conninfo, const std::filesystem::path& destination);

// The number of entries in the dump's table of contents; an error when pg_restore cannot read it.
Result<int> list_postgres_dump(const std::filesystem::path& dump);

Result<void> restore_postgres(const std::filesystem::path& dump, const std::string& conninfo);

// "15.18" from `pg_dump --version`; empty when pg_dump is not installed.
std::string pg_dump_version();

}  // namespace launchkit::backup

#include "backup/sqlite_backup.h"

#include <memory>

#include <sqlite3.h>

namespace launchkit::backup {
namespace {

struct ConnectionDeleter {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionDeleter>;

// Waits out a writer holding the lock instead of failing at once.
constexpr int busy_timeout_ms = 30'000;

Result<Connection> open_database(const std::string& uri, int flags, const std::string& label) {
    sqlite3* raw = nullptr;
    int status = sqlite3_open_v2(uri.c_str(), &raw, flags | SQLITE_OPEN_URI, nullptr);
    Connection db(raw);
    if (status != SQLITE_OK)
        return fail(ExitCode::environment, "sqlite:{}: cannot open: {}", label,
                    raw ? sqlite3_errmsg(raw) : sqlite3_errstr(status));
    sqlite3_busy_timeout(db.get(), busy_timeout_ms);
    return db;
}

// A file: URI for `path`, with the characters URIs reserve escaped.
std::string file_uri(const std::filesystem::path& path, std::string_view query = {}) {
    std::string uri = "file:";
    for (char c : std::filesystem::absolute(path).string()) {
        if (c == '%' || c == '?' || c == '#')
            uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        else
            uri += c;
    }
    if (!query.empty()) uri += "?" + std::string(query);
    return uri;
}

Result<void> copy_pages(sqlite3* from, sqlite3* to, const std::string& label) {
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (backup == nullptr)
        return fail(ExitCode::environment, "sqlite:{}: cannot start the backup: {}", label,
                    sqlite3_errmsg(to));
    // All pages in one step: one read transaction, so the copy is a consistent snapshot even while
    // another connection writes (stepping in pieces would restart on every write).
    int status = SQLITE_OK;
    while (true) {
        status = sqlite3_backup_step(backup, -1);
        if (status == SQLITE_BUSY || status == SQLITE_LOCKED) {
            sqlite3_sleep(20);
            continue;
        }
        break;
    }
    sqlite3_backup_finish(backup);
    if (status != SQLITE_DONE)
        return fail(ExitCode::environment, "sqlite:{}: backup failed: {}", label,
                    sqlite3_errstr(status));
    return {};
}

}  // namespace

std::string sqlite_library_version() {
    return sqlite3_libversion();
}

Result<void> copy_sqlite_database(const std::filesystem::path& source,
                                  const std::filesystem::path& destination) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(source, error))
        return fail(ExitCode::invalid_input, "sqlite:{}: no such database file", source.string());
    // Read-write (never create), as sqlite3's .backup does: if the application crashed mid-write,
    // its hot journal must be rolled back before a consistent copy can be read. A file we may not
    // write is opened read-only by SQLite itself.
    LAUNCHKIT_TRY_ASSIGN(auto from,
                         open_database(file_uri(source), SQLITE_OPEN_READWRITE, source.string()));
    // A file that is not a database fails here rather than producing an empty "backup".
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(from.get(), "SELECT count(*) FROM sqlite_schema", -1, &statement,
                           nullptr) != SQLITE_OK) {
        auto message = std::string(sqlite3_errmsg(from.get()));
        sqlite3_finalize(statement);
        return fail(ExitCode::invalid_input, "sqlite:{}: not a SQLite database: {}",
                    source.string(), message);
    }
    sqlite3_finalize(statement);
    LAUNCHKIT_TRY_ASSIGN(
        auto to, open_database(file_uri(destination), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                               destination.string()));
    LAUNCHKIT_TRY(copy_pages(from.get(), to.get(), source.string()));
    // A backup is one self-contained file: no -wal beside it.
    sqlite3_exec(to.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
    return {};
}

Result<std::string> check_sqlite_integrity(const std::filesystem::path& database) {
    // immutable: read without creating -wal/-shm files inside the backup folder.
    LAUNCHKIT_TRY_ASSIGN(auto db, open_database(file_uri(database, "immutable=1"),
                                                SQLITE_OPEN_READONLY, database.string()));
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db.get(), "PRAGMA integrity_check(20)", -1, &statement, nullptr) !=
        SQLITE_OK) {
        auto message = std::string(sqlite3_errmsg(db.get()));
        sqlite3_finalize(statement);
        return message;
    }
    std::string result;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        if (!result.empty()) result += "; ";
        result += text ? text : "";
    }
    if (status != SQLITE_DONE) result = sqlite3_errmsg(db.get());
    sqlite3_finalize(statement);
    return result;
}

Result<void> restore_sqlite_database(const std::filesystem::path& backup_file,
                                     const std::filesystem::path& target) {
    LAUNCHKIT_TRY_ASSIGN(auto from, open_database(file_uri(backup_file, "immutable=1"),
                                                  SQLITE_OPEN_READONLY, backup_file.string()));
    LAUNCHKIT_TRY_ASSIGN(auto to,
                         open_database(file_uri(target), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                       target.string()));
    return copy_pages(from.get(), to.get(), target.string());
}

}  // namespace launchkit::backup

#include "backup/backup_source.h"

#include "util/pattern.h"
#include "util/strings.h"

namespace launchkit::backup {

namespace {

// libpq percent-decodes a URI's parameter names as well as their values, so `?pass%77ord=`
// carries a password just as `?password=` does: the check reads the decoded text too.
std::string percent_decoded(std::string_view text) {
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t index = 0; index < text.size(); ++index) {
        if (text[index] == '%' && index + 2 < text.size() && digit(text[index + 1]) >= 0 &&
            digit(text[index + 2]) >= 0) {
            decoded += static_cast<char>(digit(text[index + 1]) * 16 + digit(text[index + 2]));
            index += 2;
        } else {
            decoded += text[index];
        }
    }
    return decoded;
}

}  // namespace

std::string_view kind_name(BackupKind kind) {
    switch (kind) {
        case BackupKind::directory:
            return "dir";
        case BackupKind::sqlite:
            return "sqlite";
        case BackupKind::postgres:
            return "postgres";
        case BackupKind::command:
            return "command";
    }
    return "dir";
}

std::optional<BackupKind> parse_kind(std::string_view name) {
    for (auto kind :
         {BackupKind::directory, BackupKind::sqlite, BackupKind::postgres, BackupKind::command})
        if (kind_name(kind) == name) return kind;
    return std::nullopt;
}

std::string BackupSource::describe_restore() const {
    if (kind != BackupKind::command) return "to " + describe();
    std::string text;
    for (const auto& word : restore_argv) text += (text.empty() ? "" : " ") + word;
    return "by running " + text;
}

std::string BackupSource::describe() const {
    switch (kind) {
        case BackupKind::directory:
        case BackupKind::sqlite:
            return path.string();
        case BackupKind::postgres: {
            auto database = conninfo_database(conninfo);
            return database.empty() ? conninfo : "database " + database;
        }
        case BackupKind::command: {
            std::string text;
            for (const auto& word : backup_argv) text += (text.empty() ? "" : " ") + word;
            return text;
        }
    }
    return name;
}

Result<void> check_conninfo_has_no_password(const std::string& conninfo, std::string_view where) {
    // keyword=value form: a password keyword; URI form: user:password@host.
    static const auto keyword =
        util::builtin_pattern(R"((^|\s)password\s*=)", {.ignore_case = true});
    static const auto uri_password = util::builtin_pattern(R"(^postgres(ql)?://[^/@]*:[^/@]*@)");
    static const auto uri_parameter =
        util::builtin_pattern(R"([?&]password=)", {.ignore_case = true});
    // A search that gave up counts as a password found: refused, never passed on.
    auto carries = [](const util::Pattern& pattern, const std::string& text) {
        return pattern.search(text).value_or(true);
    };
    if (carries(keyword, conninfo) || carries(uri_password, conninfo) ||
        carries(uri_parameter, conninfo) || carries(uri_parameter, percent_decoded(conninfo)))
        return fail(ExitCode::invalid_input,
                    "{}: the PostgreSQL connection carries a password; set $PGPASSWORD or use "
                    "~/.pgpass (or passfile=) instead, so it never appears in argv or files",
                    where);
    return {};
}

std::string conninfo_database(const std::string& conninfo) {
    static const auto keyword = util::builtin_pattern(R"((?:^|\s)dbname\s*=\s*'?([^'\s]+))");
    static const auto uri = util::builtin_pattern(R"(^postgres(?:ql)?://[^/]*/([^?]+))");
    for (const auto* pattern : {&keyword, &uri})
        if (auto found = pattern->find(conninfo); found && *found)
            return std::string(*(**found)[1]);
    return "";
}

Result<BackupSource> resolve_backup_source(const std::string& spec, const Config& config) {
    BackupSource source;
    source.name = spec;
    auto colon = spec.find(':');
    if (auto configured = config.backups.find(spec); configured != config.backups.end()) {
        const auto& entry = configured->second;
        source.kind = parse_kind(entry.kind).value_or(BackupKind::directory);
        source.path = entry.path;
        source.conninfo = entry.postgres;
        source.backup_argv = entry.backup_argv;
        source.restore_argv = entry.restore_argv;
        source.output = entry.output;
        source.file_env = entry.file_env;
        source.working_directory = entry.working_directory;
        if (source.kind == BackupKind::postgres)
            LAUNCHKIT_TRY(check_conninfo_has_no_password(
                source.conninfo, fmt::format("{}: backups.{}.postgres", entry.where, spec)));
        return source;
    }
    auto kind = colon == std::string::npos ? std::nullopt : parse_kind(spec.substr(0, colon));
    if (!kind || *kind == BackupKind::command) {
        std::string names;
        for (const auto& [name, entry] : config.backups)
            names += (names.empty() ? "" : ", ") + name;
        std::string hint =
            kind ? "command sources are defined in the configuration's backups: section"
                 : (names.empty() ? "no sources are configured under backups:"
                                  : "configured sources: " + names);
        return fail(ExitCode::invalid_input,
                    "backup source '{}': expected dir:PATH, sqlite:PATH, postgres:CONNINFO or a "
                    "name from the configuration ({})",
                    spec, hint);
    }
    source.kind = *kind;
    auto rest = spec.substr(colon + 1);
    if (rest.empty())
        return fail(ExitCode::invalid_input, "backup source '{}': nothing after '{}:'", spec,
                    kind_name(*kind));
    if (*kind == BackupKind::postgres) {
        LAUNCHKIT_TRY(check_conninfo_has_no_password(rest, "backup source postgres:…"));
        source.conninfo = rest;
        return source;
    }
    source.path = std::filesystem::absolute(rest).lexically_normal();
    if (source.path.has_filename() == false) source.path = source.path.parent_path();
    source.name = fmt::format("{}:{}", kind_name(*kind), source.path.string());
    return source;
}

}  // namespace launchkit::backup

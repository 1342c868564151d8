#include "core/config_backups.h"

#include "core/yaml_reader.h"

namespace launchkit {
namespace {

// libpq keyword=value syntax: values in single quotes, with \ and ' escaped.
std::string quote_conninfo_value(const std::string& value) {
    std::string quoted = "'";
    for (char c : value) {
        if (c == '\\' || c == '\'') quoted += '\\';
        quoted += c;
    }
    return quoted + "'";
}

Result<std::string> parse_postgres(const YamlReader& reader, const YamlNode& node,
                                   const std::string& field) {
    if (node.is_scalar()) return node.text();
    if (!node.is_map())
        return reader.invalid(node, field,
                              "expected a connection string or a mapping of libpq settings "
                              "(host, port, dbname, user, …)");
    if (node["password"])
        return reader.invalid(node["password"], field + ".password",
                              "passwords are read from $PGPASSWORD or ~/.pgpass (or the file "
                              "named by passfile:), never from the configuration");
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".",
                                   {"host", "port", "dbname", "user", "passfile", "sslmode",
                                    "service", "application_name", "connect_timeout"}));
    std::string conninfo;
    for (const auto& entry : node.entries()) {
        auto key = entry.first.text();
        LAUNCHKIT_TRY_ASSIGN(auto value, reader.text(entry.second, field + "." + key));
        if (!conninfo.empty()) conninfo += ' ';
        conninfo += key + "=" + quote_conninfo_value(value);
    }
    return conninfo;
}

Result<BackupSourceConfig> parse_source(const YamlReader& reader, const YamlNode& node,
                                        const std::filesystem::path& source,
                                        const std::string& field) {
    if (!node.is_map())
        return reader.invalid(node, field,
                              "expected a mapping with one of dir, sqlite, postgres or command");
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".", {"dir", "sqlite", "postgres", "command"}));
    if (node.size() != 1)
        return reader.invalid(node, field,
                              "expected exactly one of dir, sqlite, postgres or command");
    BackupSourceConfig config;
    config.where =
        node.line() == 0 ? source.string() : fmt::format("{}:{}", source.string(), node.line());
    config.working_directory = std::filesystem::absolute(source).parent_path().string();
    for (const char* kind : {"dir", "sqlite"}) {
        if (!node[kind]) continue;
        config.kind = kind;
        LAUNCHKIT_TRY_ASSIGN(auto path, reader.text(node[kind], field + "." + kind));
        if (path.empty()) return reader.invalid(node[kind], field + "." + kind, "expected a path");
        config.path = path_beside_config(source, path).string();
    }
    if (node["postgres"]) {
        config.kind = "postgres";
        LAUNCHKIT_TRY_ASSIGN(config.postgres,
                             parse_postgres(reader, node["postgres"], field + ".postgres"));
    }
    if (const auto& command = node["command"]) {
        config.kind = "command";
        auto prefix = field + ".command";
        if (!command.is_map())
            return reader.invalid(command, prefix,
                                  "expected a mapping with backup, output and restore");
        LAUNCHKIT_TRY(
            reader.only_keys(command, prefix + ".", {"backup", "restore", "output", "file_env"}));
        for (auto [key, target] : {std::pair{"backup", &config.backup_argv},
                                   std::pair{"restore", &config.restore_argv}}) {
            const auto& argv = command[key];
            if (!argv || !argv.is_sequence() || argv.size() == 0)
                return reader.invalid(argv ? argv : command, prefix + "." + key,
                                      "expected a non-empty argv list, e.g. [make, db-backup]");
            LAUNCHKIT_TRY_ASSIGN(*target, reader.text_list(argv, prefix + "." + key));
        }
        LAUNCHKIT_TRY_ASSIGN(auto output, reader.text(command["output"], prefix + ".output"));
        if (output.empty())
            return reader.invalid(command, prefix + ".output",
                                  "expected the path of the file the backup command writes");
        config.output = path_beside_config(source, output).string();
        LAUNCHKIT_TRY_ASSIGN(config.file_env,
                             reader.text(command["file_env"], prefix + ".file_env"));
    }
    return config;
}

}  // namespace

Result<std::map<std::string, BackupSourceConfig>> parse_backups_section(
    const YamlNode& node, const std::filesystem::path& source) {
    YamlReader reader(source.string());
    if (!node.is_map())
        return reader.invalid(node, "backups", "expected a mapping of source names to sources");
    std::map<std::string, BackupSourceConfig> sources;
    for (const auto& entry : node.entries()) {
        auto name = entry.first.text();
        if (name == "offsite") continue;
        LAUNCHKIT_TRY_ASSIGN(auto parsed,
                             parse_source(reader, entry.second, source, "backups." + name));
        sources.emplace(name, std::move(parsed));
    }
    return sources;
}

bool is_restic_backend_url(std::string_view repository) {
    for (std::string_view scheme :
         {"local:", "sftp:", "rest:", "s3:", "b2:", "azure:", "gs:", "swift:", "rclone:"})
        if (repository.starts_with(scheme)) return true;
    return false;
}

Result<ResticOffsiteConfig> parse_offsite_section(const YamlNode& node,
                                                  const std::filesystem::path& source) {
    YamlReader reader(source.string());
    constexpr const char* shape =
        "expected {restic: {repository: REPO, password_file: FILE | password_env: VAR}}";
    if (!node.is_map()) return reader.invalid(node, "backups.offsite", shape);
    LAUNCHKIT_TRY(reader.only_keys(node, "backups.offsite.", {"restic"}));
    const auto& restic = node["restic"];
    if (!restic || !restic.is_map())
        return reader.invalid(restic ? restic : node, "backups.offsite.restic", shape);
    const std::string field = "backups.offsite.restic";
    if (restic["password"])
        return reader.invalid(restic["password"], field + ".password",
                              "the password comes from password_file or password_env, never "
                              "from the configuration");
    LAUNCHKIT_TRY(reader.only_keys(restic, field + ".",
                                   {"repository", "password_file", "password_env", "options"}));
    ResticOffsiteConfig config;
    config.where =
        restic.line() == 0 ? source.string() : fmt::format("{}:{}", source.string(), restic.line());
    LAUNCHKIT_TRY_ASSIGN(config.repository,
                         reader.text(restic["repository"], field + ".repository"));
    if (config.repository.empty())
        return reader.invalid(restic, field + ".repository",
                              "expected the restic repository (a path, sftp:, rest:, s3:, ...)");
    if (!is_restic_backend_url(config.repository))
        config.repository = path_beside_config(source, config.repository).string();
    LAUNCHKIT_TRY_ASSIGN(auto password_file,
                         reader.text(restic["password_file"], field + ".password_file"));
    if (!password_file.empty()) config.password_file = path_beside_config(source, password_file);
    LAUNCHKIT_TRY_ASSIGN(config.password_env,
                         reader.text(restic["password_env"], field + ".password_env"));
    if (!password_file.empty() && !config.password_env.empty())
        return reader.invalid(restic, field, "expected password_file or password_env, not both");
    if (const auto& options = restic["options"]) {
        if (!options.is_map())
            return reader.invalid(
                options, field + ".options",
                "expected restic's extended options, {sftp.command: \"ssh ...\"}");
        for (const auto& entry : options.entries()) {
            auto key = entry.first.text();
            LAUNCHKIT_TRY_ASSIGN(auto value, reader.text(entry.second, field + ".options." + key));
            if (key.empty() || key.find('=') != std::string::npos)
                return reader.invalid(entry.first, field + ".options",
                                      fmt::format("'{}' is not an option name", key));
            config.options.emplace_back(key, value);
        }
    }
    return config;
}

}  // namespace launchkit

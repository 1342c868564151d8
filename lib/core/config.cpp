#include "core/config.h"
#include "core/config_backups.h"
#include "core/config_environments.h"
#include "core/config_release_branches.h"

#include <cstdlib>
#include <limits>
#include <set>

#include "core/yaml_reader.h"
#include "notify/notification_target.h"
#include "util/file_io.h"

namespace launchkit {
namespace {

std::optional<std::string> environment_variable(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

std::string where(const std::filesystem::path& source, const YamlNode& node) {
    if (node.line() == 0) return source.string();
    return fmt::format("{}:{}", source.string(), node.line());
}

Result<void> reject_unknown_keys(const YamlNode& map, const std::filesystem::path& source,
                                 std::string_view section, const std::set<std::string>& known) {
    for (const auto& entry : map.entries()) {
        auto key = entry.first.text();
        if (known.contains(key)) continue;
        std::string expected;
        for (const auto& name : known) expected += (expected.empty() ? "" : ", ") + name;
        return fail(ExitCode::invalid_input, "{}: unknown key '{}{}' (expected one of: {})",
                    where(source, entry.first), section, key, expected);
    }
    return {};
}

Result<std::string> read_string(const YamlNode& node, const std::filesystem::path& source,
                                std::string_view key) {
    if (!node.is_scalar())
        return fail(ExitCode::invalid_input, "{}: '{}' must be a string", where(source, node), key);
    return node.text();
}

Result<void> parse_release_section(const YamlNode& node, const std::filesystem::path& source,
                                   ReleaseConfig& release) {
    if (!node.is_map())
        return fail(ExitCode::invalid_input, "{}: 'release' must be a mapping",
                    where(source, node));
    LAUNCHKIT_TRY(reject_unknown_keys(
        node, source, "release.", {"tag_prefix", "changelog", "version_file", "path", "branches"}));
    if (node["tag_prefix"]) {
        LAUNCHKIT_TRY_ASSIGN(release.tag_prefix,
                             read_string(node["tag_prefix"], source, "release.tag_prefix"));
    }
    if (node["changelog"]) {
        LAUNCHKIT_TRY_ASSIGN(release.changelog,
                             read_string(node["changelog"], source, "release.changelog"));
    }
    if (node["version_file"]) {
        LAUNCHKIT_TRY_ASSIGN(release.version_file,
                             read_string(node["version_file"], source, "release.version_file"));
    }
    if (node["path"]) {
        LAUNCHKIT_TRY_ASSIGN(release.path, read_string(node["path"], source, "release.path"));
    }
    if (node["branches"]) {
        LAUNCHKIT_TRY_ASSIGN(release.branches, parse_release_branches(node["branches"], source));
    }
    return {};
}

// `launch_controls: [redemption, signups]` or `launch_controls: {redemption: "what it stops"}`.
Result<std::map<std::string, LaunchControlConfig>> parse_launch_controls(
    const YamlNode& node, const std::filesystem::path& source) {
    std::map<std::string, LaunchControlConfig> controls;
    auto add = [&](const YamlNode& name, const YamlNode& description) -> Result<void> {
        LAUNCHKIT_TRY_ASSIGN(auto text, read_string(name, source, "launch_controls"));
        LaunchControlConfig control{.description = "", .where = where(source, name)};
        if (description && !description.is_null()) {
            LAUNCHKIT_TRY_ASSIGN(control.description,
                                 read_string(description, source, "launch_controls." + text));
        }
        if (!controls.emplace(text, control).second)
            return fail(ExitCode::invalid_input, "{}: launch control '{}' is listed twice",
                        where(source, name), text);
        return {};
    };
    if (node.is_sequence()) {
        for (const auto& name : node.items()) LAUNCHKIT_TRY(add(name, YamlNode()));
    } else if (node.is_map()) {
        for (const auto& entry : node.entries()) LAUNCHKIT_TRY(add(entry.first, entry.second));
    } else {
        return fail(ExitCode::invalid_input,
                    "{}: 'launch_controls' must be a list of names or a mapping of name to "
                    "description",
                    where(source, node));
    }
    return controls;
}

Result<void> parse_flags_section(const YamlNode& node, const std::filesystem::path& source,
                                 FlagsConfig& flags) {
    if (!node.is_map())
        return fail(ExitCode::invalid_input, "{}: 'flags' must be a mapping", where(source, node));
    LAUNCHKIT_TRY(reject_unknown_keys(node, source, "flags.", {"environment", "stale_after_days"}));
    if (node["environment"]) {
        LAUNCHKIT_TRY_ASSIGN(flags.environment,
                             read_string(node["environment"], source, "flags.environment"));
    }
    if (const auto& days = node["stale_after_days"]) {
        auto value = yaml_integer(days);
        if (!value || *value < 1 || *value > std::numeric_limits<int>::max())
            return fail(ExitCode::invalid_input,
                        "{}: 'flags.stale_after_days' must be a whole number of days >= 1",
                        where(source, days));
        flags.stale_after_days = static_cast<int>(*value);
    }
    return {};
}

}  // namespace

std::filesystem::path path_beside_config(const std::filesystem::path& source,
                                         const std::string& text) {
    std::filesystem::path path = text;
    if (path.is_relative()) path = std::filesystem::absolute(source).parent_path() / path;
    return path.lexically_normal();
}

Result<Config> parse_config(std::string_view yaml_text, const std::filesystem::path& source) {
    Config config;
    config.source = source;
    LAUNCHKIT_TRY_ASSIGN(YamlNode root, load_yaml(yaml_text, source.string()));
    if (root.is_null()) return config;  // an empty file means defaults
    if (!root.is_map())
        return fail(ExitCode::invalid_input, "{}: expected a mapping of settings at the top level",
                    source.string());
    LAUNCHKIT_TRY(reject_unknown_keys(
        root, source, "",
        {"state_dir", "store", "etcd", "checklist", "slo_rules", "release", "flags", "backups",
         "environments", "launch_controls", "signing", "notifications", "reports"}));

    if (root["state_dir"]) {
        LAUNCHKIT_TRY_ASSIGN(std::string state_dir,
                             read_string(root["state_dir"], source, "state_dir"));
        config.state_dir = path_beside_config(source, state_dir);
    }
    if (root["store"]) {
        LAUNCHKIT_TRY_ASSIGN(std::string store, read_string(root["store"], source, "store"));
        config.store = store;
    }
    if (const auto& etcd = root["etcd"]) {
        if (!etcd.is_map())
            return fail(ExitCode::invalid_input,
                        "{}: etcd: expected a mapping of cacert, cert, key", source.string());
        LAUNCHKIT_TRY(reject_unknown_keys(etcd, source, "etcd.", {"cacert", "cert", "key"}));
        for (auto [key, target] :
             {std::pair{"cacert", &config.etcd.cacert}, std::pair{"cert", &config.etcd.cert},
              std::pair{"key", &config.etcd.key}}) {
            if (!etcd[key]) continue;
            auto field = std::string("etcd.") + key;
            LAUNCHKIT_TRY_ASSIGN(std::string text, read_string(etcd[key], source, field));
            *target = path_beside_config(source, text);
        }
    }
    for (auto [key, target] :
         {std::pair{"checklist", &config.checklist}, std::pair{"slo_rules", &config.slo_rules}}) {
        if (!root[key]) continue;
        LAUNCHKIT_TRY_ASSIGN(std::string text, read_string(root[key], source, key));
        *target = path_beside_config(source, text);
    }
    if (root["release"])
        LAUNCHKIT_TRY(parse_release_section(root["release"], source, config.release));
    if (root["flags"]) LAUNCHKIT_TRY(parse_flags_section(root["flags"], source, config.flags));
    if (root["launch_controls"]) {
        LAUNCHKIT_TRY_ASSIGN(config.launch_controls,
                             parse_launch_controls(root["launch_controls"], source));
    }
    if (root["backups"]) {
        LAUNCHKIT_TRY_ASSIGN(config.backups, parse_backups_section(root["backups"], source));
        if (const auto& offsite = root["backups"]["offsite"]) {
            LAUNCHKIT_TRY_ASSIGN(config.backup_offsite, parse_offsite_section(offsite, source));
        }
    }
    if (const auto& signing = root["signing"]) {
        YamlReader reader(source.string());
        if (!signing.is_map())
            return reader.invalid(signing, "signing", "expected {public_keys: [FILE.pub, ...]}");
        LAUNCHKIT_TRY(reader.only_keys(signing, "signing.", {"public_keys"}));
        LAUNCHKIT_TRY_ASSIGN(auto keys,
                             reader.text_list(signing["public_keys"], "signing.public_keys"));
        for (const auto& key : keys)
            config.signing_public_keys.push_back(path_beside_config(source, key));
    }
    if (const auto& reports = root["reports"]) {
        YamlReader reader(source.string());
        if (!reports.is_map())
            return reader.invalid(reports, "reports",
                                  "expected {directory: PATH, url: https://.../${run_id}.html}");
        LAUNCHKIT_TRY(reader.only_keys(reports, "reports.", {"directory", "url"}));
        LAUNCHKIT_TRY_ASSIGN(std::string directory,
                             reader.text(reports["directory"], "reports.directory"));
        if (!directory.empty()) config.reports_directory = path_beside_config(source, directory);
        LAUNCHKIT_TRY_ASSIGN(config.reports_url, reader.text(reports["url"], "reports.url"));
        if (!config.reports_url.empty() && !config.reports_url.starts_with("http://") &&
            !config.reports_url.starts_with("https://") &&
            !config.reports_url.starts_with("file://"))
            return reader.invalid(reports["url"], "reports.url",
                                  "expected an http(s) or file URL, e.g. "
                                  "https://deploys.example.com/runs/${run_id}.html");
    }
    if (const auto& notifications = root["notifications"]) {
        YamlReader reader(source.string());
        if (!notifications.is_sequence())
            return reader.invalid(notifications, "notifications",
                                  "expected a list of targets, e.g. [{slack: {webhook_env: "
                                  "SLACK_WEBHOOK_URL}, on: [rolling_back]}]");
        LAUNCHKIT_TRY_ASSIGN(config.notifications, notify::read_notification_targets(
                                                       reader, notifications, "notifications",
                                                       source.parent_path(), true));
    }
    if (root["environments"]) {
        LAUNCHKIT_TRY_ASSIGN(config.environments,
                             parse_environments_section(root["environments"], source));
        for (const auto& [name, environment] : config.environments)
            if (environment.require_signed && config.signing_public_keys.empty())
                return fail(ExitCode::invalid_input,
                            "{}: environments.{}.require_signed: needs signing.public_keys, the "
                            "keys whose release signatures count",
                            environment.where, name);
    }
    return config;
}

Result<Config> discover_config(const std::optional<std::filesystem::path>& explicit_path) {
    std::optional<std::filesystem::path> path = explicit_path;
    std::string_view named_by = "--config";
    if (!path) {
        if (auto from_env = environment_variable("LAUNCHKIT_CONFIG")) {
            path = *from_env;
            named_by = "$LAUNCHKIT_CONFIG";
        }
    }
    if (!path) {
        if (!std::filesystem::exists("launchkit.yaml")) return Config{};
        path = "launchkit.yaml";
    }
    if (!std::filesystem::exists(*path))
        return fail(ExitCode::invalid_input, "configuration file '{}' (from {}) does not exist",
                    path->string(), named_by);
    LAUNCHKIT_TRY_ASSIGN(std::string text, util::read_file(*path));
    return parse_config(text, *path);
}

std::filesystem::path resolve_state_dir(const std::optional<std::filesystem::path>& flag,
                                        const Config& config) {
    if (flag) return std::filesystem::absolute(*flag);
    if (auto from_env = environment_variable("LAUNCHKIT_STATE_DIR"))
        return std::filesystem::absolute(*from_env);
    if (config.state_dir) return *config.state_dir;
    if (auto xdg = environment_variable("XDG_STATE_HOME"))
        return std::filesystem::path(*xdg) / "launchkit";
    auto home = environment_variable("HOME").value_or("/tmp");
    return std::filesystem::path(home) / ".local" / "state" / "launchkit";
}

EtcdTlsFiles resolve_etcd_tls(const EtcdTlsFiles& flags, const Config& config) {
    return {flags.cacert.empty() ? config.etcd.cacert : flags.cacert,
            flags.cert.empty() ? config.etcd.cert : flags.cert,
            flags.key.empty() ? config.etcd.key : flags.key};
}

std::string resolve_store(const std::optional<std::string>& flag, const Config& config) {
    if (flag) return *flag;
    if (auto from_env = environment_variable("LAUNCHKIT_STORE")) return *from_env;
    return config.store.value_or("");
}

}  // namespace launchkit

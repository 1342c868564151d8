#include "notify/notification_target.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/config.h"
#include "notify/email.h"
#include "notify/payloads.h"

namespace launchkit::notify {
namespace {

bool has_reference(const std::string& text) {
    return text.find("${") != std::string::npos;
}

std::string beside(const std::filesystem::path& directory, const std::string& text) {
    if (text.empty() || has_reference(text)) return text;
    return path_beside_config(directory / "launchkit.yaml", text).string();
}

nlohmann::json empty_target(const std::string& kind) {
    return {
        {"kind", kind},     {"file", ""},        {"url", ""},      {"token_env", ""},
        {"secret_env", ""}, {"secret_file", ""}, {"endpoint", ""}, {"on", nlohmann::json::array()}};
}

// {NAME_env: VARIABLE} or {NAME_file: PATH}: exactly one.
Result<void> read_secret(const YamlReader& reader, const YamlNode& node, const std::string& field,
                         const std::string& name, const std::filesystem::path& directory,
                         nlohmann::json& target) {
    auto env_key = name + "_env";
    auto file_key = name + "_file";
    LAUNCHKIT_TRY_ASSIGN(std::string env, reader.text(node[env_key], field + "." + env_key));
    LAUNCHKIT_TRY_ASSIGN(std::string file, reader.text(node[file_key], field + "." + file_key));
    if (env.empty() == file.empty())
        return reader.invalid(node, field,
                              fmt::format("expected {} (a variable holding it) or {} (a file "
                                          "holding it): a secret is never written here",
                                          env_key, file_key));
    target["secret_env"] = env;
    target["secret_file"] = beside(directory, file);
    return {};
}

// {smtp: URL, from, to, username_env, password_env | password_file, ca_file, require_tls}.
Result<nlohmann::json> read_email(const YamlReader& reader, const YamlNode& settings,
                                  const std::string& where,
                                  const std::filesystem::path& directory) {
    if (!settings.is_map())
        return reader.invalid(settings, where,
                              "expected {smtp: smtp://HOST:587, from: ADDRESS, to: [ADDRESS]}");
    LAUNCHKIT_TRY(reader.only_keys(settings, where + ".",
                                   {"smtp", "from", "to", "username_env", "password_env",
                                    "password_file", "ca_file", "require_tls"}));
    auto target = empty_target("email");
    LAUNCHKIT_TRY_ASSIGN(std::string url, reader.text(settings["smtp"], where + ".smtp"));
    if (!has_reference(url) && !url.starts_with("smtp://") && !url.starts_with("smtps://"))
        return reader.invalid(settings["smtp"], where + ".smtp",
                              "expected smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT");
    target["url"] = url;
    LAUNCHKIT_TRY_ASSIGN(std::string from, reader.text(settings["from"], where + ".from"));
    if (!has_reference(from) && !is_mail_address(from))
        return reader.invalid(settings["from"], where + ".from",
                              "expected one address, local@domain");
    target["from"] = from;
    LAUNCHKIT_TRY_ASSIGN(auto to, reader.text_list(settings["to"], where + ".to"));
    if (to.empty()) return reader.invalid(settings, where + ".to", "expected the recipients");
    for (const auto& address : to)
        if (!has_reference(address) && !is_mail_address(address))
            return reader.invalid(settings["to"], where + ".to",
                                  fmt::format("'{}' is not one address, local@domain", address));
    target["to"] = to;
    LAUNCHKIT_TRY_ASSIGN(target["username_env"],
                         reader.text(settings["username_env"], where + ".username_env"));
    if (settings["password_env"] || settings["password_file"])
        LAUNCHKIT_TRY(read_secret(reader, settings, where, "password", directory, target));
    if (target["username_env"] != "" && target["secret_env"] == "" && target["secret_file"] == "")
        return reader.invalid(settings, where, "username_env needs password_env or password_file");
    LAUNCHKIT_TRY_ASSIGN(std::string ca_file, reader.text(settings["ca_file"], where + ".ca_file"));
    target["ca_file"] = beside(directory, ca_file);
    target["require_tls"] = true;
    if (settings["require_tls"]) {
        LAUNCHKIT_TRY_ASSIGN(bool require_tls,
                             reader.boolean(settings["require_tls"], where + ".require_tls"));
        target["require_tls"] = require_tls;
    }
    return target;
}

// {page_id, api_key_env | api_key_file, component_ids, endpoint}.
Result<nlohmann::json> read_statuspage(const YamlReader& reader, const YamlNode& settings,
                                       const std::string& where,
                                       const std::filesystem::path& directory) {
    if (!settings.is_map())
        return reader.invalid(settings, where, "expected {page_id: ID, api_key_env: VARIABLE}");
    LAUNCHKIT_TRY(
        reader.only_keys(settings, where + ".",
                         {"page_id", "api_key_env", "api_key_file", "component_ids", "endpoint"}));
    auto target = empty_target("statuspage");
    LAUNCHKIT_TRY_ASSIGN(std::string page, reader.text(settings["page_id"], where + ".page_id"));
    if (page.empty() || page.find_first_of("/?#% ") != std::string::npos)
        return reader.invalid(settings["page_id"] ? settings["page_id"] : settings,
                              where + ".page_id", "expected the page's id (letters and digits)");
    target["page_id"] = page;
    LAUNCHKIT_TRY(read_secret(reader, settings, where, "api_key", directory, target));
    LAUNCHKIT_TRY_ASSIGN(auto components,
                         reader.text_list(settings["component_ids"], where + ".component_ids"));
    target["component_ids"] = components;
    LAUNCHKIT_TRY_ASSIGN(std::string endpoint,
                         reader.text(settings["endpoint"], where + ".endpoint"));
    if (!endpoint.empty() && !has_reference(endpoint) && !endpoint.starts_with("http://") &&
        !endpoint.starts_with("https://"))
        return reader.invalid(settings["endpoint"], where + ".endpoint",
                              "expected an http(s) URL (default https://api.statuspage.io/v1)");
    target["endpoint"] = endpoint;
    return target;
}

Result<nlohmann::json> read_service(const YamlReader& reader, const YamlNode& map,
                                    const std::string& field, const std::string& kind,
                                    const std::filesystem::path& directory) {
    const auto& settings = map[kind];
    auto where = field + "." + kind;
    if (kind == "email") return read_email(reader, settings, where, directory);
    if (kind == "statuspage") return read_statuspage(reader, settings, where, directory);
    if (!settings.is_map())
        return reader.invalid(
            settings, where,
            kind == "pagerduty" ? "expected {routing_key_env: VARIABLE} or {routing_key_file: PATH}"
                                : "expected {webhook_env: VARIABLE} or {webhook_file: PATH}");
    auto target = empty_target(kind);
    if (kind == "pagerduty") {
        LAUNCHKIT_TRY(reader.only_keys(settings, where + ".",
                                       {"routing_key_env", "routing_key_file", "endpoint"}));
        LAUNCHKIT_TRY(read_secret(reader, settings, where, "routing_key", directory, target));
        LAUNCHKIT_TRY_ASSIGN(std::string endpoint,
                             reader.text(settings["endpoint"], where + ".endpoint"));
        if (!endpoint.empty() && !has_reference(endpoint) && !endpoint.starts_with("http://") &&
            !endpoint.starts_with("https://"))
            return reader.invalid(settings["endpoint"], where + ".endpoint",
                                  "expected an http(s) URL (default "
                                  "https://events.pagerduty.com/v2/enqueue)");
        target["endpoint"] = endpoint;
    } else {
        LAUNCHKIT_TRY(reader.only_keys(settings, where + ".", {"webhook_env", "webhook_file"}));
        LAUNCHKIT_TRY(read_secret(reader, settings, where, "webhook", directory, target));
    }
    return target;
}

}  // namespace

Result<nlohmann::json> read_notification_target(const YamlReader& reader, const YamlNode& node,
                                                const std::string& field,
                                                const std::filesystem::path& directory,
                                                bool allow_on) {
    if (!node || (node.is_scalar() && node.text() == "stdout")) return empty_target("stdout");
    static constexpr const char* expected =
        "expected stdout, {file: PATH}, {webhook: URL}, {slack: {...}}, {teams: {...}} or "
        "{pagerduty: {...}}, {email: {...}} or {statuspage: {...}}";
    if (!node.is_map()) return reader.invalid(node, field, expected);
    std::vector<std::string> kinds;
    for (const char* kind :
         {"file", "webhook", "slack", "teams", "pagerduty", "email", "statuspage"})
        if (node[kind]) kinds.push_back(kind);
    if (kinds.size() != 1) return reader.invalid(node, field, expected);
    const auto& kind = kinds.front();
    if (allow_on)
        LAUNCHKIT_TRY(reader.only_keys(node, field + ".",
                                       {"file", "webhook", "token_env", "slack", "teams",
                                        "pagerduty", "email", "statuspage", "on", "environments"}));
    else
        LAUNCHKIT_TRY(reader.only_keys(node, field + ".",
                                       {"file", "webhook", "token_env", "slack", "teams",
                                        "pagerduty", "email", "statuspage"}));
    nlohmann::json target;
    if (kind == "file") {
        target = empty_target("file");
        LAUNCHKIT_TRY_ASSIGN(std::string file, reader.text(node["file"], field + ".file"));
        if (file.empty()) return reader.invalid(node["file"], field + ".file", "expected a path");
        target["file"] = beside(directory, file);
    } else if (kind == "webhook") {
        target = empty_target("webhook");
        LAUNCHKIT_TRY_ASSIGN(std::string url, reader.text(node["webhook"], field + ".webhook"));
        if (!has_reference(url) && !url.starts_with("http://") && !url.starts_with("https://"))
            return reader.invalid(node["webhook"], field + ".webhook", "expected an http(s) URL");
        target["url"] = url;
        LAUNCHKIT_TRY_ASSIGN(target["token_env"],
                             reader.text(node["token_env"], field + ".token_env"));
    } else {
        LAUNCHKIT_TRY_ASSIGN(target, read_service(reader, node, field, kind, directory));
    }
    if (node["on"]) {
        LAUNCHKIT_TRY_ASSIGN(auto moments, reader.text_list(node["on"], field + ".on"));
        for (const auto& moment : moments) {
            auto parsed = parse_notice_kind(moment);
            if (!parsed || *parsed == NoticeKind::message)
                return reader.invalid(node["on"], field + ".on",
                                      fmt::format("'{}' is not a moment; expected started, "
                                                  "succeeded, failed, paused, rolling_back, "
                                                  "rolled_back, rollback_failed, abandoned, "
                                                  "control_paused or control_resumed",
                                                  moment));
            target["on"].push_back(moment);
        }
    }
    if (node["environments"]) {
        LAUNCHKIT_TRY_ASSIGN(auto environments,
                             reader.text_list(node["environments"], field + ".environments"));
        target["environments"] = environments;
    }
    return target;
}

Result<std::vector<nlohmann::json>> read_notification_targets(
    const YamlReader& reader, const YamlNode& node, const std::string& field,
    const std::filesystem::path& directory, bool allow_on) {
    std::vector<nlohmann::json> targets;
    if (node && node.is_sequence()) {
        if (node.size() == 0) return reader.invalid(node, field, "expected at least one target");
        for (size_t i = 0; i < node.size(); ++i) {
            LAUNCHKIT_TRY_ASSIGN(auto target, read_notification_target(
                                                  reader, node[i], fmt::format("{}[{}]", field, i),
                                                  directory, allow_on));
            targets.push_back(std::move(target));
        }
        return targets;
    }
    LAUNCHKIT_TRY_ASSIGN(auto target,
                         read_notification_target(reader, node, field, directory, allow_on));
    targets.push_back(std::move(target));
    return targets;
}

bool target_hears(const nlohmann::json& target, NoticeKind kind) {
    if (kind == NoticeKind::message) return true;
    const auto& on = target.value("on", nlohmann::json::array());
    if (!on.empty())
        return std::any_of(on.begin(), on.end(),
                           [&](const auto& moment) { return moment == to_string(kind); });
    if (target.value("kind", "") == "pagerduty") return pagerduty_action(kind).has_value();
    if (target.value("kind", "") == "statuspage") return statuspage_action(kind, true).has_value();
    return true;
}

bool any_target_hears(const std::vector<nlohmann::json>& targets, NoticeKind kind) {
    return std::any_of(targets.begin(), targets.end(),
                       [&](const nlohmann::json& target) { return target_hears(target, kind); });
}

bool target_covers(const nlohmann::json& target, const std::string& environment) {
    const auto& environments = target.value("environments", nlohmann::json::array());
    return environments.empty() ||
           std::any_of(environments.begin(), environments.end(),
                       [&](const auto& name) { return name == environment; });
}

std::string describe_target(const nlohmann::json& target) {
    auto kind = target.value("kind", "stdout");
    if (kind == "stdout") return "stdout";
    if (kind == "file") return "file " + target.value("file", "");
    if (kind == "webhook") return "webhook " + target.value("url", "");
    if (kind == "email")
        return fmt::format("email to {} via {}",
                           fmt::join(target.value("to", std::vector<std::string>{}), ", "),
                           target.value("url", ""));
    auto env = target.value("secret_env", "");
    return env.empty() ? fmt::format("{} (file {})", kind, target.value("secret_file", ""))
                       : fmt::format("{} (${})", kind, env);
}

}  // namespace launchkit::notify

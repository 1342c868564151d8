#include "core/config_environments.h"

#include <algorithm>
#include <functional>
#include <set>

#include "core/yaml_reader.h"

namespace launchkit {

bool is_environment_name(const std::string& name) {
    // [A-Za-z0-9][A-Za-z0-9_.-]{0,62}: a name that is safe in a path, a journal and a URL.
    auto alphanumeric = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    auto allowed = [&](char c) { return alphanumeric(c) || c == '_' || c == '.' || c == '-'; };
    return !name.empty() && name.size() <= 63 && alphanumeric(name.front()) &&
           std::all_of(name.begin(), name.end(), allowed);
}

Result<std::map<std::string, EnvironmentConfig>> parse_environments_section(
    const YamlNode& node, const std::filesystem::path& source) {
    YamlReader reader(source.string());
    if (!node.is_map())
        return reader.invalid(node, "environments",
                              "expected {NAME: {requires: [...], approval: true|false}}");
    std::map<std::string, EnvironmentConfig> environments;
    std::map<std::string, YamlNode> nodes;
    for (const auto& entry : node.entries()) {
        auto name = entry.first.text();
        auto field = "environments." + name;
        if (!is_environment_name(name))
            return reader.invalid(entry.first, field,
                                  "expected a name of letters, digits, '-', '_' and '.'");
        EnvironmentConfig environment;
        environment.where = fmt::format("{}:{}", source.string(), entry.first.line());
        const auto& settings = entry.second;
        if (settings && !settings.is_null()) {
            if (!settings.is_map())
                return reader.invalid(
                    settings, field,
                    "expected {requires: [...], approval: ..., require_signed: ...}");
            LAUNCHKIT_TRY(reader.only_keys(settings, field + ".",
                                           {"requires", "approval", "require_signed"}));
            LAUNCHKIT_TRY_ASSIGN(environment.required_environments,
                                 reader.text_list(settings["requires"], field + ".requires"));
            if (settings["approval"]) {
                LAUNCHKIT_TRY_ASSIGN(environment.approval,
                                     reader.boolean(settings["approval"], field + ".approval"));
            }
            if (settings["require_signed"]) {
                LAUNCHKIT_TRY_ASSIGN(
                    environment.require_signed,
                    reader.boolean(settings["require_signed"], field + ".require_signed"));
            }
        }
        nodes[name] = entry.second;
        environments[name] = environment;
    }
    for (const auto& [name, environment] : environments)
        for (const auto& required : environment.required_environments)
            if (!environments.contains(required))
                return reader.invalid(
                    nodes[name]["requires"], "environments." + name + ".requires",
                    fmt::format("'{}' is not declared under environments:", required));
    // A promotion path that loops can never be satisfied.
    std::set<std::string> visiting;
    std::set<std::string> done;
    std::function<bool(const std::string&)> cyclic = [&](const std::string& name) {
        if (done.contains(name)) return false;
        if (!visiting.insert(name).second) return true;
        for (const auto& required : environments.at(name).required_environments)
            if (cyclic(required)) return true;
        visiting.erase(name);
        done.insert(name);
        return false;
    };
    for (const auto& [name, environment] : environments)
        if (cyclic(name))
            return reader.invalid(nodes[name], "environments." + name + ".requires",
                                  "the requirements form a cycle");
    return environments;
}

}  // namespace launchkit

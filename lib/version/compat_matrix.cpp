#include "version/compat_matrix.h"

#include "core/yaml_reader.h"
#include "util/file_io.h"

namespace launchkit::version {
namespace {

Result<CompatibilityRules> read_rules(const YamlReader& reader, const YAML::Node& node,
                                      const std::string& field) {
    CompatibilityRules rules;
    if (!node) return rules;
    if (!node.IsMap())
        return reader.invalid(node, field,
                              "expected {COMPONENT: RANGE}, e.g. {node-agent: 1.1.x - 1.2.x}");
    for (const auto& entry : node) {
        auto other = entry.first.as<std::string>();
        LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(entry.second, field + "." + other));
        auto range = parse_version_range(text);
        if (!range) return reader.invalid(entry.second, field + "." + other, range.error().message);
        rules[other] = *range;
    }
    return rules;
}

}  // namespace

const CompatibilityRules& MatrixComponent::rules_for(const SemVer& candidate) const {
    for (const auto& [release, rules] : releases)
        if (compare_precedence(release, candidate) == 0) return rules;
    return compatible;
}

const MatrixComponent* CompatibilityMatrix::find(const std::string& name) const {
    for (const auto& component : components)
        if (component.name == name) return &component;
    return nullptr;
}

Result<CompatibilityMatrix> load_compatibility_matrix(const std::filesystem::path& path) {
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
    YamlReader reader(path.string());
    LAUNCHKIT_TRY_ASSIGN(auto root, reader.load(text));
    if (!root.IsMap()) return reader.invalid(root, "", "expected a map with components:");
    LAUNCHKIT_TRY(reader.only_keys(root, "", {"components"}));
    const auto components = root["components"];
    if (!components || !components.IsMap() || components.size() == 0)
        return reader.invalid(components ? components : root, "components",
                              "expected {NAME: {version, compatible, releases, notes}}");
    CompatibilityMatrix matrix;
    matrix.source = path;
    for (const auto& entry : components) {
        MatrixComponent component;
        component.name = entry.first.as<std::string>();
        auto field = "components." + component.name;
        const auto& body = entry.second;
        if (!body.IsMap()) return reader.invalid(body, field, "expected {version: ...}");
        LAUNCHKIT_TRY(
            reader.only_keys(body, field + ".", {"version", "compatible", "releases", "notes"}));
        LAUNCHKIT_TRY_ASSIGN(component.version_text,
                             reader.text(body["version"], field + ".version"));
        auto version = parse_loose_version(component.version_text);
        if (!version)
            return reader.invalid(body["version"] ? body["version"] : body, field + ".version",
                                  version.error().message);
        component.version = *version;
        LAUNCHKIT_TRY_ASSIGN(component.compatible,
                             read_rules(reader, body["compatible"], field + ".compatible"));
        LAUNCHKIT_TRY_ASSIGN(component.notes, reader.text(body["notes"], field + ".notes"));
        if (const auto releases = body["releases"]) {
            if (!releases.IsMap())
                return reader.invalid(releases, field + ".releases",
                                      "expected {VERSION: {COMPONENT: RANGE}}");
            for (const auto& release : releases) {
                auto release_text = release.first.as<std::string>();
                auto release_version = parse_loose_version(release_text);
                if (!release_version)
                    return reader.invalid(release.first, field + ".releases." + release_text,
                                          release_version.error().message);
                LAUNCHKIT_TRY_ASSIGN(auto rules, read_rules(reader, release.second,
                                                            field + ".releases." + release_text));
                component.releases.emplace_back(*release_version, std::move(rules));
            }
        }
        matrix.components.push_back(std::move(component));
    }
    // Every component a rule names must be in the matrix, or the rule could never be checked.
    for (const auto& component : matrix.components) {
        std::vector<const CompatibilityRules*> all{&component.compatible};
        for (const auto& [unused, rules] : component.releases) all.push_back(&rules);
        for (const auto* rules : all)
            for (const auto& [other, range] : *rules)
                if (!matrix.find(other))
                    return fail(ExitCode::invalid_input,
                                "{}: components.{}: '{}' is not a component of the matrix",
                                path.string(), component.name, other);
    }
    return matrix;
}

std::vector<CompatibilityViolation> check_compatibility(const CompatibilityMatrix& matrix,
                                                        const FleetVersions& versions) {
    std::vector<CompatibilityViolation> violations;
    for (const auto& component : matrix.components) {
        const auto& version = versions.at(component.name);
        for (const auto& [other, range] : component.rules_for(version)) {
            const auto& found = versions.at(other);
            if (!range.contains(found))
                violations.push_back(
                    {component.name, version.to_string(), other, range.text, found.to_string()});
        }
    }
    return violations;
}

}  // namespace launchkit::version

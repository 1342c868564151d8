#include "version/compat_matrix.h"

#include "core/yaml_reader.h"
#include "util/file_io.h"

namespace launchkit::version {
namespace {

Result<CompatibilityRules> read_rules(const YamlReader& reader, const YamlNode& node,
                                      const std::string& field) {
    CompatibilityRules rules;
    if (!node) return rules;
    if (!node.is_map())
        return reader.invalid(node, field,
                              "expected {COMPONENT: RANGE}, e.g. {node-agent: 1.1.x - 1.2.x}");
    for (const auto& entry : node.entries()) {
        auto other = entry.first.text();
        LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(entry.second, field + "." + other));
        auto range = parse_version_range(text);
        if (!range) return reader.invalid(entry.second, field + "." + other, range.error().message);
        rules[other] = *range;
    }
    return rules;
}

}  // namespace

const CompatibilityRules& MatrixComponent::rules_for(const SemVer& candidate) const {
    // A patch release not listed behaves like its minor's listed release: the nearest at or below
    // it, else the nearest above it.
    const CompatibilityRules* below = nullptr;
    const CompatibilityRules* above = nullptr;
    std::optional<SemVer> below_version, above_version;
    for (const auto& [release, rules] : releases) {
        if (compare_precedence(release, candidate) == 0) return rules;
        if (release.major != candidate.major || release.minor != candidate.minor) continue;
        if (precedes(release, candidate)) {
            if (!below_version || precedes(*below_version, release)) {
                below_version = release;
                below = &rules;
            }
        } else if (!above_version || precedes(release, *above_version)) {
            above_version = release;
            above = &rules;
        }
    }
    if (below) return *below;
    if (above) return *above;
    return compatible;
}

std::string MatrixComponent::skipped(const SemVer& from, const SemVer& to) const {
    if (!no_skip || !precedes(from, to)) return "";
    for (const auto& [release, rules] : releases)
        if (precedes(from, release) && precedes(release, to) &&
            (release.major != to.major || release.minor != to.minor))
            return fmt::format("it skips {} (listed in the matrix); upgrade to {} first",
                               release.to_string(), release.to_string());
    bool next_minor = to.major == from.major && to.minor <= from.minor + 1;
    bool next_major = to.major == from.major + 1 && to.minor == 0;
    if (next_minor || next_major) return "";
    SemVer step = to.major == from.major ? SemVer{from.major, from.minor + 1, 0, {}, {}}
                                         : SemVer{from.major + 1, 0, 0, {}, {}};
    return fmt::format(
        "it skips versions (never skip versions: at most one minor or major at a "
        "time); upgrade to {}.{}.x first",
        step.major, step.minor);
}

const MatrixComponent* CompatibilityMatrix::find(const std::string& name) const {
    for (const auto& component : components)
        if (component.name == name) return &component;
    return nullptr;
}

Result<CompatibilityMatrix> load_compatibility_matrix(const std::filesystem::path& path) {
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
    return parse_compatibility_matrix(text, path);
}

Result<CompatibilityMatrix> parse_compatibility_matrix(std::string_view text,
                                                       const std::filesystem::path& path) {
    YamlReader reader(path.string());
    LAUNCHKIT_TRY_ASSIGN(auto root, reader.load(text));
    if (!root.is_map()) return reader.invalid(root, "", "expected a map with components:");
    LAUNCHKIT_TRY(reader.only_keys(root, "", {"components"}));
    const auto& components = root["components"];
    if (!components || !components.is_map() || components.size() == 0)
        return reader.invalid(components ? components : root, "components",
                              "expected {NAME: {version, compatible, releases, notes}}");
    CompatibilityMatrix matrix;
    matrix.source = path;
    for (const auto& entry : components.entries()) {
        MatrixComponent component;
        component.name = entry.first.text();
        auto field = "components." + component.name;
        const auto& body = entry.second;
        if (!body.is_map()) return reader.invalid(body, field, "expected {version: ...}");
        LAUNCHKIT_TRY(reader.only_keys(
            body, field + ".",
            {"version", "tag_prefix", "compatible", "releases", "no_skip", "notes"}));
        LAUNCHKIT_TRY_ASSIGN(component.version_text,
                             reader.text(body["version"], field + ".version"));
        LAUNCHKIT_TRY_ASSIGN(component.tag_prefix,
                             reader.text(body["tag_prefix"], field + ".tag_prefix"));
        if (!component.version_text.empty()) {
            auto version = parse_loose_version(component.version_text);
            if (!version)
                return reader.invalid(body["version"], field + ".version", version.error().message);
            component.version = *version;
        } else if (component.tag_prefix.empty()) {
            return reader.invalid(body, field,
                                  "expected version: (what runs now) or tag_prefix: (read what "
                                  "runs now from the release ledger)");
        }
        if (body["no_skip"]) {
            LAUNCHKIT_TRY_ASSIGN(component.no_skip,
                                 reader.boolean(body["no_skip"], field + ".no_skip"));
        }
        LAUNCHKIT_TRY_ASSIGN(component.compatible,
                             read_rules(reader, body["compatible"], field + ".compatible"));
        LAUNCHKIT_TRY_ASSIGN(component.notes, reader.text(body["notes"], field + ".notes"));
        if (const auto& releases = body["releases"]) {
            if (!releases.is_map())
                return reader.invalid(releases, field + ".releases",
                                      "expected {VERSION: {COMPONENT: RANGE}}");
            for (const auto& release : releases.entries()) {
                auto release_text = release.first.text();
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

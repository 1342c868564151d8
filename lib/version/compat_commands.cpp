#include "version/compat_commands.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/output.h"
#include "util/strings.h"
#include "version/compat_matrix.h"
#include "version/release_ledger.h"

namespace launchkit::version {
namespace {

struct PlannedUpgrade {
    std::string component;
    SemVer to;
};

Result<std::vector<PlannedUpgrade>> parse_upgrades(const CompatibilityMatrix& matrix,
                                                   const std::vector<std::string>& upgrades,
                                                   std::string_view option = "--upgrade") {
    std::vector<std::string> names;
    for (const auto& component : matrix.components) names.push_back(component.name);
    std::vector<PlannedUpgrade> planned;
    for (const auto& upgrade : upgrades) {
        // What is echoed back in an error: enough to recognise, never a flood.
        const auto shown = util::printable(upgrade, 80);
        auto equals = upgrade.find('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == upgrade.size())
            return fail(ExitCode::invalid_input,
                        "{} '{}': expected COMPONENT=VERSION, e.g. operator=1.3.0", option, shown);
        auto name = upgrade.substr(0, equals);
        if (!matrix.find(name)) {
            auto suggestion = util::closest_match(name, names);
            return fail(ExitCode::invalid_input, "{} {}: {} has no component '{}'{}", option, shown,
                        matrix.source.string(), util::printable(name, 80),
                        suggestion ? " (did you mean '" + *suggestion + "'?)" : "");
        }
        auto version = parse_loose_version(upgrade.substr(equals + 1));
        if (!version)
            return fail(ExitCode::invalid_input, "{} {}: {}", option, shown,
                        version.error().message);
        planned.push_back({name, *version});
    }
    return planned;
}

size_t pair_count(const CompatibilityMatrix& matrix, const FleetVersions& versions) {
    size_t count = 0;
    for (const auto& component : matrix.components)
        count += component.rules_for(versions.at(component.name)).size();
    return count;
}

nlohmann::json to_json(const FleetVersions& versions) {
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [name, version] : versions) json[name] = version.to_string();
    return json;
}

std::string describe(const CompatibilityViolation& violation) {
    return fmt::format("{} {} needs {} {}, found {}", violation.component, violation.version,
                       violation.needs, violation.range, violation.found);
}

struct CurrentVersions {
    FleetVersions versions;
    std::map<std::string, std::string> sources;  // "matrix", "ledger (production)", "--current"
};

Result<CurrentVersions> current_versions(const Context& context, const CompatibilityMatrix& matrix,
                                         const CompatCheckOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto given, parse_upgrades(matrix, options.current, "--current"));
    std::vector<LedgerEntry> entries;
    bool needs_ledger = std::any_of(matrix.components.begin(), matrix.components.end(),
                                    [](const MatrixComponent& c) { return !c.tag_prefix.empty(); });
    if (needs_ledger) {
        LAUNCHKIT_TRY_ASSIGN(auto ledger, ReleaseLedger::open(context));
        LAUNCHKIT_TRY_ASSIGN(entries, ledger.read());
    }
    CurrentVersions current;
    for (const auto& component : matrix.components) {
        auto overridden = std::find_if(given.begin(), given.end(), [&](const PlannedUpgrade& u) {
            return u.component == component.name;
        });
        if (overridden != given.end()) {
            current.versions[component.name] = overridden->to;
            current.sources[component.name] = "--current";
            continue;
        }
        if (!component.tag_prefix.empty()) {
            auto running = running_version(entries, component.tag_prefix, options.environment);
            if (!running.empty()) {
                LAUNCHKIT_TRY_ASSIGN(current.versions[component.name], parse_semver(running));
                current.sources[component.name] = fmt::format("ledger ({})", options.environment);
                continue;
            }
        }
        if (!component.version)
            return fail(ExitCode::invalid_input,
                        "{}: components.{}: no version: given and the ledger has no deploy of "
                        "{}* in {}; pass --current {}=VERSION",
                        matrix.source.string(), component.name, component.tag_prefix,
                        options.environment, component.name);
        current.versions[component.name] = *component.version;
        current.sources[component.name] = "matrix";
    }
    return current;
}

}  // namespace

Result<ExitCode> run_compat_check(Context& context, const CompatCheckOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto matrix, load_compatibility_matrix(options.matrix));
    LAUNCHKIT_TRY_ASSIGN(auto planned, parse_upgrades(matrix, options.upgrades));
    LAUNCHKIT_TRY_ASSIGN(auto current, current_versions(context, matrix, options));
    FleetVersions versions = current.versions;

    nlohmann::json states = nlohmann::json::array();
    Table table({"#", "STATE", "PAIRS", "RESULT"});
    bool all_ok = true;
    std::string first_break;
    auto record = [&](size_t step, const std::string& label, const nlohmann::json& upgrade,
                      const std::string& skip) {
        auto violations = check_compatibility(matrix, versions);
        nlohmann::json found = nlohmann::json::array();
        std::vector<std::string> problems;
        if (!skip.empty()) problems.push_back(skip);
        for (const auto& violation : violations) {
            found.push_back({{"component", violation.component},
                             {"version", violation.version},
                             {"needs", violation.needs},
                             {"range", violation.range},
                             {"found", violation.found}});
            problems.push_back(describe(violation));
        }
        bool ok = problems.empty();
        if (!ok && all_ok) {
            all_ok = false;
            first_break = fmt::format("{}: {}", label, problems.front());
        }
        std::string result = ok ? "ok"
                                : fmt::format("{}: {}", skip.empty() ? "BREAKS" : "REFUSED",
                                              fmt::join(problems, "; "));
        states.push_back({{"step", step},
                          {"upgrade", upgrade},
                          {"versions", to_json(versions)},
                          {"ok", ok},
                          {"skipped", string_or_null(skip)},
                          {"violations", found}});
        table.add_row({std::to_string(step), label, std::to_string(pair_count(matrix, versions)),
                       colorize(result, ok ? Color::green : Color::red, context.color)});
    };
    record(0, "now", nullptr, "");
    for (size_t i = 0; i < planned.size(); ++i) {
        const auto& upgrade = planned[i];
        auto from = versions[upgrade.component];
        versions[upgrade.component] = upgrade.to;
        record(
            i + 1,
            fmt::format("{} {} -> {}", upgrade.component, from.to_string(), upgrade.to.to_string()),
            {{"component", upgrade.component},
             {"from", from.to_string()},
             {"to", upgrade.to.to_string()}},
            matrix.find(upgrade.component)->skipped(from, upgrade.to));
    }

    if (context.json) {
        nlohmann::json now = nlohmann::json::object();
        for (const auto& [name, version] : current.versions)
            now[name] = {{"version", version.to_string()}, {"source", current.sources[name]}};
        print_json(*context.out, {{"matrix", options.matrix.string()},
                                  {"environment", options.environment},
                                  {"current", now},
                                  {"ok", all_ok},
                                  {"refused", string_or_null(first_break)},
                                  {"states", states}});
    } else {
        table.render(*context.out, context.color);
        if (all_ok)
            *context.out << (planned.empty() ? "every pair is compatible\n"
                                             : "every state of this upgrade order is compatible\n");
        else
            *context.out << "refused: " << first_break << '\n';
    }
    return all_ok ? ExitCode::ok : ExitCode::said_no;
}

}  // namespace launchkit::version

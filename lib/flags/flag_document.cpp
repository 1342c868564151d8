// Reading and writing the document `export` writes and `import` reads (launchkit-flags/1): every
// field validated, errors naming the source, line and field.
#include <set>

#include "core/yaml_reader.h"
#include "flags/flag_transfer.h"
#include "flags/names.h"
#include "flags/segment_repository.h"
#include "flags/unleash_format.h"
#include "util/time.h"

namespace launchkit::flags {
namespace {

// "source:line: field", as YamlReader names a field, for the readers that take JSON.
std::string where(const YamlReader& reader, const YamlNode& node, const std::string& field) {
    return node.line() == 0 ? fmt::format("{}: {}", reader.source(), field)
                            : fmt::format("{}:{}: {}", reader.source(), node.line(), field);
}

Result<Flag> parse_flag(const YamlReader& reader, const YamlNode& node, const std::string& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected a mapping with a name");
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".",
                                   {"name", "description", "owner", "expires", "group_id",
                                    "environments", "dependencies", "created_at", "created_by"}));
    Flag flag;
    if (!node["name"]) return reader.invalid(node, field + ".name", "missing");
    LAUNCHKIT_TRY_ASSIGN(flag.name, reader.text(node["name"], field + ".name"));
    if (auto valid = validate_name(flag.name, "flag name"); !valid)
        return reader.invalid(node["name"], field + ".name", valid.error().message);
    LAUNCHKIT_TRY_ASSIGN(flag.description,
                         reader.text(node["description"], field + ".description"));
    LAUNCHKIT_TRY_ASSIGN(flag.owner, reader.text(node["owner"], field + ".owner"));
    LAUNCHKIT_TRY_ASSIGN(flag.expires, reader.text(node["expires"], field + ".expires"));
    if (!flag.expires.empty() && !util::parse_date(flag.expires))
        return reader.invalid(node["expires"], field + ".expires",
                              fmt::format("'{}' is not a date YYYY-MM-DD (years {} to {})",
                                          flag.expires, util::min_year, util::max_year));
    LAUNCHKIT_TRY_ASSIGN(flag.group_id, reader.text(node["group_id"], field + ".group_id"));
    if (!flag.group_id.empty()) {
        if (auto valid = validate_group_id(flag.group_id); !valid)
            return reader.invalid(node["group_id"], field + ".group_id", valid.error().message);
    }
    if (const auto& dependencies = node["dependencies"]) {
        LAUNCHKIT_TRY_ASSIGN(
            flag.dependencies,
            dependencies_from_json(yaml_to_json(dependencies),
                                   where(reader, dependencies, field + ".dependencies")));
    }
    const auto& environments = node["environments"];
    if (!environments || environments.is_null()) return flag;
    if (!environments.is_map())
        return reader.invalid(environments, field + ".environments",
                              "expected a mapping of environment name to {enabled, rollout}");
    for (const auto& entry : environments.entries()) {
        auto name = entry.first.text();
        auto environment_field = fmt::format("{}.environments.{}", field, name);
        if (auto valid = validate_name(name, "environment"); !valid)
            return reader.invalid(entry.first, environment_field, valid.error().message);
        const auto& state = entry.second;
        if (!state.is_map())
            return reader.invalid(state, environment_field, "expected {enabled: true|false}");
        LAUNCHKIT_TRY(reader.only_keys(
            state, environment_field + ".",
            {"enabled", "rollout", "strategies", "variants", "updated_at", "updated_by"}));
        FlagEnvironment parsed;
        LAUNCHKIT_TRY_ASSIGN(parsed.enabled,
                             reader.boolean(state["enabled"] ? state["enabled"] : state,
                                            environment_field + ".enabled"));
        if (const auto& rollout = state["rollout"]) {
            LAUNCHKIT_TRY_ASSIGN(auto percent,
                                 reader.integer(rollout, environment_field + ".rollout", 0, 100));
            parsed.rollout = static_cast<int>(percent);
        }
        if (const auto& strategies = state["strategies"]) {
            auto at = where(reader, strategies, environment_field + ".strategies");
            auto list = yaml_to_json(strategies);
            if (!list.is_array() || list.size() > max_strategies)
                return reader.invalid(
                    strategies, environment_field + ".strategies",
                    fmt::format("expected a list of at most {} strategies", max_strategies));
            parsed.strategies.emplace();
            for (size_t i = 0; i < list.size(); ++i) {
                LAUNCHKIT_TRY_ASSIGN(auto strategy,
                                     strategy_from_json(list[i], fmt::format("{}[{}]", at, i)));
                parsed.strategies->push_back(std::move(strategy));
            }
            if (const auto* rollout = parsed.rollout_strategy())
                parsed.rollout = static_cast<int>(rollout->rollout);
        }
        if (const auto& variants = state["variants"]) {
            LAUNCHKIT_TRY_ASSIGN(
                parsed.variants,
                variants_from_json(yaml_to_json(variants),
                                   where(reader, variants, environment_field + ".variants")));
        }
        flag.environments[name] = parsed;
    }
    return flag;
}

}  // namespace

Result<FlagDocument> parse_flag_document(std::string_view text, std::string_view source) {
    YamlReader reader{std::string(source)};
    LAUNCHKIT_TRY_ASSIGN(YamlNode root, reader.load(text));
    if (!root.is_map()) return reader.invalid(root, "document", "expected a mapping with 'flags'");
    LAUNCHKIT_TRY(reader.only_keys(root, "", {"format", "exported_at", "flags", "segments"}));
    if (root["format"]) {
        LAUNCHKIT_TRY_ASSIGN(auto format, reader.text(root["format"], "format"));
        if (format != transfer_format)
            return reader.invalid(
                root["format"], "format",
                fmt::format("'{}' is not supported (expected '{}')", format, transfer_format));
    }
    const auto& list = root["flags"];
    if (!list || !(list.is_sequence() || list.is_null()))
        return reader.invalid(list ? list : root, "flags", "expected a list of flags");
    FlagDocument document;
    std::set<std::string> seen;
    for (size_t i = 0; i < list.size(); ++i) {
        auto field = fmt::format("flags[{}]", i);
        LAUNCHKIT_TRY_ASSIGN(Flag flag, parse_flag(reader, list[i], field));
        if (!seen.insert(flag.name).second)
            return reader.invalid(list[i], field + ".name",
                                  fmt::format("'{}' is listed twice", flag.name));
        document.flags.push_back(std::move(flag));
    }
    if (const auto& segments = root["segments"]) {
        if (!segments.is_sequence() || segments.size() > max_unleash_segments)
            return reader.invalid(segments, "segments", "expected a list of segments");
        std::set<std::string> names;
        for (size_t i = 0; i < segments.size(); ++i) {
            const auto& item = segments[i];
            auto field = fmt::format("segments[{}]", i);
            if (!item.is_map()) return reader.invalid(item, field, "expected {name, constraints}");
            LAUNCHKIT_TRY(
                reader.only_keys(item, field + ".", {"name", "description", "constraints"}));
            Segment segment;
            LAUNCHKIT_TRY_ASSIGN(segment.name, reader.text(item["name"], field + ".name"));
            if (auto valid = validate_name(segment.name, "segment name"); !valid)
                return reader.invalid(item["name"], field + ".name", valid.error().message);
            if (!names.insert(segment.name).second)
                return reader.invalid(item["name"], field + ".name",
                                      fmt::format("'{}' is listed twice", segment.name));
            LAUNCHKIT_TRY_ASSIGN(segment.description,
                                 reader.text(item["description"], field + ".description"));
            auto constraints = yaml_to_json(item["constraints"]);
            if (!constraints.is_array() || constraints.empty() ||
                constraints.size() > max_constraints)
                return reader.invalid(item, field + ".constraints",
                                      "expected a list of 1 to 100 constraints");
            for (size_t j = 0; j < constraints.size(); ++j) {
                LAUNCHKIT_TRY_ASSIGN(
                    auto constraint,
                    constraint_from_json(
                        constraints[j],
                        where(reader, item, fmt::format("{}.constraints[{}]", field, j))));
                segment.constraints.push_back(std::move(constraint));
            }
            document.segments.push_back(std::move(segment));
        }
    }
    return document;
}

nlohmann::ordered_json flag_document(const std::vector<Flag>& flags,
                                     const std::vector<Segment>& segments,
                                     const std::string& exported_at) {
    auto text_or_null = [](const std::string& text) {
        return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
    };
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& flag : flags) {
        nlohmann::ordered_json environments = nlohmann::ordered_json::object();
        for (const auto& [name, state] : flag.environments) {
            environments[name] = {{"enabled", state.enabled}, {"rollout", state.rollout}};
            if (state.strategies) {
                auto strategies = nlohmann::ordered_json::array();
                for (const auto& strategy : *state.strategies)
                    strategies.push_back(nlohmann::ordered_json(to_json(strategy)));
                environments[name]["strategies"] = std::move(strategies);
            }
            if (!state.variants.empty())
                environments[name]["variants"] = nlohmann::ordered_json(to_json(state.variants));
        }
        nlohmann::ordered_json item = {{"name", flag.name},
                                       {"description", flag.description},
                                       {"owner", flag.owner},
                                       {"expires", text_or_null(flag.expires)},
                                       {"group_id", text_or_null(flag.group_id)},
                                       {"environments", std::move(environments)}};
        if (!flag.dependencies.empty())
            item["dependencies"] = nlohmann::ordered_json(dependencies_to_json(flag.dependencies));
        list.push_back(std::move(item));
    }
    nlohmann::ordered_json document = {
        {"format", transfer_format}, {"exported_at", exported_at}, {"flags", std::move(list)}};
    if (!segments.empty()) {
        auto list_of_segments = nlohmann::ordered_json::array();
        for (const auto& segment : segments)
            list_of_segments.push_back(nlohmann::ordered_json(to_json(segment)));
        document["segments"] = std::move(list_of_segments);
    }
    return document;
}

}  // namespace launchkit::flags

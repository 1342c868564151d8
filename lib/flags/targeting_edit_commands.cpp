// Segments, variants and dependencies: the targeting edits beyond strategies.
#include <algorithm>

#include "core/output.h"
#include "flags/flag_repository.h"
#include "flags/names.h"
#include "flags/segment_repository.h"
#include "flags/targeting_commands.h"
#include "store/open_store.h"
#include "util/strings.h"

namespace launchkit::flags {

namespace {

std::string describe_constraints(const std::vector<Constraint>& constraints) {
    std::vector<std::string> texts;
    for (const auto& constraint : constraints) texts.push_back(describe(constraint));
    return texts.empty() ? "-" : fmt::format("{}", fmt::join(texts, "; "));
}

std::string weight_text(int weight) {
    return fmt::format("{:g}%", weight / 10.0);
}

// Sets an environment's variants, stamping who and when only when they change: adding a variant
// exactly as it is changes nothing, and is recorded as nothing.
void replace_variants(FlagEnvironment& state, std::vector<Variant> variants,
                      const store::ChangeNote& note) {
    if (to_json(state.variants) == to_json(variants)) return;
    state.variants = std::move(variants);
    state.updated_at = note.time;
    state.updated_by = note.actor;
}

nlohmann::json variants_view(const Flag& flag, const std::string& environment) {
    return {{"flag", flag.name},
            {"environment", environment},
            {"variants", to_json(flag.in(environment).variants)}};
}

}  // namespace

Result<ExitCode> run_segment_put(Context& context, const SegmentOptions& options, bool create) {
    LAUNCHKIT_TRY(validate_name(options.name, "segment name"));
    Segment segment{options.name, options.description, {}};
    if (options.constraints.empty())
        return fail(ExitCode::invalid_input,
                    "segment '{}' needs at least one --constraint (a segment without one matches "
                    "everyone)",
                    options.name);
    if (options.constraints.size() > max_constraints)
        return fail(ExitCode::invalid_input, "more than {} --constraint", max_constraints);
    for (const auto& text : options.constraints) {
        LAUNCHKIT_TRY_ASSIGN(auto constraint, parse_constraint_text(text));
        segment.constraints.push_back(std::move(constraint));
    }
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto existing = require_segment(*store, options.name);
    if (create && existing)
        return fail(ExitCode::invalid_input,
                    "segment '{}' already exists (change it with 'feature-flags segment set {}')",
                    options.name, options.name);
    if (!create && !existing) return std::unexpected(existing.error());
    if (!create && options.description.empty()) segment.description = existing->description;
    LAUNCHKIT_TRY_ASSIGN(bool changed,
                         put_segment(*store, segment, store::change_note(context, options.reason)));
    if (context.json) {
        auto json = to_json(segment);
        json["changed"] = changed;
        print_json(*context.out, json);
        return ExitCode::ok;
    }
    *context.out << fmt::format("{} segment '{}': {}\n",
                                !changed ? "unchanged"
                                : create ? "created"
                                         : "changed",
                                segment.name, describe_constraints(segment.constraints));
    return ExitCode::ok;
}

Result<ExitCode> run_segment_list(Context& context) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto segments, list_segments(*store));
    if (context.json) {
        auto list = nlohmann::json::array();
        for (const auto& segment : segments) list.push_back(to_json(segment));
        print_json(*context.out, {{"segments", std::move(list)}});
        return ExitCode::ok;
    }
    if (segments.empty()) {
        *context.out << "no segments yet (create one with 'feature-flags segment create NAME "
                        "--constraint ...')\n";
        return ExitCode::ok;
    }
    Table table({"NAME", "CONSTRAINTS", "DESCRIPTION"});
    for (const auto& segment : segments)
        table.add_row(
            {segment.name, describe_constraints(segment.constraints), segment.description});
    table.render(*context.out, context.color);
    return ExitCode::ok;
}

Result<ExitCode> run_segment_delete(Context& context, const SegmentOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(auto deleted, delete_segment(*store, options.name,
                                                      store::change_note(context, options.reason)));
    if (context.json)
        print_json(*context.out, {{"deleted", to_json(deleted)}});
    else
        *context.out << fmt::format("deleted segment '{}'\n", deleted.name);
    return ExitCode::ok;
}

Result<ExitCode> run_variant_add(Context& context, const VariantAddOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto environment,
                         resolve_environment(context, options.target.environment));
    nlohmann::json json = {{"name", options.variant},
                           {"weight", options.weight.value_or(0)},
                           {"weightType", options.weight ? "fix" : "variable"}};
    if (!options.stickiness.empty()) json["stickiness"] = options.stickiness;
    if (!options.payload_type.empty() || !options.payload.empty())
        json["payload"] = {{"type", options.payload_type.empty() ? "string" : options.payload_type},
                           {"value", options.payload}};
    if (!options.overrides.empty()) {
        auto overrides = nlohmann::json::array();
        for (const auto& text : options.overrides) {
            auto equals = text.find('=');
            if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
                return fail(ExitCode::invalid_input,
                            "--override '{}': expected FIELD=VALUE[,VALUE...] (e.g. userId=ana,bo)",
                            util::printable(text, 80));
            auto values = nlohmann::json::array();
            size_t start = equals + 1;
            while (start <= text.size()) {
                auto comma = text.find(',', start);
                if (comma == std::string::npos) comma = text.size();
                auto item = util::trim(std::string_view(text).substr(start, comma - start));
                if (!item.empty()) values.push_back(std::string(item));
                start = comma + 1;
            }
            overrides.push_back({{"contextName", text.substr(0, equals)}, {"values", values}});
        }
        json["overrides"] = std::move(overrides);
    }
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto note = store::change_note(context, options.target.reason);
    auto edit = [&](Flag& flag) -> Result<void> {
        auto& state = flag.environments[environment];
        auto variants = state.variants;
        auto existing = std::find_if(variants.begin(), variants.end(),
                                     [&](const Variant& v) { return v.name == options.variant; });
        auto list = to_json(variants);
        if (existing != variants.end())
            list[static_cast<size_t>(existing - variants.begin())] = json;
        else
            list.push_back(json);
        auto where = fmt::format("{} in {}: variants", flag.name, environment);
        // Weights are spread before they are checked: a new variable variant comes in at 0.
        for (auto& item : list)
            if (item.value("weightType", "variable") != "fix") item["weight"] = 1;
        LAUNCHKIT_TRY_ASSIGN(auto read, variants_from_json(list, where));
        LAUNCHKIT_TRY(spread_variant_weights(read, where));
        replace_variants(state, std::move(read), note);
        return {};
    };
    LAUNCHKIT_TRY_ASSIGN(auto change, modify_flag(*store, options.target.name, edit, note));
    if (context.json) {
        print_json(*context.out, variants_view(change.after, environment));
        return ExitCode::ok;
    }
    std::vector<std::string> shares;
    for (const auto& variant : change.after.in(environment).variants)
        shares.push_back(fmt::format("{} {}", variant.name, weight_text(variant.weight)));
    *context.out << fmt::format("{} in {}: variants {}\n", change.after.name, environment,
                                fmt::join(shares, ", "));
    return ExitCode::ok;
}

Result<ExitCode> run_variant_remove(Context& context, const VariantRemoveOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto environment,
                         resolve_environment(context, options.target.environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto note = store::change_note(context, options.target.reason);
    auto edit = [&](Flag& flag) -> Result<void> {
        auto& state = flag.environments[environment];
        auto found = std::find_if(state.variants.begin(), state.variants.end(),
                                  [&](const Variant& v) { return v.name == options.variant; });
        if (found == state.variants.end()) {
            std::vector<std::string> names;
            for (const auto& variant : state.variants) names.push_back(variant.name);
            return unknown_name(
                "variant", options.variant, names,
                fmt::format("{} has no such variant in {}", flag.name, environment));
        }
        auto remaining = state.variants;
        remaining.erase(remaining.begin() + (found - state.variants.begin()));
        LAUNCHKIT_TRY(spread_variant_weights(
            remaining, fmt::format("{} in {}: variants", flag.name, environment)));
        replace_variants(state, std::move(remaining), note);
        return {};
    };
    LAUNCHKIT_TRY_ASSIGN(auto change, modify_flag(*store, options.target.name, edit, note));
    if (context.json) {
        print_json(*context.out, variants_view(change.after, environment));
        return ExitCode::ok;
    }
    *context.out << fmt::format("{} in {}: removed variant '{}'\n", change.after.name, environment,
                                options.variant);
    return ExitCode::ok;
}

Result<ExitCode> run_variant_list(Context& context, const FlagTarget& target) {
    LAUNCHKIT_TRY_ASSIGN(auto environment, resolve_environment(context, target.environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(Flag flag, require_flag(*store, target.name));
    auto state = flag.in(environment);
    if (context.json) {
        print_json(*context.out, {{"flag", flag.name},
                                  {"environment", environment},
                                  {"variants", to_json(state.variants)}});
        return ExitCode::ok;
    }
    if (state.variants.empty()) {
        *context.out << fmt::format("{} in {}: no variants\n", flag.name, environment);
        return ExitCode::ok;
    }
    Table table({"VARIANT", "WEIGHT", "STICKINESS", "PAYLOAD", "OVERRIDES"});
    for (const auto& variant : state.variants) {
        std::vector<std::string> overrides;
        for (const auto& entry : variant.overrides)
            overrides.push_back(
                fmt::format("{}={}", entry.context_name, fmt::join(entry.values, ",")));
        table.add_row({variant.name,
                       weight_text(variant.weight) + (variant.fixed_weight ? " (fixed)" : ""),
                       variant.stickiness.empty() ? "default" : variant.stickiness,
                       variant.payload ? fmt::format("{}: {}", variant.payload->type,
                                                     util::printable(variant.payload->value, 40))
                                       : "-",
                       overrides.empty() ? "-" : fmt::format("{}", fmt::join(overrides, "; "))});
    }
    table.render(*context.out, context.color);
    return ExitCode::ok;
}

Result<ExitCode> run_dependency_add(Context& context, const DependencyOptions& options) {
    if (options.parent_off && !options.variants.empty())
        return fail(ExitCode::invalid_input,
                    "--parent-off and --variant do not go together: a parent that is off has no "
                    "variant");
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(Flag parent, require_flag(*store, options.parent));
    if (options.parent == options.name)
        return fail(ExitCode::invalid_input, "a flag cannot depend on itself");
    // Unleash evaluates one level: a parent that depends on another would never let the child on.
    if (!parent.dependencies.empty())
        return fail(ExitCode::invalid_input,
                    "'{}' depends on '{}' itself; a parent must not have parents of its own",
                    parent.name, parent.dependencies.front().feature);
    LAUNCHKIT_TRY_ASSIGN(auto flags, list_flags(*store));
    for (const auto& flag : flags)
        for (const auto& dependency : flag.dependencies)
            if (dependency.feature == options.name)
                return fail(ExitCode::invalid_input,
                            "'{}' is a parent of '{}'; a flag with children cannot depend on "
                            "another",
                            options.name, flag.name);
    auto note = store::change_note(context, options.reason);
    auto edit = [&](Flag& flag) -> Result<void> {
        FlagDependency dependency{options.parent, !options.parent_off, options.variants};
        auto existing =
            std::find_if(flag.dependencies.begin(), flag.dependencies.end(),
                         [&](const FlagDependency& d) { return d.feature == options.parent; });
        if (existing != flag.dependencies.end())
            *existing = dependency;
        else
            flag.dependencies.push_back(dependency);
        return {};
    };
    LAUNCHKIT_TRY_ASSIGN(auto change, modify_flag(*store, options.name, edit, note));
    if (context.json) {
        print_json(*context.out, {{"flag", change.after.name},
                                  {"dependencies", dependencies_to_json(change.after.dependencies)},
                                  {"changed", change.changed}});
        return ExitCode::ok;
    }
    *context.out << fmt::format(
        "{} is on only while {} is {}\n", change.after.name, options.parent,
        options.parent_off ? "off"
        : options.variants.empty()
            ? "on"
            : fmt::format("on with variant {}", fmt::join(options.variants, " or ")));
    return ExitCode::ok;
}

Result<ExitCode> run_dependency_remove(Context& context, const DependencyOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto note = store::change_note(context, options.reason);
    auto edit = [&](Flag& flag) -> Result<void> {
        auto found =
            std::find_if(flag.dependencies.begin(), flag.dependencies.end(),
                         [&](const FlagDependency& d) { return d.feature == options.parent; });
        if (found == flag.dependencies.end())
            return fail(ExitCode::invalid_input, "{} does not depend on {}", flag.name,
                        options.parent);
        flag.dependencies.erase(found);
        return {};
    };
    LAUNCHKIT_TRY_ASSIGN(auto change, modify_flag(*store, options.name, edit, note));
    if (context.json)
        print_json(*context.out,
                   {{"flag", change.after.name},
                    {"dependencies", dependencies_to_json(change.after.dependencies)}});
    else
        *context.out << fmt::format("{} no longer depends on {}\n", change.after.name,
                                    options.parent);
    return ExitCode::ok;
}

}  // namespace launchkit::flags

#include "flags/targeting_commands.h"

#include "core/output.h"
#include "flags/bucketing.h"
#include "flags/flag_repository.h"
#include "flags/flag_view.h"
#include "flags/segment_repository.h"
#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/progress_meter.h"
#include "util/strings.h"

namespace launchkit::flags {

namespace {

// A context file is a handful of fields; anything near this is not one.
constexpr size_t max_context_file_bytes = 1024 * 1024;

Result<EvaluationContext> read_context(const EvalFlagOptions& options,
                                       const std::string& environment) {
    EvaluationContext context;
    if (!options.context_file.empty()) {
        std::filesystem::path path(options.context_file);
        std::error_code error;
        auto size = std::filesystem::file_size(path, error);
        if (error)
            return fail(ExitCode::invalid_input, "--context-file '{}': {}", options.context_file,
                        error.message());
        if (size > max_context_file_bytes)
            return fail(ExitCode::invalid_input, "--context-file '{}': {}, more than {}",
                        options.context_file, util::format_bytes(size),
                        util::format_bytes(max_context_file_bytes));
        LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
        auto json = util::parse_json(text, ExitCode::invalid_input);
        if (!json)
            return fail(ExitCode::invalid_input, "--context-file '{}': {}", options.context_file,
                        json.error().message);
        LAUNCHKIT_TRY_ASSIGN(context, context_from_json(*json, options.context_file));
    }
    LAUNCHKIT_TRY_ASSIGN(auto pairs, context_from_pairs(options.context));
    for (const auto& [name, value] : pairs.standard_fields()) context.set(name, value);
    for (const auto& [name, value] : pairs.properties()) context.set_property(name, value);
    if (!options.subject.empty()) context.set("userId", options.subject);
    // The environment asked about is the context's, unless the caller says otherwise.
    if (!context.standard("environment")) context.set("environment", environment);
    return context;
}

nlohmann::json payload_json(const std::optional<VariantPayload>& payload) {
    if (!payload) return nullptr;
    return {{"type", payload->type}, {"value", payload->value}};
}

bool is_list_operator(ConstraintOperator op) {
    return !takes_single_value(op);
}

// "strategy 2" as the user numbers them, for messages.
std::string position_text(size_t index) {
    return fmt::format("strategy {}", index + 1);
}

}  // namespace

Result<Constraint> parse_constraint_text(std::string_view text) {
    auto where = fmt::format("--constraint '{}'", util::printable(text, 120));
    auto rest = util::trim(text);
    auto next_word = [&rest]() {
        rest = util::trim(rest);
        auto end = rest.find_first_of(" \t");
        auto word = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
        return word;
    };
    bool inverted = false;
    auto field = next_word();
    if (field == "not" || field == "NOT") {
        inverted = true;
        field = next_word();
    }
    auto op_text = next_word();
    bool case_insensitive = false;
    if (op_text.ends_with("/i")) {
        case_insensitive = true;
        op_text.remove_suffix(2);
    }
    auto value = std::string(util::trim(rest));
    auto op = parse_operator(op_text);
    if (field.empty() || op_text.empty() || !op)
        return fail(ExitCode::invalid_input,
                    "{}: expected '[not] FIELD OPERATOR VALUE', e.g. 'region IN eu,us' or "
                    "'appVersion SEMVER_GTE 2.3.0'{}",
                    where,
                    op_text.empty() || op
                        ? std::string()
                        : fmt::format(" ('{}' is no operator)", util::printable(op_text, 40)));
    nlohmann::json json = {{"contextName", field},
                           {"operator", op_text},
                           {"inverted", inverted},
                           {"caseInsensitive", case_insensitive}};
    if (is_list_operator(*op)) {
        auto values = nlohmann::json::array();
        size_t start = 0;
        while (start <= value.size()) {
            auto comma = value.find(',', start);
            if (comma == std::string::npos) comma = value.size();
            auto item = util::trim(std::string_view(value).substr(start, comma - start));
            if (!item.empty()) values.push_back(std::string(item));
            start = comma + 1;
        }
        if (values.empty())
            return fail(ExitCode::invalid_input, "{}: {} needs at least one value", where,
                        operator_name(*op));
        json["values"] = std::move(values);
    } else {
        if (value.empty())
            return fail(ExitCode::invalid_input, "{}: {} needs a value", where, operator_name(*op));
        json["value"] = value;
    }
    return constraint_from_json(json, where);
}

Result<ExitCode> run_eval(Context& context, const EvalFlagOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto environment,
                         resolve_environment(context, options.target.environment));
    LAUNCHKIT_TRY_ASSIGN(auto evaluation_context, read_context(options, environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(Flag flag, require_flag(*store, options.target.name));
    LAUNCHKIT_TRY_ASSIGN(auto set, load_targeting(*store, environment));
    auto result = evaluate_flag(set, flag.name, evaluation_context, true);
    if (context.json) {
        auto view = flag_view(flag, environment);
        view["on"] = result.enabled;
        view["variant"] = {{"name", result.variant},
                           {"enabled", result.variant_enabled},
                           {"payload", payload_json(result.payload)}};
        view["strategy"] =
            result.strategy ? nlohmann::json(*result.strategy + 1) : nlohmann::json(nullptr);
        view["reasons"] = result.reasons;
        view["context"] = to_json(evaluation_context);
        if (!options.subject.empty()) {
            view["subject"] = options.subject;
            view["bucket"] = rollout_bucket(flag.rollout_group(), options.subject);
        }
        print_json(*context.out, view);
    } else {
        std::string variant;
        if (result.variant_enabled)
            variant = result.payload ? fmt::format(", variant '{}' ({} payload {})", result.variant,
                                                   result.payload->type,
                                                   util::printable(result.payload->value, 80))
                                     : fmt::format(", variant '{}'", result.variant);
        *context.out << fmt::format(
            "{} in {}: {}{}\n", flag.name, environment,
            colorize(result.enabled ? "on" : "off", result.enabled ? Color::green : Color::red,
                     context.color),
            variant);
        for (const auto& reason : result.reasons) *context.out << "  " << reason << '\n';
    }
    return result.enabled ? ExitCode::ok : ExitCode::said_no;
}

Result<ExitCode> run_strategy_add(Context& context, const StrategyAddOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto environment,
                         resolve_environment(context, options.target.environment));
    auto kind = parse_strategy_name(options.strategy);
    if (!kind)
        return fail(ExitCode::invalid_input,
                    "--strategy '{}': unknown strategy (expected default, flexibleRollout, "
                    "userWithId, remoteAddress or applicationHostname)",
                    util::printable(options.strategy, 80));
    auto refuse_option = [&](bool given, const char* option, const char* belongs) -> Result<void> {
        if (given)
            return fail(ExitCode::invalid_input, "{} belongs to {}, not {}", option, belongs,
                        options.strategy);
        return {};
    };
    bool rollout_kind = *kind == StrategyKind::flexible_rollout;
    LAUNCHKIT_TRY(refuse_option(options.rollout && !rollout_kind, "--rollout", "flexibleRollout"));
    LAUNCHKIT_TRY(
        refuse_option(options.stickiness && !rollout_kind, "--stickiness", "flexibleRollout"));
    LAUNCHKIT_TRY(refuse_option(options.user_ids && *kind != StrategyKind::user_with_id,
                                "--user-ids", "userWithId"));
    LAUNCHKIT_TRY(refuse_option(options.addresses && *kind != StrategyKind::remote_address, "--ips",
                                "remoteAddress"));
    LAUNCHKIT_TRY(refuse_option(options.host_names && *kind != StrategyKind::application_hostname,
                                "--host-names", "applicationHostname"));
    auto required = [&](const std::optional<std::string>& value, const char* option) {
        return value && !util::trim(*value).empty()
                   ? Result<void>{}
                   : Result<void>(
                         fail(ExitCode::invalid_input, "{} needs {}", options.strategy, option));
    };
    if (*kind == StrategyKind::user_with_id)
        LAUNCHKIT_TRY(required(options.user_ids, "--user-ids"));
    if (*kind == StrategyKind::remote_address) LAUNCHKIT_TRY(required(options.addresses, "--ips"));
    if (*kind == StrategyKind::application_hostname)
        LAUNCHKIT_TRY(required(options.host_names, "--host-names"));

    nlohmann::json json = {{"name", options.strategy}, {"parameters", nlohmann::json::object()}};
    auto& parameters = json["parameters"];
    if (rollout_kind) {
        parameters["rollout"] = options.rollout.value_or("100");
        parameters["stickiness"] = options.stickiness.value_or("default");
    }
    if (options.user_ids) parameters["userIds"] = *options.user_ids;
    if (options.addresses) parameters["IPs"] = *options.addresses;
    if (options.host_names) parameters["hostNames"] = *options.host_names;
    if (!options.title.empty()) json["title"] = options.title;
    auto constraints = nlohmann::json::array();
    for (const auto& text : options.constraints) {
        LAUNCHKIT_TRY_ASSIGN(auto constraint, parse_constraint_text(text));
        constraints.push_back(to_json(constraint));
    }
    json["constraints"] = std::move(constraints);
    if (!options.segments.empty()) json["segments"] = options.segments;

    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(Flag current, require_flag(*store, options.target.name));
    if (rollout_kind) parameters["groupId"] = options.group_id.value_or(current.rollout_group());
    auto where = fmt::format("{} in {}: new strategy", current.name, environment);
    LAUNCHKIT_TRY_ASSIGN(auto strategy, strategy_from_json(json, where));
    LAUNCHKIT_TRY(check_segments_exist(*store, {strategy}, where));

    auto note = store::change_note(context, options.target.reason);
    bool replaced_rollout = false;
    auto edit = [&](Flag& flag) -> Result<void> {
        auto& state = flag.environments[environment];
        if (!state.strategies) {
            // The rollout the environment had becomes the strategy it always was, unless it was
            // 100 %: on for everyone, which a narrower strategy is added to replace.
            state.strategies.emplace();
            if (state.rollout < 100)
                state.strategies->push_back(
                    rollout_as_strategy(state.rollout, flag.rollout_group()));
            else
                replaced_rollout = true;
        }
        if (state.strategies->size() >= max_strategies)
            return fail(ExitCode::invalid_input,
                        "{} in {} has {} strategies already, the most "
                        "it may have",
                        flag.name, environment, max_strategies);
        state.strategies->push_back(strategy);
        if (const auto* rollout = state.rollout_strategy())
            state.rollout = static_cast<int>(rollout->rollout);
        state.updated_at = note.time;
        state.updated_by = note.actor;
        return {};
    };
    LAUNCHKIT_TRY_ASSIGN(auto change, modify_flag(*store, options.target.name, edit, note));
    auto after = change.after.in(environment);
    if (context.json) {
        print_json(*context.out, {{"flag", change.after.name},
                                  {"environment", environment},
                                  {"position", after.strategies->size()},
                                  {"strategy", to_json(strategy)}});
        return ExitCode::ok;
    }
    *context.out << fmt::format("{} in {}: added strategy {}: {}\n", change.after.name, environment,
                                after.strategies->size(), describe(strategy));
    if (replaced_rollout)
        *context.err << fmt::format(
            "note: {} in {} now targets by strategies; its 100% rollout (everyone) no longer "
            "applies\n",
            change.after.name, environment);
    if (!after.enabled)
        *context.err << fmt::format("note: {} is off in {}; enable it for strategies to apply\n",
                                    change.after.name, environment);
    return ExitCode::ok;
}

Result<ExitCode> run_strategy_list(Context& context, const FlagTarget& target) {
    LAUNCHKIT_TRY_ASSIGN(auto environment, resolve_environment(context, target.environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    LAUNCHKIT_TRY_ASSIGN(Flag flag, require_flag(*store, target.name));
    auto state = flag.in(environment);
    auto targeting = targeting_of(flag, environment);
    if (context.json) {
        auto strategies = nlohmann::json::array();
        for (const auto& strategy : targeting.strategies) strategies.push_back(to_json(strategy));
        print_json(*context.out, {{"flag", flag.name},
                                  {"environment", environment},
                                  {"enabled", state.enabled},
                                  {"explicit", state.strategies.has_value()},
                                  {"strategies", std::move(strategies)}});
        return ExitCode::ok;
    }
    if (state.strategies && state.strategies->empty()) {
        *context.out << fmt::format("{} in {}: no strategies: on for everyone while enabled\n",
                                    flag.name, environment);
        return ExitCode::ok;
    }
    Table table({"#", "STRATEGY", "CONSTRAINTS", "SEGMENTS", "VARIANTS"});
    for (size_t i = 0; i < targeting.strategies.size(); ++i) {
        const auto& strategy = targeting.strategies[i];
        std::vector<std::string> constraints;
        for (const auto& constraint : strategy.constraints)
            constraints.push_back(describe(constraint));
        std::vector<std::string> variants;
        for (const auto& variant : strategy.variants) variants.push_back(variant.name);
        auto shown = describe(strategy);
        if (!state.strategies) shown += " (the flag's rollout)";
        table.add_row({std::to_string(i + 1), shown,
                       constraints.empty() ? "-" : fmt::format("{}", fmt::join(constraints, "; ")),
                       strategy.segments.empty()
                           ? "-"
                           : fmt::format("{}", fmt::join(strategy.segments, ", ")),
                       variants.empty() ? "-" : fmt::format("{}", fmt::join(variants, ", "))});
    }
    table.render(*context.out, context.color);
    return ExitCode::ok;
}

Result<ExitCode> run_strategy_remove(Context& context, const StrategyRemoveOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto environment,
                         resolve_environment(context, options.target.environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    auto note = store::change_note(context, options.target.reason);
    Strategy removed;
    auto edit = [&](Flag& flag) -> Result<void> {
        auto& state = flag.environments[environment];
        if (!state.strategies)
            return fail(ExitCode::invalid_input,
                        "{} in {} targets by its rollout alone; change it with 'feature-flags set "
                        "{} --rollout N'",
                        flag.name, environment, flag.name);
        auto& strategies = *state.strategies;
        if (options.position < 1 || static_cast<size_t>(options.position) > strategies.size())
            return fail(ExitCode::invalid_input,
                        "{} in {} has {} strateg{}; there is no {} (see 'feature-flags strategy "
                        "list {} --env {}')",
                        flag.name, environment, strategies.size(),
                        strategies.size() == 1 ? "y" : "ies",
                        position_text(static_cast<size_t>(std::max(options.position, 1)) - 1),
                        flag.name, environment);
        // Unleash reads an empty list as "on for everyone": a removal must not widen a flag.
        if (strategies.size() == 1)
            return fail(ExitCode::invalid_input,
                        "removing the last strategy would turn {} on for everyone in {}; add "
                        "another first, or disable the flag",
                        flag.name, environment);
        removed = strategies[static_cast<size_t>(options.position) - 1];
        strategies.erase(strategies.begin() + (options.position - 1));
        if (const auto* rollout = state.rollout_strategy())
            state.rollout = static_cast<int>(rollout->rollout);
        state.updated_at = note.time;
        state.updated_by = note.actor;
        return {};
    };
    LAUNCHKIT_TRY_ASSIGN(auto change, modify_flag(*store, options.target.name, edit, note));
    if (context.json) {
        print_json(*context.out, {{"flag", change.after.name},
                                  {"environment", environment},
                                  {"removed", to_json(removed)},
                                  {"position", options.position}});
        return ExitCode::ok;
    }
    *context.out << fmt::format("{} in {}: removed strategy {}: {}\n", change.after.name,
                                environment, options.position, describe(removed));
    return ExitCode::ok;
}

}  // namespace launchkit::flags

#include "flags/strategy.h"

#include <unistd.h>

#include <array>
#include <climits>
#include <random>

#include "flags/bucketing.h"
#include "util/strings.h"

namespace launchkit::flags {

namespace {

constexpr std::array<std::pair<StrategyKind, std::string_view>, 8> strategy_names = {{
    {StrategyKind::standard, "default"},
    {StrategyKind::flexible_rollout, "flexibleRollout"},
    {StrategyKind::user_with_id, "userWithId"},
    {StrategyKind::remote_address, "remoteAddress"},
    {StrategyKind::application_hostname, "applicationHostname"},
    {StrategyKind::gradual_rollout_user_id, "gradualRolloutUserId"},
    {StrategyKind::gradual_rollout_session_id, "gradualRolloutSessionId"},
    {StrategyKind::gradual_rollout_random, "gradualRolloutRandom"},
}};

// Keys Unleash's exports carry on a strategy that say where it lives, not what it does.
bool is_unleash_bookkeeping(std::string_view key) {
    return key == "id" || key == "sortOrder" || key == "featureName" || key == "environment" ||
           key == "projectId";
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        auto item = util::trim(text.substr(start, comma - start));
        if (!item.empty()) items.emplace_back(item);
        start = comma + 1;
    }
    return items;
}

std::optional<std::string> parameter_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number() || value.is_boolean()) return value.dump();
    return std::nullopt;
}

int random_percent() {
    thread_local std::mt19937 generator{std::random_device{}()};
    return std::uniform_int_distribution<int>(1, 100)(generator);
}

std::string random_rollout_subject() {
    thread_local std::mt19937 generator{std::random_device{}()};
    return std::to_string(std::uniform_int_distribution<int>(1, 10001)(generator));
}

const std::string& this_host() {
    static const std::string host = [] {
        if (const char* variable = std::getenv("HOSTNAME"); variable && *variable)
            return util::to_lower(variable);
        std::array<char, HOST_NAME_MAX + 1> buffer{};
        if (gethostname(buffer.data(), buffer.size() - 1) != 0) return std::string();
        return util::to_lower(buffer.data());
    }();
    return host;
}

Result<void> read_percentage(Strategy& strategy, std::string_view key, std::string_view where) {
    auto found = strategy.parameters.find(std::string(key));
    if (found == strategy.parameters.end())
        return fail(ExitCode::invalid_input,
                    "{}.parameters.{}: {} needs a percentage from 0 to "
                    "100",
                    where, key, strategy_name(strategy.kind));
    auto number = javascript_number(found->second);
    if (!number || *number < 0 || *number > 100)
        return fail(ExitCode::invalid_input,
                    "{}.parameters.{}: expected a percentage from 0 to 100, got '{}'", where, key,
                    util::printable(found->second, 40));
    strategy.rollout = *number;
    return {};
}

std::string parameter(const Strategy& strategy, const char* key) {
    auto found = strategy.parameters.find(key);
    return found == strategy.parameters.end() ? std::string() : found->second;
}

}  // namespace

std::string_view strategy_name(StrategyKind kind) {
    for (const auto& [known, name] : strategy_names)
        if (known == kind) return name;
    return "?";
}

std::optional<StrategyKind> parse_strategy_name(std::string_view name) {
    for (const auto& [kind, known] : strategy_names)
        if (known == name) return kind;
    return std::nullopt;
}

Result<Strategy> strategy_from_json(const nlohmann::json& json, std::string_view where) {
    if (!json.is_object())
        return fail(ExitCode::invalid_input, "{}: a strategy is an object with a name", where);
    for (const auto& [key, unused] : json.items())
        if (key != "name" && key != "parameters" && key != "constraints" && key != "segments" &&
            key != "variants" && key != "title" && key != "disabled" &&
            !is_unleash_bookkeeping(key))
            return fail(ExitCode::invalid_input,
                        "{}: unknown key '{}' (expected name, parameters, constraints, segments, "
                        "variants, title, disabled)",
                        where, util::printable(key, 80));
    Strategy strategy;
    auto name = json.find("name");
    std::optional<StrategyKind> kind;
    if (name != json.end() && name->is_string())
        kind = parse_strategy_name(name->get<std::string>());
    if (!kind)
        return fail(ExitCode::invalid_input,
                    "{}.name: {} (expected default, flexibleRollout, userWithId, remoteAddress, "
                    "applicationHostname, gradualRolloutUserId, gradualRolloutSessionId or "
                    "gradualRolloutRandom)",
                    where,
                    name != json.end() && name->is_string()
                        ? fmt::format("unknown strategy '{}'",
                                      util::printable(name->get<std::string>(), 80))
                        : std::string("missing"));
    strategy.kind = *kind;
    if (auto title = json.find("title"); title != json.end() && !title->is_null()) {
        if (!title->is_string() || title->get<std::string>().size() > 256)
            return fail(ExitCode::invalid_input, "{}.title: expected a short text", where);
        strategy.title = title->get<std::string>();
    }
    if (auto disabled = json.find("disabled"); disabled != json.end() && !disabled->is_null()) {
        if (!disabled->is_boolean())
            return fail(ExitCode::invalid_input, "{}.disabled: expected true or false", where);
        strategy.disabled = disabled->get<bool>();
    }
    if (auto parameters = json.find("parameters");
        parameters != json.end() && !parameters->is_null()) {
        if (!parameters->is_object() || parameters->size() > 100)
            return fail(ExitCode::invalid_input,
                        "{}.parameters: expected an object of name to text", where);
        for (const auto& [key, value] : parameters->items()) {
            auto text = parameter_text(value);
            if (!text || text->size() > 1024 * 1024)
                return fail(ExitCode::invalid_input, "{}.parameters.{}: expected text", where,
                            util::printable(key, 80));
            strategy.parameters[key] = std::move(*text);
        }
    }
    if (auto constraints = json.find("constraints");
        constraints != json.end() && !constraints->is_null()) {
        if (!constraints->is_array() || constraints->size() > max_constraints)
            return fail(ExitCode::invalid_input,
                        "{}.constraints: expected a list of at most {} constraints", where,
                        max_constraints);
        for (size_t i = 0; i < constraints->size(); ++i) {
            LAUNCHKIT_TRY_ASSIGN(auto constraint,
                                 constraint_from_json((*constraints)[i],
                                                      fmt::format("{}.constraints[{}]", where, i)));
            strategy.constraints.push_back(std::move(constraint));
        }
    }
    if (auto segments = json.find("segments"); segments != json.end() && !segments->is_null()) {
        if (!segments->is_array() || segments->size() > max_constraints)
            return fail(ExitCode::invalid_input, "{}.segments: expected a list of segment names",
                        where);
        for (size_t i = 0; i < segments->size(); ++i) {
            auto text = parameter_text((*segments)[i]);
            if (!text || text->empty())
                return fail(ExitCode::invalid_input, "{}.segments[{}]: expected a segment name",
                            where, i);
            strategy.segments.push_back(std::move(*text));
        }
    }
    if (auto variants = json.find("variants"); variants != json.end()) {
        LAUNCHKIT_TRY_ASSIGN(strategy.variants,
                             variants_from_json(*variants, fmt::format("{}.variants", where)));
    }

    auto stickiness = parameter(strategy, "stickiness");
    if (!stickiness.empty()) strategy.stickiness = stickiness;
    strategy.group_id = parameter(strategy, "groupId");
    switch (strategy.kind) {
        case StrategyKind::flexible_rollout:
            LAUNCHKIT_TRY(read_percentage(strategy, "rollout", where));
            break;
        case StrategyKind::gradual_rollout_user_id:
        case StrategyKind::gradual_rollout_session_id:
        case StrategyKind::gradual_rollout_random:
            LAUNCHKIT_TRY(read_percentage(strategy, "percentage", where));
            break;
        case StrategyKind::user_with_id:
            strategy.listed = split_list(parameter(strategy, "userIds"));
            break;
        case StrategyKind::application_hostname:
            strategy.listed = split_list(util::to_lower(parameter(strategy, "hostNames")));
            break;
        case StrategyKind::remote_address:
            strategy.addresses = split_list(parameter(strategy, "IPs"));
            for (const auto& address : strategy.addresses) {
                auto range = util::parse_ip_range(address);
                if (!range)
                    return fail(
                        ExitCode::invalid_input,
                        "{}.parameters.IPs: '{}' is not an IP address or a CIDR range (such "
                        "as 10.0.0.0/8)",
                        where, util::printable(address, 80));
                strategy.address_ranges.push_back(*range);
            }
            break;
        case StrategyKind::standard:
            break;
    }
    if (strategy.listed.size() > max_list_parameter_items ||
        strategy.addresses.size() > max_list_parameter_items)
        return fail(ExitCode::invalid_input, "{}.parameters: more than {} items in a list", where,
                    max_list_parameter_items);
    return strategy;
}

nlohmann::json to_json(const Strategy& strategy) {
    nlohmann::json json = {{"name", strategy_name(strategy.kind)},
                           {"parameters", nlohmann::json::object()}};
    for (const auto& [key, value] : strategy.parameters) json["parameters"][key] = value;
    if (!strategy.title.empty()) json["title"] = strategy.title;
    if (strategy.disabled) json["disabled"] = true;
    auto constraints = nlohmann::json::array();
    for (const auto& constraint : strategy.constraints) constraints.push_back(to_json(constraint));
    json["constraints"] = std::move(constraints);
    if (!strategy.segments.empty()) json["segments"] = strategy.segments;
    if (!strategy.variants.empty()) json["variants"] = to_json(strategy.variants);
    return json;
}

namespace {

// Why a constraint failed, with the value it saw.
std::string constraint_failure(const std::string& label, const Constraint& constraint,
                               const EvaluationContext& context) {
    auto value = context.value(constraint.context_name);
    return fmt::format("{} '{}' is false ({} {})", label, describe(constraint),
                       constraint.context_name,
                       value ? fmt::format("is '{}'", util::printable(*value, 60))
                             : std::string("is not in the context"));
}

StrategyOutcome rollout_outcome(double rollout, std::string_view group,
                                std::optional<std::string_view> subject, std::string_view field,
                                bool explain) {
    if (!subject || subject->empty())
        return {false, explain ? fmt::format("no {} in the context to place in the rollout", field)
                               : std::string()};
    int bucket = rollout_bucket(group, *subject);
    bool enabled = rollout > 0 && bucket <= rollout;
    if (!explain) return {enabled, {}};
    return {enabled, fmt::format("{} '{}' is in bucket {} of 100, {} the {:g} % rollout", field,
                                 util::printable(*subject, 60), bucket,
                                 enabled ? "within" : "outside", rollout)};
}

}  // namespace

StrategyOutcome evaluate_strategy(const Strategy& strategy, std::string_view group,
                                  const EvaluationContext& context, const SegmentLookup& segments,
                                  bool explain) {
    if (strategy.disabled) return {false, explain ? "the strategy is disabled" : ""};
    for (size_t i = 0; i < strategy.constraints.size(); ++i)
        if (!constraint_holds(strategy.constraints[i], context))
            return {false, explain ? constraint_failure(fmt::format("constraint {}", i + 1),
                                                        strategy.constraints[i], context)
                                   : std::string()};
    for (const auto& name : strategy.segments) {
        const Segment* segment = segments ? segments(name) : nullptr;
        if (!segment)
            return {false, explain ? fmt::format("segment '{}' does not exist", name) : ""};
        for (size_t i = 0; i < segment->constraints.size(); ++i)
            if (!constraint_holds(segment->constraints[i], context))
                return {false, explain ? constraint_failure(
                                             fmt::format("segment '{}' constraint {}", name, i + 1),
                                             segment->constraints[i], context)
                                       : std::string()};
    }
    switch (strategy.kind) {
        case StrategyKind::standard:
            return {true, explain ? "on for everyone it applies to" : ""};
        case StrategyKind::flexible_rollout: {
            std::string_view rollout_group = strategy.group_id.empty() ? group : strategy.group_id;
            std::string random;
            std::optional<std::string_view> subject;
            std::string field = strategy.stickiness;
            if (strategy.stickiness == "default") {
                subject = context.standard("userId");
                field = "userId";
                if (!subject || subject->empty()) {
                    subject = context.standard("sessionId");
                    field = "sessionId";
                }
                if (!subject || subject->empty()) {
                    random = random_rollout_subject();
                    subject = random;
                    field = "random subject";
                }
            } else if (strategy.stickiness == "random") {
                random = random_rollout_subject();
                subject = random;
                field = "random subject";
            } else {
                subject = context.value(strategy.stickiness);
            }
            return rollout_outcome(strategy.rollout, rollout_group, subject, field, explain);
        }
        case StrategyKind::gradual_rollout_user_id:
            return rollout_outcome(strategy.rollout, strategy.group_id, context.standard("userId"),
                                   "userId", explain);
        case StrategyKind::gradual_rollout_session_id:
            return rollout_outcome(strategy.rollout, strategy.group_id,
                                   context.standard("sessionId"), "sessionId", explain);
        case StrategyKind::gradual_rollout_random: {
            int draw = random_percent();
            bool enabled = strategy.rollout >= draw;
            return {enabled, explain ? fmt::format("random draw {} of 100, {} the {:g} %", draw,
                                                   enabled ? "within" : "outside", strategy.rollout)
                                     : std::string()};
        }
        case StrategyKind::user_with_id: {
            auto user = context.standard("userId");
            bool listed = false;
            if (user)
                for (const auto& id : strategy.listed)
                    if (id == *user) {
                        listed = true;
                        break;
                    }
            if (!explain) return {listed, {}};
            return {listed, user ? fmt::format("userId '{}' is {}listed",
                                               util::printable(*user, 60), listed ? "" : "not ")
                                 : std::string("no userId in the context")};
        }
        case StrategyKind::remote_address: {
            auto text = context.standard("remoteAddress");
            bool matched = false;
            if (text) {
                auto address = util::parse_ip_address(*text);
                for (size_t i = 0; i < strategy.addresses.size() && !matched; ++i)
                    matched = strategy.addresses[i] == *text ||
                              (address && strategy.address_ranges[i].contains(*address));
            }
            if (!explain) return {matched, {}};
            return {matched, text ? fmt::format("remoteAddress '{}' is {}in the listed addresses",
                                                util::printable(*text, 60), matched ? "" : "not ")
                                  : std::string("no remoteAddress in the context")};
        }
        case StrategyKind::application_hostname: {
            const auto& host = this_host();
            bool listed = false;
            for (const auto& name : strategy.listed)
                if (name == host) listed = true;
            return {listed,
                    explain ? fmt::format("this host '{}' is {}listed", host, listed ? "" : "not ")
                            : std::string()};
        }
    }
    return {false, {}};
}

std::string describe(const Strategy& strategy) {
    std::string text(strategy_name(strategy.kind));
    switch (strategy.kind) {
        case StrategyKind::flexible_rollout:
            text += fmt::format(" {:g} % by {}", strategy.rollout, strategy.stickiness);
            break;
        case StrategyKind::gradual_rollout_user_id:
        case StrategyKind::gradual_rollout_session_id:
        case StrategyKind::gradual_rollout_random:
            text += fmt::format(" {:g} %", strategy.rollout);
            break;
        case StrategyKind::user_with_id:
            text += fmt::format(" ({} user{})", strategy.listed.size(),
                                strategy.listed.size() == 1 ? "" : "s");
            break;
        case StrategyKind::remote_address:
            text += fmt::format(" ({} address{})", strategy.addresses.size(),
                                strategy.addresses.size() == 1 ? "" : "es");
            break;
        case StrategyKind::application_hostname:
            text += fmt::format(" ({} host{})", strategy.listed.size(),
                                strategy.listed.size() == 1 ? "" : "s");
            break;
        case StrategyKind::standard:
            break;
    }
    if (!strategy.title.empty()) text += fmt::format(" '{}'", strategy.title);
    if (!strategy.constraints.empty())
        text += fmt::format(", {} constraint{}", strategy.constraints.size(),
                            strategy.constraints.size() == 1 ? "" : "s");
    if (!strategy.segments.empty())
        text += fmt::format(", segment{} {}", strategy.segments.size() == 1 ? "" : "s",
                            fmt::join(strategy.segments, ", "));
    if (strategy.disabled) text += " (disabled)";
    return text;
}

}  // namespace launchkit::flags

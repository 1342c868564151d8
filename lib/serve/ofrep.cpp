#include "serve/ofrep.h"

#include <optional>

#include "util/bounded_json.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace launchkit::serve {

namespace {

using flags::EvaluationContext;
using flags::FlagTargeting;
using flags::Strategy;
using flags::StrategyKind;

struct RequestContext {
    std::optional<EvaluationContext> context;
    HttpReply failure;  // when there is no context
};

HttpReply failure_reply(int status, std::string_view key, std::string_view code,
                        std::string details) {
    HttpReply reply;
    reply.status = status;
    reply.body = {{"errorCode", code}, {"errorDetails", std::move(details)}};
    if (!key.empty()) reply.body["key"] = key;
    return reply;
}

// OpenFeature's context is flat: `targetingKey` and any attributes. It becomes Unleash's shape:
// targetingKey is the userId (unless one is given), the standard fields stay fields, everything
// else is a property.
RequestContext read_request_context(std::string_view body, const std::string& environment,
                                    std::string_view key) {
    RequestContext read;
    nlohmann::json request = nlohmann::json::object();
    if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        auto parsed = util::parse_json(body, ExitCode::invalid_input);
        if (!parsed) {
            read.failure = failure_reply(400, key, "PARSE_ERROR",
                                         "the request body is " + parsed.error().message);
            return read;
        }
        request = std::move(*parsed);
    }
    if (!request.is_object()) {
        read.failure = failure_reply(400, key, "INVALID_CONTEXT",
                                     "the request body must be an object {\"context\": {...}}");
        return read;
    }
    auto found = request.find("context");
    nlohmann::json context =
        found == request.end() || found->is_null() ? nlohmann::json::object() : *found;
    if (!context.is_object()) {
        read.failure = failure_reply(400, key, "INVALID_CONTEXT", "context must be an object");
        return read;
    }
    nlohmann::json unleash = {{"properties", nlohmann::json::object()}};
    for (const auto& [name, value] : context.items()) {
        if (name == "targetingKey") continue;
        if (name == "properties" && value.is_object()) {
            for (const auto& [property, text] : value.items())
                unleash["properties"][property] = text;
        } else if (EvaluationContext::is_standard_field(name)) {
            unleash[name] = value;
        } else {
            unleash["properties"][name] = value;
        }
    }
    if (auto targeting_key = context.find("targetingKey");
        targeting_key != context.end() && !targeting_key->is_null() && !unleash.contains("userId"))
        unleash["userId"] = *targeting_key;
    if (!unleash.contains("environment")) unleash["environment"] = environment;
    auto evaluation_context = flags::context_from_json(unleash, "context");
    if (!evaluation_context) {
        read.failure =
            failure_reply(400, key, "INVALID_CONTEXT", evaluation_context.error().message);
        return read;
    }
    read.context = std::move(*evaluation_context);
    return read;
}

bool subject_sticky(std::string_view stickiness) {
    return stickiness.empty() || stickiness == "default" || stickiness == "userId";
}

// A flag that hands a share of subjects its answer or its variants by userId (or the default
// stickiness): asked without one, Unleash would draw a random subject on every request.
bool needs_subject(const FlagTargeting& flag) {
    if (!flag.enabled) return false;
    for (const auto& strategy : flag.strategies) {
        if (strategy.disabled) continue;
        bool partial = strategy.rollout > 0 && strategy.rollout < 100;
        if (strategy.kind == StrategyKind::flexible_rollout && partial &&
            subject_sticky(strategy.stickiness))
            return true;
        if (strategy.kind == StrategyKind::gradual_rollout_user_id && partial) return true;
        if (strategy.variants.size() > 1 && subject_sticky(strategy.variants.front().stickiness))
            return true;
    }
    return flag.variants.size() > 1 && subject_sticky(flag.variants.front().stickiness);
}

bool has_subject(const EvaluationContext& context) {
    for (const auto* field : {"userId", "sessionId"}) {
        auto value = context.standard(field);
        if (value && !value->empty()) return true;
    }
    return false;
}

// SPLIT for a share of subjects, TARGETING_MATCH for a strategy that chose by the context, STATIC
// for one that lets everyone through.
std::string_view match_reason(const Strategy& strategy) {
    if (!strategy.constraints.empty() || !strategy.segments.empty()) return "TARGETING_MATCH";
    switch (strategy.kind) {
        case StrategyKind::standard:
            return "STATIC";
        case StrategyKind::flexible_rollout:
        case StrategyKind::gradual_rollout_user_id:
        case StrategyKind::gradual_rollout_session_id:
        case StrategyKind::gradual_rollout_random:
            return strategy.rollout >= 100 ? "STATIC" : "SPLIT";
        default:
            return "TARGETING_MATCH";
    }
}

nlohmann::json payload_value(const flags::VariantPayload& payload) {
    if (payload.type == "json") {
        auto parsed = util::parse_json(payload.value, ExitCode::invalid_input);
        if (parsed) return *parsed;
    } else if (payload.type == "number") {
        auto number = flags::javascript_number(payload.value);
        if (number) return *number;
    }
    return payload.value;
}

HttpReply flag_reply(const FlagSnapshot& snapshot, const FlagTargeting& flag,
                     const EvaluationContext& context) {
    if (needs_subject(flag) && !has_subject(context))
        return failure_reply(400, flag.name, "TARGETING_KEY_MISSING",
                             "'" + flag.name +
                                 "' serves a share of subjects: give a targetingKey (or a userId "
                                 "or sessionId) to bucket by");
    auto evaluation = flags::evaluate_flag(snapshot.targeting, flag.name, context);
    nlohmann::json body = {{"key", flag.name}};
    nlohmann::json metadata = {{"environment", snapshot.environment},
                               {"revision", snapshot.revision}};
    if (!evaluation.enabled) {
        body["value"] = false;
        body["variant"] = "off";
        body["reason"] = flag.enabled ? "DEFAULT" : "DISABLED";
    } else {
        const Strategy* strategy =
            evaluation.strategy ? &flag.strategies[*evaluation.strategy] : nullptr;
        if (strategy) metadata["strategy"] = *evaluation.strategy + 1;
        if (evaluation.variant_enabled) {
            body["value"] = evaluation.payload ? payload_value(*evaluation.payload)
                                               : nlohmann::json(evaluation.variant);
            body["variant"] = evaluation.variant;
            body["reason"] = "SPLIT";
        } else {
            body["value"] = true;
            body["variant"] = "on";
            body["reason"] = strategy ? match_reason(*strategy) : "STATIC";
        }
    }
    body["metadata"] = std::move(metadata);
    return {200, std::move(body), {}};
}

HttpReply launch_control_reply(const FlagSnapshot& snapshot, const flags::LaunchControl& control) {
    nlohmann::json metadata = {{"environment", snapshot.environment},
                               {"revision", snapshot.revision}};
    if (!control.never_paused()) {
        metadata["since"] = control.since;
        metadata["by"] = control.by;
    }
    return {200,
            {{"key", std::string(launch_control_key_prefix) + control.name},
             {"value", !control.paused},
             {"variant", control.paused ? "paused" : "running"},
             {"reason", "STATIC"},
             {"metadata", std::move(metadata)}},
            {}};
}

const flags::LaunchControl* find_control(const FlagSnapshot& snapshot, std::string_view key) {
    if (!key.starts_with(launch_control_key_prefix)) return nullptr;
    auto name = key.substr(launch_control_key_prefix.size());
    for (const auto& control : snapshot.launch_controls)
        if (control.name == name) return &control;
    return nullptr;
}

// RFC 9110's If-None-Match: a list of entity tags (weak ones compare by their opaque part), or *.
bool etag_listed(std::string_view if_none_match, std::string_view etag) {
    for (auto candidate : util::split(if_none_match, ',')) {
        auto tag = util::trim(candidate);
        if (tag == "*") return true;
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == etag) return true;
    }
    return false;
}

}  // namespace

HttpReply evaluate_ofrep_flag(const FlagSnapshot& snapshot, std::string_view key,
                              std::string_view request_body) {
    auto request = read_request_context(request_body, snapshot.environment, key);
    if (!request.context) return request.failure;
    if (const auto* control = find_control(snapshot, key))
        return launch_control_reply(snapshot, *control);
    if (const auto* flag = snapshot.targeting.flag(key))
        return flag_reply(snapshot, *flag, *request.context);
    return failure_reply(404, key, "FLAG_NOT_FOUND",
                         "no flag '" + std::string(key) + "' in " + snapshot.environment);
}

HttpReply evaluate_ofrep_flags(const FlagSnapshot& snapshot, std::string_view request_body,
                               std::string_view if_none_match) {
    auto request = read_request_context(request_body, snapshot.environment, "");
    if (!request.context) return request.failure;
    auto items = nlohmann::json::array();
    for (const auto& [name, flag] : snapshot.targeting.flags()) {
        if (find_control(snapshot, name)) continue;  // the launch control of that key answers
        auto reply = flag_reply(snapshot, flag, *request.context);
        items.push_back(std::move(reply.body));
    }
    for (const auto& control : snapshot.launch_controls)
        items.push_back(launch_control_reply(snapshot, control).body);
    HttpReply reply;
    reply.body = {{"flags", std::move(items)}};
    reply.etag = "\"" + util::sha256_hex(util::dump_json(reply.body)).substr(0, 32) + "\"";
    if (!if_none_match.empty() && etag_listed(if_none_match, reply.etag)) {
        reply.status = 304;
        reply.body = nullptr;
    }
    return reply;
}

nlohmann::json ofrep_configuration() {
    nlohmann::json polling = {{"enabled", true}, {"minPollingIntervalMs", 1000}};
    nlohmann::json types = {"boolean", "string", "int", "float", "object"};
    nlohmann::json capabilities = {{"cacheInvalidation", {{"polling", polling}}},
                                   {"flagEvaluation", {{"supportedTypes", types}}}};
    return {{"name", "launchkit"}, {"capabilities", capabilities}};
}

}  // namespace launchkit::serve

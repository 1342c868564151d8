#include "serve/runbook_api.h"

#include <optional>
#include <set>

#include "flags/flag_repository.h"
#include "flags/flag_view.h"
#include "flags/names.h"
#include "util/bounded_json.h"

namespace launchkit::serve {

namespace {

HttpReply error_reply(int status, std::string message) {
    return {status, {{"error", std::move(message)}}, {}};
}

// A library error as HTTP: invalid input is the client's (400), anything else the server's.
HttpReply library_error(const Error& error) {
    return error_reply(error.code == ExitCode::invalid_input ? 400 : 503, error.message);
}

struct ParsedBody {
    nlohmann::json json;
    std::optional<HttpReply> failure;
};

// The body as an object holding only `allowed` keys.
ParsedBody parse_body(std::string_view body, const std::set<std::string, std::less<>>& allowed) {
    ParsedBody parsed;
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        parsed.json = nlohmann::json::object();
        return parsed;
    }
    auto json = util::parse_json(body, ExitCode::invalid_input);
    if (!json) {
        parsed.failure = error_reply(400, "the request body is " + json.error().message);
        return parsed;
    }
    if (!json->is_object()) {
        parsed.failure = error_reply(400, "the request body must be a JSON object");
        return parsed;
    }
    for (const auto& [key, value] : json->items())
        if (!allowed.contains(key)) {
            std::string expected;
            for (const auto& name : allowed) expected += (expected.empty() ? "" : ", ") + name;
            parsed.failure =
                error_reply(400, "unknown field '" + key + "' (expected " + expected + ")");
            return parsed;
        }
    parsed.json = std::move(*json);
    return parsed;
}

std::optional<HttpReply> string_field(const nlohmann::json& body, const char* field,
                                      std::string& into) {
    auto found = body.find(field);
    if (found == body.end() || found->is_null()) return std::nullopt;
    if (!found->is_string())
        return error_reply(400, std::string(field) + ": expected a string, got " + found->dump());
    into = found->get<std::string>();
    return std::nullopt;
}

}  // namespace

HttpReply toggle_flag_request(store::Store& store, const std::string& served_environment,
                              std::string_view body, bool enable, const store::ChangeNote& note) {
    auto parsed = parse_body(body, {"env", "name", "reason", "rollout"});
    if (parsed.failure) return *parsed.failure;
    std::string name;
    std::string environment = served_environment;
    store::ChangeNote change = note;
    for (auto [field, into] : {std::pair{"name", &name}, std::pair{"env", &environment},
                               std::pair{"reason", &change.reason}})
        if (auto failure = string_field(parsed.json, field, *into)) return *failure;
    if (name.empty()) return error_reply(400, "name: required (the flag to change)");
    if (auto valid = flags::validate_name(name, "name"); !valid)
        return library_error(valid.error());
    if (auto valid = flags::validate_name(environment, "env"); !valid)
        return library_error(valid.error());
    std::optional<int> rollout;
    if (auto found = parsed.json.find("rollout"); found != parsed.json.end()) {
        if (!found->is_number_integer() || *found < 0 || *found > 100)
            return error_reply(400, "rollout: expected a whole number 0-100, got " + found->dump());
        rollout = found->get<int>();
    }

    auto existing = flags::find_flag(store, name);
    if (!existing) return library_error(existing.error());
    if (!*existing) return error_reply(404, "no such flag '" + name + "'");
    auto change_made = flags::modify_flag(
        store, name,
        [&](flags::Flag& flag) -> Result<void> {
            return flags::set_environment_state(
                flag, environment, enable, rollout.value_or(flag.in(environment).rollout), change);
        },
        change);
    if (!change_made) return library_error(change_made.error());
    auto view = flags::flag_view(change_made->after, environment);
    view["changed"] = change_made->changed;
    return {200, std::move(view), {}};
}

HttpReply launch_control_request(store::Store& store, std::string_view name, bool pause,
                                 std::string_view body, const store::ChangeNote& note,
                                 const flags::DeclaredControls& declared,
                                 std::string* reason_given) {
    auto parsed = parse_body(body, {"new", "reason"});
    if (parsed.failure) return *parsed.failure;
    store::ChangeNote change = note;
    if (auto failure = string_field(parsed.json, "reason", change.reason)) return *failure;
    bool allow_new = false;
    if (auto found = parsed.json.find("new"); found != parsed.json.end()) {
        if (!found->is_boolean()) return error_reply(400, "new: expected true or false");
        allow_new = found->get<bool>();
    }
    if (auto valid = flags::validate_name(name, "launch control name"); !valid)
        return library_error(valid.error());
    auto made = pause ? flags::pause_launch_control(store, name, change, allow_new, declared)
                      : flags::resume_launch_control(store, name, change, declared);
    if (!made) return library_error(made.error());
    if (reason_given) *reason_given = change.reason;
    auto view = flags::to_json(made->after);
    view["changed"] = made->changed;
    return {200, std::move(view), {}};
}

}  // namespace launchkit::serve

#include <chrono>

#include <fmt/format.h>

#include "flags/flag_view.h"
#include "serve/http_server.h"
#include "serve/ofrep.h"
#include "serve/runbook_api.h"
#include "serve/server_state.h"
#include "util/bounded_json.h"
#include "util/time.h"

namespace launchkit::serve {

namespace {

OutgoingResponse json_response(int status, const nlohmann::json& body) {
    return {.status = status,
            .content_type = "application/json",
            .body = util::dump_json(body),
            .headers = {{"Cache-Control", "no-store"}}};
}

OutgoingResponse reply_response(const HttpReply& reply) {
    OutgoingResponse response{.status = reply.status};
    if (!reply.body.is_null()) response = json_response(reply.status, reply.body);
    if (!reply.etag.empty()) response.headers.emplace_back("ETag", reply.etag);
    return response;
}

enum class Access { read, write };

// The token the request acts with (nullptr for an open read), or the refusal to send: 401
// without a bearer token, 403 with one that is not known, 403 for every write when the server
// has no tokens at all.
std::expected<const AccessToken*, OutgoingResponse> admit(const ServerState& state,
                                                          const IncomingRequest& request,
                                                          Access access) {
    if (access == Access::read && !state.reads_need_token) return nullptr;
    if (state.tokens.empty())
        return std::unexpected(json_response(403, {{"error",
                                                    "writes are disabled: start the server with "
                                                    "--tokens-file or LAUNCHKIT_SERVE_TOKEN"}}));
    auto authorization = request.header("Authorization").value_or("");
    auto presented = bearer_token(authorization);
    if (!presented) {
        auto refusal =
            json_response(401, {{"error", "an Authorization: Bearer TOKEN header is required"}});
        refusal.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"launchkit\"");
        return std::unexpected(std::move(refusal));
    }
    const auto* token = find_access_token(state.tokens, *presented);
    if (!token)
        return std::unexpected(
            json_response(403, {{"error", "the bearer token is not one this server knows"}}));
    return token;
}

// Counts what an OFREP answer said about each flag, for /metrics and `feature-flags usage`.
void count_answer(ServerMetrics& metrics, const FlagSnapshot& snapshot,
                  const nlohmann::json& item) {
    auto key = util::string_member(item, "key").value_or("");
    bool known = snapshot.targeting.flag(key) != nullptr ||
                 (key.starts_with(launch_control_key_prefix) &&
                  std::ranges::any_of(snapshot.launch_controls, [&](const auto& control) {
                      return key.substr(launch_control_key_prefix.size()) == control.name;
                  }));
    std::string result;
    if (auto code = util::string_member(item, "errorCode"))
        result = *code;
    else if (item.contains("value") && item["value"].is_boolean())
        result = item["value"].get<bool>() ? "true" : "false";
    else
        result = util::string_member(item, "variant").value_or("value");
    metrics.count_evaluation(known ? key : "(unknown)", result);
}

void add_ofrep_routes(HttpServer& server, ServerState& state) {
    server.route("POST", "/ofrep/v1/evaluate/flags/{*}", [&state](const IncomingRequest& request) {
        if (auto admitted = admit(state, request, Access::read); !admitted) return admitted.error();
        auto snapshot = state.snapshots.current();
        auto reply = evaluate_ofrep_flag(*snapshot, request.captures[0], request.body);
        if (reply.body.contains("key")) count_answer(state.metrics, *snapshot, reply.body);
        return reply_response(reply);
    });
    server.route("POST", "/ofrep/v1/evaluate/flags", [&state](const IncomingRequest& request) {
        if (auto admitted = admit(state, request, Access::read); !admitted) return admitted.error();
        auto snapshot = state.snapshots.current();
        auto reply = evaluate_ofrep_flags(*snapshot, request.body,
                                          request.header("If-None-Match").value_or(""));
        if (reply.body.contains("flags"))
            for (const auto& item : reply.body["flags"])
                count_answer(state.metrics, *snapshot, item);
        return reply_response(reply);
    });
    server.route("GET", "/ofrep/v1/configuration", [&state](const IncomingRequest& request) {
        if (auto admitted = admit(state, request, Access::read); !admitted) return admitted.error();
        return json_response(200, ofrep_configuration());
    });
}

void add_health_routes(HttpServer& server, ServerState& state) {
    server.route("GET", "/health/live", [](const IncomingRequest&) {
        return json_response(200, {{"status", "live"}});
    });
    server.route("GET", "/health/ready", [&state](const IncomingRequest&) {
        auto problem = state.snapshots.problem();
        auto snapshot = state.snapshots.current();
        if (problem.empty())
            return json_response(200, {{"status", "ready"}, {"revision", snapshot->revision}});
        return json_response(503, {{"status", "store unavailable"},
                                   {"error", problem},
                                   {"serving_revision", snapshot->revision}});
    });
    server.route("GET", "/metrics", [&state](const IncomingRequest& request) {
        if (auto admitted = admit(state, request, Access::read); !admitted) return admitted.error();
        return OutgoingResponse{.status = 200,
                                .content_type = "text/plain; version=0.0.4",
                                .body = state.metrics.prometheus_text()};
    });
    server.route("GET", "/api/usage", [&state](const IncomingRequest& request) {
        if (auto admitted = admit(state, request, Access::read); !admitted) return admitted.error();
        return json_response(
            200, {{"environment", state.environment}, {"evaluations", state.metrics.usage()}});
    });
}

// The runbooks' reads: what `feature-flags list --json`, `get --json` and `launchctl status
// --json` print, for the environment served.
void add_runbook_read_routes(HttpServer& server, ServerState& state) {
    server.route("GET", "/api/feature-flags", [&state](const IncomingRequest& request) {
        if (auto admitted = admit(state, request, Access::read); !admitted) return admitted.error();
        auto snapshot = state.snapshots.current();
        auto views = nlohmann::json::array();
        for (const auto& flag : snapshot->flags)
            views.push_back(flags::flag_view(flag, snapshot->environment));
        return json_response(200, {{"environment", snapshot->environment},
                                   {"revision", snapshot->revision},
                                   {"flags", views}});
    });
    server.route("GET", "/api/feature-flags/{}", [&state](const IncomingRequest& request) {
        if (auto admitted = admit(state, request, Access::read); !admitted) return admitted.error();
        auto snapshot = state.snapshots.current();
        const auto& name = request.captures[0];
        for (const auto& flag : snapshot->flags)
            if (flag.name == name)
                return json_response(200, flags::flag_view(flag, snapshot->environment));
        return json_response(404, {{"error", fmt::format("no such flag '{}'", name)}});
    });
    server.route("GET", "/api/launch-controls", [&state](const IncomingRequest& request) {
        if (auto admitted = admit(state, request, Access::read); !admitted) return admitted.error();
        auto snapshot = state.snapshots.current();
        auto controls = nlohmann::json::array();
        for (const auto& control : snapshot->launch_controls)
            controls.push_back(flags::to_json(control));
        return json_response(200,
                             {{"revision", snapshot->revision}, {"launch_controls", controls}});
    });
}

// A write, made by one request at a time in this process; the snapshot is read again at once so
// the writer's next read sees its change.
template <typename Write>
HttpReply write_and_refresh(ServerState& state, const AccessToken& token,
                            const IncomingRequest& request, Write write) {
    store::ChangeNote note{util::format_rfc3339(std::chrono::system_clock::now()), token.name,
                           fmt::format("feature-flags serve: {} {}", request.method, request.path),
                           ""};
    std::lock_guard lock(state.write_mutex);
    auto reply = write(*state.write_store, note);
    if (reply.status == 200)
        if (auto snapshot =
                load_flag_snapshot(*state.write_store, state.environment, state.declared))
            state.snapshots.replace(std::move(*snapshot));
    return reply;
}

// A write route: admitted only with a write token, and run as a blocking route, off the event
// threads, since a write waits on the store (a lock, an fsync, etcd).
template <typename Handler>
void add_write_route(HttpServer& server, ServerState& state, std::string pattern, Handler handle) {
    server.route(
        "POST", std::move(pattern),
        [&state, handle](const IncomingRequest& request) {
            auto token = admit(state, request, Access::write);
            if (!token) return token.error();
            return handle(request, **token);
        },
        /*blocking=*/true);
}

void add_runbook_write_routes(HttpServer& server, ServerState& state) {
    for (bool enable : {true, false})
        add_write_route(
            server, state, enable ? "/api/feature-flags/enable" : "/api/feature-flags/disable",
            [&state, enable](const IncomingRequest& request, const AccessToken& token) {
                return reply_response(write_and_refresh(
                    state, token, request, [&](store::Store& store, const store::ChangeNote& note) {
                        return toggle_flag_request(store, state.environment, request.body, enable,
                                                   note);
                    }));
            });
    for (bool pause : {true, false})
        add_write_route(server, state,
                        pause ? "/api/launch-controls/{}/pause" : "/api/launch-controls/{}/resume",
                        [&state, pause](const IncomingRequest& request, const AccessToken& token) {
                            const auto& name = request.captures[0];
                            std::string reason;
                            auto reply = write_and_refresh(
                                state, token, request,
                                [&](store::Store& store, const store::ChangeNote& note) {
                                    return launch_control_request(store, name, pause, request.body,
                                                                  note, state.declared, &reason);
                                });
                            // After the write lock is let go: a slow target never holds up a write.
                            // The answer follows the announcement, so a 200 means the targets were
                            // told.
                            if (reply.status == 200 && reply.body.value("changed", false) &&
                                state.announce_control)
                                state.announce_control(pause, name, token.name, reason);
                            return reply_response(reply);
                        });
}

}  // namespace

void add_routes(HttpServer& server, ServerState& state) {
    add_ofrep_routes(server, state);
    add_health_routes(server, state);
    add_runbook_read_routes(server, state);
    add_runbook_write_routes(server, state);
    // Answers of the server itself keep the routes' JSON form.
    server.on_error([](int status, const std::string& method, const std::string& path) {
        std::string error = status == 413   ? "the request body is too large"
                            : status == 404 ? fmt::format("no route {} {}", method, path)
                            : status == 500 ? "internal error"
                                            : fmt::format("HTTP {}", status);
        return json_response(status, {{"error", error}});
    });
    server.on_answered([&state](const std::string& method, const std::string& path, int status,
                                std::chrono::nanoseconds latency) {
        state.metrics.count_request(route_of(method, path), status, latency);
    });
}

}  // namespace launchkit::serve

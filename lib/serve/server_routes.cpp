#include <httplib.h>

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "flags/flag_view.h"
#include "serve/ofrep.h"
#include "serve/runbook_api.h"
#include "serve/server_state.h"
#include "util/bounded_json.h"
#include "util/time.h"

namespace launchkit::serve {

namespace {

void send_json(httplib::Response& response, int status, const nlohmann::json& body) {
    response.status = status;
    response.set_header("Cache-Control", "no-store");
    response.set_content(util::dump_json(body), "application/json");
}

void send_reply(httplib::Response& response, const HttpReply& reply) {
    if (!reply.etag.empty()) response.set_header("ETag", reply.etag);
    if (reply.body.is_null()) {
        response.status = reply.status;
        return;
    }
    send_json(response, reply.status, reply.body);
}

enum class Access { read, write };

// The token the request acts with; nullptr for an open read. nullopt when it may not go on,
// the refusal sent: 401 without a bearer token, 403 with one that is not known, 403 for every
// write when the server has no tokens at all.
std::optional<const AccessToken*> admit(const ServerState& state, const httplib::Request& request,
                                        httplib::Response& response, Access access) {
    if (access == Access::read && !state.reads_need_token) return nullptr;
    if (state.tokens.empty()) {
        send_json(response, 403,
                  {{"error",
                    "writes are disabled: start the server with --tokens-file or "
                    "LAUNCHKIT_SERVE_TOKEN"}});
        return std::nullopt;
    }
    auto authorization = request.get_header_value("Authorization");  // a copy: the view's owner
    auto presented = bearer_token(authorization);
    if (!presented) {
        response.set_header("WWW-Authenticate", "Bearer realm=\"launchkit\"");
        send_json(response, 401, {{"error", "an Authorization: Bearer TOKEN header is required"}});
        return std::nullopt;
    }
    const auto* token = find_access_token(state.tokens, *presented);
    if (!token) {
        send_json(response, 403, {{"error", "the bearer token is not one this server knows"}});
        return std::nullopt;
    }
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

void add_ofrep_routes(httplib::Server& server, ServerState& state) {
    server.Post(R"(/ofrep/v1/evaluate/flags/(.+))", [&state](const httplib::Request& request,
                                                             httplib::Response& response) {
        if (!admit(state, request, response, Access::read)) return;
        auto snapshot = state.snapshots.current();
        auto reply = evaluate_ofrep_flag(*snapshot, request.matches[1].str(), request.body);
        if (reply.body.contains("key")) count_answer(state.metrics, *snapshot, reply.body);
        send_reply(response, reply);
    });
    server.Post("/ofrep/v1/evaluate/flags",
                [&state](const httplib::Request& request, httplib::Response& response) {
                    if (!admit(state, request, response, Access::read)) return;
                    auto snapshot = state.snapshots.current();
                    auto reply = evaluate_ofrep_flags(*snapshot, request.body,
                                                      request.get_header_value("If-None-Match"));
                    if (reply.body.contains("flags"))
                        for (const auto& item : reply.body["flags"])
                            count_answer(state.metrics, *snapshot, item);
                    send_reply(response, reply);
                });
    server.Get("/ofrep/v1/configuration",
               [&state](const httplib::Request& request, httplib::Response& response) {
                   if (!admit(state, request, response, Access::read)) return;
                   send_json(response, 200, ofrep_configuration());
               });
}

void add_health_routes(httplib::Server& server, ServerState& state) {
    server.Get("/health/live", [](const httplib::Request&, httplib::Response& response) {
        send_json(response, 200, {{"status", "live"}});
    });
    server.Get("/health/ready", [&state](const httplib::Request&, httplib::Response& response) {
        auto problem = state.snapshots.problem();
        auto snapshot = state.snapshots.current();
        if (problem.empty())
            send_json(response, 200, {{"status", "ready"}, {"revision", snapshot->revision}});
        else
            send_json(response, 503,
                      {{"status", "store unavailable"},
                       {"error", problem},
                       {"serving_revision", snapshot->revision}});
    });
    server.Get("/metrics", [&state](const httplib::Request& request, httplib::Response& response) {
        if (!admit(state, request, response, Access::read)) return;
        response.set_content(state.metrics.prometheus_text(), "text/plain; version=0.0.4");
    });
    server.Get(
        "/api/usage", [&state](const httplib::Request& request, httplib::Response& response) {
            if (!admit(state, request, response, Access::read)) return;
            send_json(response, 200,
                      {{"environment", state.environment}, {"evaluations", state.metrics.usage()}});
        });
}

// The runbooks' reads: what `feature-flags list --json`, `get --json` and `launchctl status
// --json` print, for the environment served.
void add_runbook_read_routes(httplib::Server& server, ServerState& state) {
    server.Get("/api/feature-flags",
               [&state](const httplib::Request& request, httplib::Response& response) {
                   if (!admit(state, request, response, Access::read)) return;
                   auto snapshot = state.snapshots.current();
                   auto views = nlohmann::json::array();
                   for (const auto& flag : snapshot->flags)
                       views.push_back(flags::flag_view(flag, snapshot->environment));
                   send_json(response, 200,
                             {{"environment", snapshot->environment},
                              {"revision", snapshot->revision},
                              {"flags", views}});
               });
    server.Get(R"(/api/feature-flags/([^/]+))", [&state](const httplib::Request& request,
                                                         httplib::Response& response) {
        if (!admit(state, request, response, Access::read)) return;
        auto snapshot = state.snapshots.current();
        auto name = request.matches[1].str();
        for (const auto& flag : snapshot->flags)
            if (flag.name == name)
                return send_json(response, 200, flags::flag_view(flag, snapshot->environment));
        send_json(response, 404, {{"error", fmt::format("no such flag '{}'", name)}});
    });
    server.Get("/api/launch-controls", [&state](const httplib::Request& request,
                                                httplib::Response& response) {
        if (!admit(state, request, response, Access::read)) return;
        auto snapshot = state.snapshots.current();
        auto controls = nlohmann::json::array();
        for (const auto& control : snapshot->launch_controls)
            controls.push_back(flags::to_json(control));
        send_json(response, 200, {{"revision", snapshot->revision}, {"launch_controls", controls}});
    });
}

// A write, made by one request at a time in this process; the snapshot is read again at once so
// the writer's next read sees its change.
template <typename Write>
HttpReply write_and_refresh(ServerState& state, const AccessToken& token,
                            const httplib::Request& request, httplib::Response& response,
                            Write write) {
    store::ChangeNote note{util::format_rfc3339(std::chrono::system_clock::now()), token.name,
                           fmt::format("feature-flags serve: {} {}", request.method, request.path),
                           ""};
    std::lock_guard lock(state.write_mutex);
    auto reply = write(*state.write_store, note);
    if (reply.status == 200)
        if (auto snapshot =
                load_flag_snapshot(*state.write_store, state.environment, state.declared))
            state.snapshots.replace(std::move(*snapshot));
    send_reply(response, reply);
    return reply;
}

void add_runbook_write_routes(httplib::Server& server, ServerState& state) {
    server.Post(R"(/api/feature-flags/(enable|disable))",
                [&state](const httplib::Request& request, httplib::Response& response) {
                    auto token = admit(state, request, response, Access::write);
                    if (!token) return;
                    bool enable = request.matches[1] == "enable";
                    write_and_refresh(state, **token, request, response,
                                      [&](store::Store& store, const store::ChangeNote& note) {
                                          return toggle_flag_request(store, state.environment,
                                                                     request.body, enable, note);
                                      });
                });
    server.Post(
        R"(/api/launch-controls/([^/]+)/(pause|resume))",
        [&state](const httplib::Request& request, httplib::Response& response) {
            auto token = admit(state, request, response, Access::write);
            if (!token) return;
            auto name = request.matches[1].str();
            bool pause = request.matches[2] == "pause";
            std::string reason;
            auto reply = write_and_refresh(state, **token, request, response,
                                           [&](store::Store& store, const store::ChangeNote& note) {
                                               return launch_control_request(
                                                   store, name, pause, request.body, note,
                                                   state.declared, &reason);
                                           });
            // After the write lock is let go: a slow target never holds up a write.
            if (reply.status == 200 && reply.body.value("changed", false) && state.announce_control)
                state.announce_control(pause, name, (*token)->name, reason);
        });
}

void add_error_handlers(httplib::Server& server) {
    // Called for every status from 400 on; the routes' own answers keep their bodies.
    server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return;
        std::string error = response.status == 413 ? "the request body is too large"
                            : response.status == 404
                                ? fmt::format("no route {} {}", request.method, request.path)
                                : fmt::format("HTTP {}", response.status);
        send_json(response, response.status, {{"error", error}});
    });
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
            send_json(response, 500, {{"error", "internal error"}});
        });
}

// When the request on this thread started: set before routing, read by the logger after it.
thread_local std::chrono::steady_clock::time_point request_started;

}  // namespace

void add_routes(httplib::Server& server, ServerState& state) {
    add_ofrep_routes(server, state);
    add_health_routes(server, state);
    add_runbook_read_routes(server, state);
    add_runbook_write_routes(server, state);
    add_error_handlers(server);
    server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        request_started = std::chrono::steady_clock::now();
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_logger([&state](const httplib::Request& request, const httplib::Response& response) {
        state.metrics.count_request(route_of(request.method, request.path), response.status,
                                    std::chrono::steady_clock::now() - request_started);
    });
}

}  // namespace launchkit::serve

#include "http_api.h"

#include <cmath>

#include <fmt/format.h>

namespace demo {
namespace {

void send_json(httplib::Response& response, const nlohmann::json& body, int status = 200) {
    response.status = status;
    response.set_content(body.dump() + "\n", "application/json");
}

bool authorized(const httplib::Request& request, httplib::Response& response,
                const std::string& token) {
    if (token.empty()) {
        send_json(response, {{"error", "no admin token configured (set DEMO_ADMIN_TOKEN)"}}, 403);
        return false;
    }
    if (request.get_header_value("Authorization") != "Bearer " + token) {
        send_json(response, {{"error", "unauthorized"}}, 401);
        return false;
    }
    return true;
}

// A JSON body, or a 400 naming what was wrong.
std::optional<nlohmann::json> json_body(const httplib::Request& request,
                                        httplib::Response& response) {
    auto body = nlohmann::json::parse(request.body.empty() ? "{}" : request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        send_json(response, {{"error", "expected a JSON object body"}}, 400);
        return std::nullopt;
    }
    return body;
}

// Playbook variables arrive as strings ("25"); numbers are accepted as they are.
std::optional<double> number_field(const nlohmann::json& body, const char* name) {
    if (!body.contains(name) || body[name].is_null()) return std::nullopt;
    if (body[name].is_number()) return body[name].get<double>();
    if (body[name].is_string()) return std::stod(body[name].get<std::string>());
    throw std::invalid_argument(fmt::format("{}: expected a number", name));
}

std::string metrics_text(const ServiceState& state, const std::string& track) {
    auto deployment = state.deployment();
    auto ready = !state.not_ready_reason();
    std::string text;
    text +=
        "# HELP demo_error_ratio Share of requests answered with an error.\n"
        "# TYPE demo_error_ratio gauge\n";
    text +=
        fmt::format("demo_error_ratio {}\n", state.blended(&ReleaseBehaviour::error_rate, track));
    text += "# TYPE demo_latency_p95_ms gauge\n";
    text += fmt::format("demo_latency_p95_ms {}\n",
                        state.blended(&ReleaseBehaviour::latency_ms, track));
    text += "# TYPE demo_cpu_ratio gauge\n";
    text += fmt::format("demo_cpu_ratio {}\n", state.blended(&ReleaseBehaviour::cpu, track));
    text += "# TYPE demo_memory_ratio gauge\n";
    text += fmt::format("demo_memory_ratio {}\n", state.blended(&ReleaseBehaviour::memory, track));
    text += "# TYPE demo_active_connections gauge\n";
    text += fmt::format("demo_active_connections {}\n",
                        state.blended(&ReleaseBehaviour::connections, track));
    text += "# TYPE demo_health_checks_failing gauge\n";
    text += fmt::format("demo_health_checks_failing {}\n", ready ? 0 : 1);
    // The Release Management Playbook's agent health: the demo's 20 agents are all unhealthy while
    // it is not ready.
    text += "# TYPE demo_agents_total gauge\n";
    text += "demo_agents_total 20\n";
    text += "# TYPE demo_agents_unhealthy gauge\n";
    text += fmt::format("demo_agents_unhealthy {}\n", ready ? 0 : 20);
    text += "# TYPE demo_canary_weight gauge\n";
    text += fmt::format("demo_canary_weight {}\n", deployment.canary_weight);
    text += "# TYPE demo_version_info gauge\n";
    text += fmt::format("demo_version_info{{track=\"stable\",version=\"{}\"}} 1\n",
                        deployment.stable_version);
    if (!deployment.canary_version.empty())
        text += fmt::format("demo_version_info{{track=\"canary\",version=\"{}\"}} 1\n",
                            deployment.canary_version);
    text += "# TYPE demo_schema_version gauge\n";
    text += fmt::format("demo_schema_version {}\n", state.schema_version());
    text += "# TYPE demo_items gauge\n";
    text += fmt::format("demo_items {}\n", state.item_count());
    return text;
}

}  // namespace

void add_routes(httplib::Server& server, ServiceState& state, std::string admin_token) {
    server.Get("/health/live", [&state](const httplib::Request&, httplib::Response& response) {
        send_json(response, {{"status", "live"}, {"version", state.deployment().stable_version}});
    });
    auto ready = [&state](const httplib::Request&, httplib::Response& response) {
        if (auto reason = state.not_ready_reason())
            send_json(response, {{"status", "not_ready"}, {"reason", *reason}}, 503);
        else
            send_json(response, {{"status", "ready"}});
    };
    server.Get("/health/ready", ready);
    server.Get("/health",
               ready);  // the Mycelia Upgrade Playbook's `curl -f http://localhost:3000/health`
    server.Get("/ops/status.json", [&state](const httplib::Request&, httplib::Response& response) {
        send_json(response, state.status());
    });
    // /metrics?track=canary: the canary (or blue-green's green) alone, as a gate judges it.
    server.Get("/metrics", [&state](const httplib::Request& request, httplib::Response& response) {
        auto track = request.get_param_value("track");
        if (!track.empty() && track != "canary" && track != "stable")
            return send_json(response, {{"error", "track: expected canary or stable"}}, 400);
        response.set_content(metrics_text(state, track), "text/plain; version=0.0.4");
    });
    // The Artifortress Upgrade and Rollback Runbook's baseline snapshot: the admin ops summary,
    // behind the admin token.
    auto summary = [&state, admin_token](const httplib::Request& request,
                                         httplib::Response& response) {
        if (!authorized(request, response, admin_token)) return;
        auto status = state.status();
        // Blended over stable and canary by traffic, as the other numbers are: a canary that
        // leaves work behind grows the backlog with its share of traffic.
        status["backlog"] = {
            {"outbox_pending", std::lround(state.blended(&demo::ReleaseBehaviour::outbox_pending))},
            {"failed_search_jobs",
             std::lround(state.blended(&demo::ReleaseBehaviour::failed_search_jobs))}};
        send_json(response, status);
    };
    server.Get("/ops/summary", summary);
    server.Get("/v1/admin/ops/summary", summary);

    server.Post("/admin/deploy", [&state, admin_token](const httplib::Request& request,
                                                       httplib::Response& response) {
        if (!authorized(request, response, admin_token)) return;
        auto body = json_body(request, response);
        if (!body) return;
        auto version = body->value("version", "");
        auto track = body->value("track", "stable");
        // An empty stable version is a rollback with nothing before it: only the canary goes.
        if (version.empty() && track == "stable") {
            state.set_weight(0);
            state.deploy(state.deployment().stable_version, "stable", std::nullopt, std::nullopt);
            return send_json(response, state.status());
        }
        if (version.empty() || (track != "stable" && track != "canary"))
            return send_json(response,
                             {{"error",
                               "expected {version, track: stable|canary, error_rate?, "
                               "latency_ms?}"}},
                             400);
        state.deploy(version, track, number_field(*body, "error_rate"),
                     number_field(*body, "latency_ms"));
        send_json(response, state.status());
    });
    server.Post("/admin/weight", [&state, admin_token](const httplib::Request& request,
                                                       httplib::Response& response) {
        if (!authorized(request, response, admin_token)) return;
        auto body = json_body(request, response);
        if (!body) return;
        auto weight = number_field(*body, "weight");
        if (!weight || *weight < 0 || *weight > 100)
            return send_json(response, {{"error", "expected {weight: 0-100, version?}"}}, 400);
        // {version} stages that release as the canary first, so one call can shift traffic to it.
        if (auto version = body->value("version", "");
            !version.empty() && state.deployment().canary_version != version)
            state.deploy(version, "canary", std::nullopt, std::nullopt);
        state.set_weight(static_cast<int>(*weight));
        send_json(response, state.status());
    });
    server.Post("/admin/promote", [&state, admin_token](const httplib::Request& request,
                                                        httplib::Response& response) {
        if (!authorized(request, response, admin_token)) return;
        state.promote();
        send_json(response, state.status());
    });
    server.Post("/admin/ready", [&state, admin_token](const httplib::Request& request,
                                                      httplib::Response& response) {
        if (!authorized(request, response, admin_token)) return;
        auto body = json_body(request, response);
        if (!body) return;
        state.set_ready(body->value("ready", true));
        send_json(response, state.status());
    });

    server.Get("/api/version", [&state](const httplib::Request&, httplib::Response& response) {
        auto status = state.status();
        send_json(response, {{"version", status["version"]},
                             {"canary", status["canary"]},
                             {"canary_weight", status["canary_weight"]}});
    });
    server.Post("/api/items",
                [&state](const httplib::Request& request, httplib::Response& response) {
                    auto body = json_body(request, response);
                    if (!body) return;
                    auto name = body->value("name", "");
                    if (name.empty())
                        return send_json(response, {{"error", "expected {name}"}}, 400);
                    send_json(response, {{"id", state.add_item(name)}, {"name", name}}, 201);
                });
    server.Get(R"(/api/items/(\d+))",
               [&state](const httplib::Request& request, httplib::Response& response) {
                   auto name = state.item(std::stol(request.matches[1]));
                   if (!name) return send_json(response, {{"error", "no such item"}}, 404);
                   send_json(response, {{"id", std::stol(request.matches[1])}, {"name", *name}});
               });
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
            std::string message = "internal error";
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& exception) {
                message = exception.what();
            } catch (...) {
            }
            send_json(response, {{"error", message}}, 500);
        });
}

}  // namespace demo

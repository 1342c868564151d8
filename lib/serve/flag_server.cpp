#include "serve/flag_server.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "flags/flag_commands.h"
#include "flags/flag_view.h"
#include "serve/ofrep.h"
#include "store/open_store.h"
#include "util/bounded_json.h"
#include "util/file_io.h"

namespace launchkit::serve {

namespace {

using namespace std::chrono_literals;

struct ListenAddress {
    std::string host;
    int port = 0;
};

Result<ListenAddress> parse_listen(std::string_view text) {
    auto colon = text.rfind(':');
    auto bad = [&] {
        return fail(ExitCode::invalid_input,
                    "--listen: '{}' is not HOST:PORT (e.g. 127.0.0.1:8016, [::1]:8016)", text);
    };
    if (colon == std::string_view::npos || colon == 0) return bad();
    ListenAddress address;
    address.host = std::string(text.substr(0, colon));
    if (address.host.front() == '[' && address.host.back() == ']')
        address.host = address.host.substr(1, address.host.size() - 2);
    auto port_text = text.substr(colon + 1);
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string_view::npos)
        return bad();
    address.port = std::stoi(std::string(port_text));
    if (address.port > 65535) return bad();
    return address;
}

// The snapshot requests read, and whether the store answered the last time it was read.
class SnapshotHolder {
  public:
    explicit SnapshotHolder(FlagSnapshot first)
        : snapshot_(std::make_shared<const FlagSnapshot>(std::move(first))) {}

    std::shared_ptr<const FlagSnapshot> current() const {
        std::lock_guard lock(mutex_);
        return snapshot_;
    }
    void replace(FlagSnapshot next) {
        auto fresh = std::make_shared<const FlagSnapshot>(std::move(next));
        std::lock_guard lock(mutex_);
        snapshot_ = std::move(fresh);
        problem_.clear();
    }
    void set_problem(std::string problem) {
        std::lock_guard lock(mutex_);
        problem_ = std::move(problem);
    }
    std::string problem() const {
        std::lock_guard lock(mutex_);
        return problem_;
    }

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<const FlagSnapshot> snapshot_;
    std::string problem_;
};

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

void add_ofrep_routes(httplib::Server& server, const SnapshotHolder& holder) {
    server.Post(R"(/ofrep/v1/evaluate/flags/(.+))", [&holder](const httplib::Request& request,
                                                              httplib::Response& response) {
        send_reply(response,
                   evaluate_ofrep_flag(*holder.current(), request.matches[1].str(), request.body));
    });
    server.Post("/ofrep/v1/evaluate/flags", [&holder](const httplib::Request& request,
                                                      httplib::Response& response) {
        send_reply(response, evaluate_ofrep_flags(*holder.current(), request.body,
                                                  request.get_header_value("If-None-Match")));
    });
    server.Get("/ofrep/v1/configuration", [](const httplib::Request&, httplib::Response& response) {
        send_json(response, 200, ofrep_configuration());
    });
}

void add_health_routes(httplib::Server& server, const SnapshotHolder& holder) {
    server.Get("/health/live", [](const httplib::Request&, httplib::Response& response) {
        send_json(response, 200, {{"status", "live"}});
    });
    server.Get("/health/ready", [&holder](const httplib::Request&, httplib::Response& response) {
        auto problem = holder.problem();
        auto snapshot = holder.current();
        if (problem.empty())
            send_json(response, 200, {{"status", "ready"}, {"revision", snapshot->revision}});
        else
            send_json(response, 503,
                      {{"status", "store unavailable"},
                       {"error", problem},
                       {"serving_revision", snapshot->revision}});
    });
}

// The runbooks' reads: what `feature-flags list --json`, `get --json` and `launchctl status
// --json` print, for the environment served.
void add_runbook_read_routes(httplib::Server& server, const SnapshotHolder& holder) {
    server.Get("/api/feature-flags",
               [&holder](const httplib::Request&, httplib::Response& response) {
                   auto snapshot = holder.current();
                   auto views = nlohmann::json::array();
                   for (const auto& flag : snapshot->flags)
                       views.push_back(flags::flag_view(flag, snapshot->environment));
                   send_json(response, 200,
                             {{"environment", snapshot->environment},
                              {"revision", snapshot->revision},
                              {"flags", views}});
               });
    server.Get(R"(/api/feature-flags/([^/]+))", [&holder](const httplib::Request& request,
                                                          httplib::Response& response) {
        auto snapshot = holder.current();
        auto name = request.matches[1].str();
        for (const auto& flag : snapshot->flags)
            if (flag.name == name)
                return send_json(response, 200, flags::flag_view(flag, snapshot->environment));
        send_json(response, 404, {{"error", fmt::format("no such flag '{}'", name)}});
    });
    server.Get("/api/launch-controls", [&holder](const httplib::Request&,
                                                 httplib::Response& response) {
        auto snapshot = holder.current();
        auto controls = nlohmann::json::array();
        for (const auto& control : snapshot->launch_controls)
            controls.push_back(flags::to_json(control));
        send_json(response, 200, {{"revision", snapshot->revision}, {"launch_controls", controls}});
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

// Replaces the snapshot after every commit until `stopping`; a store that stops answering marks
// the server not ready (it keeps serving the last snapshot it read).
void refresh_snapshots(store::Store& store, SnapshotHolder& holder, const std::string& environment,
                       const flags::DeclaredControls& declared, std::chrono::milliseconds poll,
                       const std::atomic<bool>& stopping) {
    while (!stopping) {
        auto seen = holder.current()->revision;
        auto changed = store.wait_for_commit(seen, 500ms, poll);
        if (stopping) break;
        if (!changed) {
            holder.set_problem(changed.error().message);
            std::this_thread::sleep_for(poll);
            continue;
        }
        if (!*changed && holder.problem().empty()) continue;
        auto snapshot = load_flag_snapshot(store, environment, declared);
        if (snapshot)
            holder.replace(std::move(*snapshot));
        else
            holder.set_problem(snapshot.error().message);
    }
}

}  // namespace

Result<ExitCode> run_flag_server(Context& context, const FlagServerOptions& options) {
    LAUNCHKIT_TRY_ASSIGN(auto address, parse_listen(options.listen));
    LAUNCHKIT_TRY_ASSIGN(auto environment,
                         flags::resolve_environment(context, options.environment));
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    const auto& declared = context.config.launch_controls;
    LAUNCHKIT_TRY_ASSIGN(auto first, load_flag_snapshot(*store, environment, declared));
    SnapshotHolder holder(std::move(first));

    // SIGTERM and SIGINT are taken by this thread alone (sigtimedwait below), never by a worker.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    httplib::Server server;
    // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, which lets a second server
    // bind the same port and silently take half of its requests.
    server.set_socket_options([](socket_t socket) {
        int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server.set_payload_max_length(options.max_body_bytes);
    server.set_read_timeout(5s);
    server.set_write_timeout(5s);
    auto threads = options.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    add_ofrep_routes(server, holder);
    add_health_routes(server, holder);
    add_runbook_read_routes(server, holder);
    add_error_handlers(server);

    int port = address.port == 0
                   ? server.bind_to_any_port(address.host)
                   : (server.bind_to_port(address.host, address.port) ? address.port : -1);
    if (port <= 0)
        return fail(ExitCode::environment,
                    "--listen {}: cannot listen there (in use, or not an "
                    "address of this machine)",
                    options.listen);
    if (!options.port_file.empty())
        LAUNCHKIT_TRY(util::write_file_atomically(options.port_file, std::to_string(port) + "\n"));
    *context.err << fmt::format("feature-flags: serving {} at http://{}:{} from {} (revision {})\n",
                                environment, address.host, port, store->location(),
                                holder.current()->revision)
                 << std::flush;

    std::atomic<bool> stopping{false};
    std::atomic<bool> listening_ended{false};
    std::thread listener([&] {
        server.listen_after_bind();
        listening_ended = true;
    });
    std::thread refresher([&] {
        refresh_snapshots(*store, holder, environment, declared, options.refresh_poll, stopping);
    });
    int signal = 0;
    timespec tick{0, 200 * 1000 * 1000};
    while (!listening_ended && signal <= 0) signal = sigtimedwait(&stop_signals, nullptr, &tick);
    stopping = true;
    server.stop();  // stops accepting; the pool finishes the requests in flight
    listener.join();
    refresher.join();
    if (signal <= 0) return fail(ExitCode::environment, "the HTTP server stopped by itself");
    *context.err << fmt::format("feature-flags: {}: stopped serving\n",
                                signal == SIGTERM ? "SIGTERM" : "SIGINT");
    return ExitCode::ok;
}

}  // namespace launchkit::serve

#include "support/http_server.h"

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>
#include <catch2/catch.hpp>

#include "util/process.h"

namespace launchkit::testing {

std::pair<std::filesystem::path, std::filesystem::path> make_self_signed_certificate(
    const std::filesystem::path& dir) {
    auto certificate = dir / "cert.pem";
    auto key = dir / "key.pem";
    auto result = util::run_process(util::ProcessSpec{
        .argv = {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                 "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.string(),
                 "-out", certificate.string()}});
    REQUIRE(result);
    INFO(result->stderr_text);
    REQUIRE(result->exit_code == 0);
    return {certificate, key};
}

TestHttpServer::TestHttpServer() : server_(std::make_unique<httplib::Server>()) {
    serve();
}

TestHttpServer::TestHttpServer(const std::filesystem::path& certificate,
                               const std::filesystem::path& key)
    : server_(std::make_unique<httplib::SSLServer>(certificate.c_str(), key.c_str())),
      scheme_("https") {
    REQUIRE(server_->is_valid());
    serve();
}

void TestHttpServer::serve() {
    auto& server = *server_;
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
        ++requests_;
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.Get("/health", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(R"({"status": "ready", "backlog": 3, "checks": {"db": true}})",
                             "application/json");
    });
    server.Get("/starting", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(R"({"status": "starting", "backlog": 250})", "application/json");
    });
    server.Get("/fail", [](const httplib::Request&, httplib::Response& response) {
        response.status = 503;
        response.set_content("unavailable", "text/plain");
    });
    server.Get("/slow", [this](const httplib::Request&, httplib::Response& response) {
        int now = ++concurrent_slow_;
        int seen = max_concurrent_slow_.load();
        while (now > seen && !max_concurrent_slow_.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        --concurrent_slow_;
        response.set_content("slow but fine", "text/plain");
    });
    server.Get("/flap", [this](const httplib::Request&, httplib::Response& response) {
        response.status = (flaps_++ % 2 == 0) ? 200 : 503;
        response.set_content("flap", "text/plain");
    });
    server.Get("/recovering", [this](const httplib::Request&, httplib::Response& response) {
        response.status = recovering_++ < 2 ? 503 : 200;
        response.set_content("recovering", "text/plain");
    });
    server.Get("/metrics", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(R"(# HELP http_request_error_ratio Errors per request.
# TYPE http_request_error_ratio gauge
http_request_error_ratio{service="api"} 0.004
http_request_error_ratio{service="worker",note="a \"quoted\" value"} 0.2
latency_p95_ms{service="api"} 312.5
queue_depth 17 1700000000000
broken_gauge NaN
)",
                             "text/plain; version=0.0.4");
    });
    server.Get("/ops", [this](const httplib::Request&, httplib::Response& response) {
        response.set_content(fmt::format(R"({{"backlog": {}, "failed_jobs": 0}})", backlog_.load()),
                             "application/json");
    });
    server.Get("/malformed", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(R"({"status": "ready")", "application/json");
    });
    server.Get("/redirect", [](const httplib::Request&, httplib::Response& response) {
        response.set_redirect("/health");
    });
    server.Get("/redirect-loop", [](const httplib::Request&, httplib::Response& response) {
        response.set_redirect("/redirect-loop");
    });
    // One byte a second, for ever (until the client gives up).
    server.Get("/trickle", [](const httplib::Request&, httplib::Response& response) {
        response.set_chunked_content_provider("text/plain", [](size_t, httplib::DataSink& sink) {
            std::this_thread::sleep_for(std::chrono::seconds(1));
            return sink.write("#", 1);
        });
    });
    server.Get("/protected", [](const httplib::Request& request, httplib::Response& response) {
        if (request.get_header_value("Authorization") != std::string("Bearer ") + token) {
            response.status = 401;
            response.set_content("missing or wrong token", "text/plain");
            return;
        }
        response.set_content(R"({"failed_jobs": 0, "outbox_age_seconds": 12})", "application/json");
    });
    // 2 MiB of one line ending in "healthy": a long body for patterns that backtrack.
    server.Get("/long-line", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(std::string(2 * 1024 * 1024, 'x') + " healthy", "text/plain");
    });
    // 64 MiB of a valid exposition, streamed: a metrics source that does not stop.
    server.Get("/huge", [](const httplib::Request&, httplib::Response& response) {
        response.set_content_provider("text/plain",
                                      [sent = size_t{0}](size_t, httplib::DataSink& sink) mutable {
                                          static const std::string chunk = [] {
                                              std::string text;
                                              while (text.size() < 64 * 1024)
                                                  text += "padding_metric 1\n";
                                              return text;
                                          }();
                                          if (sent >= 64u * 1024 * 1024) {
                                              sink.done();
                                              return true;
                                          }
                                          sent += chunk.size();
                                          return sink.write(chunk.data(), chunk.size());
                                      });
    });
    server.Post("/echo", [](const httplib::Request& request, httplib::Response& response) {
        response.set_content(
            request.method + " " + request.body + " " + request.get_header_value("X-Probe"),
            "text/plain");
    });
    port_ = server.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([&server] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TestHttpServer::~TestHttpServer() {
    server_->stop();
    thread_.join();
}

std::string TestHttpServer::url(const std::string& path) const {
    return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace launchkit::testing

// The flag server's HTTP layer on its own: route patterns, bodies over the limit, a blocking
// handler that must not hold up the connections sharing its event thread, and a stop that lets
// the request in flight finish.
#include <httplib.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "serve/http_server.h"

using launchkit::serve::HttpServer;
using launchkit::serve::HttpServerOptions;
using launchkit::serve::IncomingRequest;
using launchkit::serve::OutgoingResponse;
using namespace std::chrono_literals;

namespace {

OutgoingResponse text_answer(std::string body, int status = 200) {
    return {.status = status, .content_type = "text/plain", .body = std::move(body)};
}

std::string joined_captures(const IncomingRequest& request) {
    std::string joined;
    for (const auto& capture : request.captures) joined += "[" + capture + "]";
    return joined;
}

int start_on_loopback(HttpServer& server, std::size_t threads = 1) {
    auto port = server.start(HttpServerOptions{
        .host = "127.0.0.1", .port = 0, .threads = threads, .max_body_bytes = 64});
    REQUIRE(port);
    return *port;
}

}  // namespace

TEST_CASE("the HTTP server routes by method and pattern, and answers 404 and 413 itself",
          "[serve][http]") {
    HttpServer server;
    server.route("GET", "/items/{}", [](const IncomingRequest& request) {
        return text_answer("item" + joined_captures(request));
    });
    server.route("GET", "/items/{}/{}", [](const IncomingRequest& request) {
        return text_answer("pair" + joined_captures(request));
    });
    server.route("POST", "/keys/{*}", [](const IncomingRequest& request) {
        return text_answer("key" + joined_captures(request) + " body=" + request.body +
                           " auth=" + request.header("authorization").value_or("none"));
    });
    server.on_error([](int status, const std::string& method, const std::string& path) {
        return text_answer(std::to_string(status) + " " + method + " " + path, status);
    });
    std::atomic<int> answered{0};
    server.on_answered(
        [&](const std::string&, const std::string&, int, std::chrono::nanoseconds) { ++answered; });
    httplib::Client client("127.0.0.1", start_on_loopback(server));

    CHECK(client.Get("/items/a")->body == "item[a]");
    CHECK(client.Get("/items/a/b")->body == "pair[a][b]");
    CHECK(client.Get("/items/a%20b")->body == "item[a b]");
    CHECK(client.Get("/items/a%2Fb")->body == "pair[a][b]");  // decoded before routing
    CHECK(client.Head("/items/a")->status == 200);
    auto key =
        client.Post("/keys/launch.a/b", {{"Authorization", "Bearer x"}}, "{}", "application/json");
    CHECK(key->body == "key[launch.a/b] body={} auth=Bearer x");

    // Paths the patterns do not take: an empty segment, a missing one, one too many, the method.
    for (const auto* path : {"/items/", "/items", "/items/a/b/c", "/keys/", "/other"}) {
        INFO(path);
        auto missing = client.Get(path);
        REQUIRE(missing);
        CHECK(missing->status == 404);
        CHECK(missing->body == std::string("404 GET ") + path);
    }
    CHECK(client.Post("/items/a", "{}", "application/json")->status == 404);

    // 64 bytes allowed: announced larger, or streamed larger without a length.
    auto announced = client.Post("/keys/k", std::string(65, 'x'), "text/plain");
    REQUIRE(announced);
    CHECK(announced->status == 413);
    auto streamed = client.Post(
        "/keys/k",
        [](size_t offset, httplib::DataSink& sink) {
            if (offset < 1000) sink.write(std::string(100, 'y').data(), 100);
            if (offset + 100 >= 1000) sink.done();
            return true;
        },
        "text/plain");
    REQUIRE(streamed);
    CHECK(streamed->status == 413);
    // One that goes on past a MiB more is answered at once and its connection closed: a client
    // still sending may see the 413 or only the closed connection, never a 200.
    auto endless = client.Post(
        "/keys/k",
        [](size_t offset, httplib::DataSink& sink) {
            sink.write(std::string(64 * 1024, 'z').data(), 64 * 1024);
            if (offset > 64 * 1024 * 1024) sink.done();
            return true;
        },
        "text/plain");
    if (endless) CHECK(endless->status == 413);
    CHECK(client.Post("/keys/k", std::string(64, 'x'), "text/plain")->status == 200);
    server.stop();
    CHECK(answered >= 12);
}

TEST_CASE("a blocking handler holds up neither its event thread nor a stop's drain",
          "[serve][http]") {
    HttpServer server;
    std::promise<void> entered;
    std::atomic<bool> release{false};
    server.route(
        "POST", "/slow",
        [&](const IncomingRequest& request) {
            entered.set_value();
            while (!release) std::this_thread::sleep_for(5ms);
            return text_answer("slow " + request.header("X-Name").value_or("?"));
        },
        true);
    server.route("GET", "/fast", [](const IncomingRequest&) { return text_answer("fast"); });
    int port = start_on_loopback(server, 1);  // one event thread for both connections

    auto slow = std::async(std::launch::async, [port] {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(10s);
        return client.Post("/slow", {{"X-Name", "writer"}}, "{}", "application/json");
    });
    entered.get_future().wait();
    httplib::Client fast("127.0.0.1", port);
    auto started = std::chrono::steady_clock::now();
    auto answer = fast.Get("/fast");
    REQUIRE(answer);
    CHECK(answer->body == "fast");
    CHECK(std::chrono::steady_clock::now() - started < 2s);

    // The stop waits for the slow request, which is answered in full.
    auto stopped = std::async(std::launch::async, [&] { server.stop(10s); });
    std::this_thread::sleep_for(100ms);
    CHECK(stopped.wait_for(0s) == std::future_status::timeout);
    release = true;
    stopped.wait();
    auto slow_answer = slow.get();
    REQUIRE(slow_answer);
    CHECK(slow_answer->status == 200);
    CHECK(slow_answer->body == "slow writer");
}

TEST_CASE("the HTTP server says why it cannot listen", "[serve][http]") {
    HttpServer first;
    int port = start_on_loopback(first);
    HttpServer second;
    auto busy = second.start(HttpServerOptions{.host = "127.0.0.1", .port = port});
    REQUIRE_FALSE(busy);
    CHECK_THAT(busy.error().message, Catch::Contains("in use"));
    HttpServer nowhere;
    auto unknown = nowhere.start(HttpServerOptions{.host = "no-such-host.invalid", .port = 0});
    REQUIRE_FALSE(unknown);
}

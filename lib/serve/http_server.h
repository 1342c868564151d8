// The flag server's HTTP/1.1 side, on GNU libmicrohttpd: a few threads, each waiting on epoll for
// many kept-alive connections, so that answering a request costs no thread switch (cpp-httplib's
// thread per connection held the OFREP benchmark near 45,000 answers/s on two cores). Routes
// match a method and a path pattern; a handler whose work may block (a store write, a
// notification) runs on a thread of its own while its connection waits, so it never holds up the
// connections that share its event thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

struct MHD_Connection;

namespace launchkit::serve {

class IncomingRequest {
  public:
    IncomingRequest(MHD_Connection* connection, std::string method, std::string path,
                    std::string body)
        : method(std::move(method)),
          path(std::move(path)),
          body(std::move(body)),
          connection_(connection) {}

    std::string method;
    std::string path;  // percent-decoded, without the query
    std::string body;
    // What the route pattern's `{}` and `{*}` matched, in order.
    std::vector<std::string> captures;

    // A request header by name, case-insensitively; nullopt when absent.
    std::optional<std::string> header(std::string_view name) const;
    // Copies the headers, for a handler that runs after the event thread has moved on.
    void detach_from_connection();

  private:
    MHD_Connection* connection_;
    std::vector<std::pair<std::string, std::string>> copied_headers_{};
};

struct OutgoingResponse {
    int status = 200;
    std::string content_type{};  // empty: no Content-Type (e.g. 304)
    std::string body{};
    std::vector<std::pair<std::string, std::string>> headers{};
};

using RouteHandler = std::function<OutgoingResponse(const IncomingRequest&)>;

struct HttpServerOptions {
    std::string host;
    int port = 0;  // 0: any free port
    // Event threads; 0: one per core.
    std::size_t threads = 0;
    std::size_t max_body_bytes = 64 * 1024;
    // A connection with nothing to say for this long is closed.
    std::chrono::seconds idle_timeout{5};
};

// What every answered request reports (for counters): its method and path, the status sent,
// and the time from its first byte to its last.
using AnswerObserver = std::function<void(const std::string& method, const std::string& path,
                                          int status, std::chrono::nanoseconds latency)>;

class HttpServer {
  public:
    HttpServer();
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // `pattern`: literal segments, `{}` for one non-empty segment, `{*}` (last) for the rest of
    // the path. A HEAD request is answered by the GET route. `blocking`: the handler may take
    // long. Routes are added before start().
    void route(std::string method, std::string pattern, RouteHandler handler,
               bool blocking = false);
    // The answer for a path no route takes (404), a body over the limit (413) or a handler that
    // threw (500); given the status and the request's method and path.
    void on_error(std::function<OutgoingResponse(int status, const std::string& method,
                                                 const std::string& path)>
                      make_error);
    void on_answered(AnswerObserver observer);

    // Listens and serves on background threads; returns the bound port. Exit 3 when the address
    // cannot be bound.
    Result<int> start(const HttpServerOptions& options);
    // Stops accepting, lets the requests in flight finish (up to `drain`), then closes every
    // connection.
    void stop(std::chrono::milliseconds drain = std::chrono::seconds(10));

  private:
    struct Internals;
    std::unique_ptr<Internals> internals_;
};

}  // namespace launchkit::serve

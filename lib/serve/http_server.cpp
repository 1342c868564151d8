#include "serve/http_server.h"

#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "util/strings.h"

namespace launchkit::serve {

namespace {

using Clock = std::chrono::steady_clock;

// How much of a body over the limit is still read (and dropped) before the answer.
constexpr std::size_t discard_beyond_limit = 1024 * 1024;

std::vector<std::string_view> split_segments(std::string_view path) {
    std::vector<std::string_view> parts;
    if (path.empty() || path.front() != '/') return parts;
    std::size_t start = 1;
    while (true) {
        auto slash = path.find('/', start);
        parts.push_back(
            path.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (slash == std::string_view::npos) return parts;
        start = slash + 1;
    }
}

bool match_route(const std::vector<std::string>& segments, std::string_view path,
                 std::vector<std::string>& captures) {
    captures.clear();
    auto parts = split_segments(path);
    if (parts.empty()) return false;
    for (std::size_t index = 0; index < segments.size(); ++index) {
        const auto& segment = segments[index];
        if (segment == "{*}") {
            if (index >= parts.size()) return false;
            auto rest = path.substr(static_cast<std::size_t>(parts[index].data() - path.data()));
            if (rest.empty()) return false;
            captures.emplace_back(rest);
            return true;
        }
        if (index >= parts.size()) return false;
        if (segment == "{}") {
            if (parts[index].empty()) return false;
            captures.emplace_back(parts[index]);
        } else if (parts[index] != segment) {
            return false;
        }
    }
    return parts.size() == segments.size();
}

// One request, from its first call to its completion.
struct RequestState {
    Clock::time_point started = Clock::now();
    std::string method;
    std::string path;
    std::string body;
    bool too_large = false;
    std::size_t discarded = 0;  // bytes of a body over the limit, read and dropped
    bool dispatched = false;
    int status = 0;  // 0: nothing sent
    // A blocking handler's answer, waiting for the event thread to send it.
    std::optional<OutgoingResponse> ready;
};

std::optional<std::string> lookup_header(MHD_Connection* connection, std::string_view name) {
    const char* value = nullptr;
    std::size_t size = 0;
    if (MHD_lookup_connection_value_n(connection, MHD_HEADER_KIND, name.data(), name.size(), &value,
                                      &size) != MHD_YES ||
        value == nullptr)
        return std::nullopt;
    return std::string(value, size);
}

}  // namespace

std::optional<std::string> IncomingRequest::header(std::string_view name) const {
    if (connection_) return lookup_header(connection_, name);
    // Header names are case-insensitive (RFC 9110, 5.1).
    const auto wanted = util::to_lower(name);
    for (const auto& [key, value] : copied_headers_)
        if (util::to_lower(key) == wanted) return value;
    return std::nullopt;
}

void IncomingRequest::detach_from_connection() {
    if (!connection_) return;
    MHD_get_connection_values(
        connection_, MHD_HEADER_KIND,
        [](void* headers, MHD_ValueKind, const char* key, const char* value) -> MHD_Result {
            static_cast<std::vector<std::pair<std::string, std::string>>*>(headers)->emplace_back(
                key, value ? value : "");
            return MHD_YES;
        },
        &copied_headers_);
    connection_ = nullptr;
}

struct HttpServer::Internals {
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        RouteHandler handler;
        bool blocking = false;
    };
    std::vector<Route> routes;
    std::function<OutgoingResponse(int, const std::string&, const std::string&)> make_error =
        [](int status, const std::string&, const std::string&) {
            return OutgoingResponse{.status = status};
        };
    AnswerObserver observer;
    std::size_t max_body_bytes = 0;
    MHD_Daemon* daemon = nullptr;
    int listening = -1;
    std::atomic<int> in_flight{0};

    // The thread blocking handlers run on, one after another.
    std::mutex work_mutex;
    std::condition_variable work_ready;
    std::deque<std::function<void()>> work;
    bool work_ends = false;
    std::thread worker;

    void run_work() {
        while (true) {
            std::function<void()> next;
            {
                std::unique_lock lock(work_mutex);
                work_ready.wait(lock, [&] { return work_ends || !work.empty(); });
                if (work.empty()) return;
                next = std::move(work.front());
                work.pop_front();
            }
            next();
        }
    }

    OutgoingResponse call(const Route& route, const IncomingRequest& request) {
        try {
            return route.handler(request);
        } catch (...) {
            return make_error(500, request.method, request.path);
        }
    }

    MHD_Result send(MHD_Connection* connection, RequestState& state,
                    const OutgoingResponse& answer) {
        auto* response = MHD_create_response_from_buffer(
            answer.body.size(), const_cast<char*>(answer.body.data()), MHD_RESPMEM_MUST_COPY);
        if (!response) return MHD_NO;
        if (!answer.content_type.empty())
            MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                    answer.content_type.c_str());
        for (const auto& [name, value] : answer.headers)
            MHD_add_response_header(response, name.c_str(), value.c_str());
        state.status = answer.status;
        auto result =
            MHD_queue_response(connection, static_cast<unsigned>(answer.status), response);
        MHD_destroy_response(response);
        return result;
    }

    MHD_Result answer_error(MHD_Connection* connection, RequestState& state, int status) {
        return send(connection, state, make_error(status, state.method, state.path));
    }

    const Route* find_route(const std::string& method, const std::string& path,
                            std::vector<std::string>& captures) const {
        std::string_view routed = method == "HEAD" ? std::string_view("GET") : method;
        for (const auto& route : routes)
            if (route.method == routed && match_route(route.segments, path, captures))
                return &route;
        return nullptr;
    }

    MHD_Result dispatch(MHD_Connection* connection, RequestState& state) {
        state.dispatched = true;
        if (state.too_large) return answer_error(connection, state, 413);
        std::vector<std::string> captures;
        const auto* route = find_route(state.method, state.path, captures);
        if (!route) return answer_error(connection, state, 404);
        IncomingRequest request(connection, state.method, state.path, std::move(state.body));
        request.captures = std::move(captures);
        if (!route->blocking) {
            return send(connection, state, call(*route, request));
        }
        // The event thread goes on with its other connections; this one waits for the worker.
        request.detach_from_connection();
        MHD_suspend_connection(connection);
        std::lock_guard lock(work_mutex);
        work.push_back([this, connection, &state, route, request = std::move(request)] {
            state.ready = call(*route, request);
            MHD_resume_connection(connection);
        });
        work_ready.notify_one();
        return MHD_YES;
    }

    static MHD_Result on_request(void* self, MHD_Connection* connection, const char* url,
                                 const char* method, const char*, const char* upload_data,
                                 std::size_t* upload_size, void** context) {
        auto& server = *static_cast<Internals*>(self);
        auto* state = static_cast<RequestState*>(*context);
        if (!state) {
            state = new RequestState;
            state->method = method;
            state->path = url;
            *context = state;
            ++server.in_flight;
            // A body announced larger than allowed is refused before it is read.
            if (auto length = lookup_header(connection, MHD_HTTP_HEADER_CONTENT_LENGTH)) {
                std::size_t bytes = 0;
                auto [end, error] =
                    std::from_chars(length->data(), length->data() + length->size(), bytes);
                if (error != std::errc{} || bytes > server.max_body_bytes) {
                    state->too_large = true;
                    return server.dispatch(connection, *state);
                }
            }
            return MHD_YES;
        }
        if (*upload_size != 0) {
            auto size = *upload_size;
            *upload_size = 0;
            if (state->dispatched) return MHD_YES;  // answered already; the connection closes
            if (!state->too_large && state->body.size() + size > server.max_body_bytes) {
                state->too_large = true;
                std::string().swap(state->body);
            }
            if (!state->too_large) {
                state->body.append(upload_data, size);
                return MHD_YES;
            }
            // A body a little too large is read to its end, so that the client (still sending)
            // sees the 413; one that goes on is answered at once and its connection closed.
            state->discarded += size;
            if (state->discarded > discard_beyond_limit) return server.dispatch(connection, *state);
            return MHD_YES;
        }
        if (state->ready) {
            auto answer = std::move(*state->ready);
            state->ready.reset();
            return server.send(connection, *state, answer);
        }
        if (state->dispatched) return MHD_YES;
        return server.dispatch(connection, *state);
    }

    static void on_completed(void* self, MHD_Connection*, void** context,
                             MHD_RequestTerminationCode) {
        auto& server = *static_cast<Internals*>(self);
        auto* state = static_cast<RequestState*>(*context);
        if (!state) return;
        if (server.observer && state->status != 0)
            server.observer(state->method, state->path, state->status,
                            Clock::now() - state->started);
        delete state;
        *context = nullptr;
        --server.in_flight;
    }
};

HttpServer::HttpServer() : internals_(std::make_unique<Internals>()) {}

HttpServer::~HttpServer() {
    stop(std::chrono::milliseconds(0));
}

void HttpServer::route(std::string method, std::string pattern, RouteHandler handler,
                       bool blocking) {
    Internals::Route route{std::move(method), {}, std::move(handler), blocking};
    for (auto segment : split_segments(pattern)) route.segments.emplace_back(segment);
    internals_->routes.push_back(std::move(route));
}

void HttpServer::on_error(
    std::function<OutgoingResponse(int, const std::string&, const std::string&)> make_error) {
    internals_->make_error = std::move(make_error);
}

void HttpServer::on_answered(AnswerObserver observer) {
    internals_->observer = std::move(observer);
}

Result<int> HttpServer::start(const HttpServerOptions& options) {
    auto& self = *internals_;
    self.max_body_bytes = options.max_body_bytes;

    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    auto port_text = std::to_string(options.port);
    if (int error = getaddrinfo(options.host.c_str(), port_text.c_str(), &hints, &found))
        return fail(ExitCode::environment, "{}: {}", options.host, gai_strerror(error));
    std::string why = "no address";
    int family = AF_INET;
    for (auto* address = found; address; address = address->ai_next) {
        int socket = ::socket(address->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (socket < 0) continue;
        int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(socket, address->ai_addr, address->ai_addrlen) == 0 &&
            ::listen(socket, SOMAXCONN) == 0) {
            self.listening = socket;
            family = address->ai_family;
            break;
        }
        why = std::strerror(errno);
        ::close(socket);
    }
    freeaddrinfo(found);
    if (self.listening < 0) return fail(ExitCode::environment, "{}", why);

    sockaddr_storage bound{};
    socklen_t bound_size = sizeof bound;
    getsockname(self.listening, reinterpret_cast<sockaddr*>(&bound), &bound_size);
    int port = ntohs(family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                        : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

    auto threads = options.threads != 0
                       ? options.threads
                       : std::max<std::size_t>(1, std::thread::hardware_concurrency());
    // Leave descriptors for the store, etcd and notifications.
    rlimit files{};
    unsigned connections = 4096;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
        connections = static_cast<unsigned>(
            std::clamp<rlim_t>(files.rlim_cur > 128 ? files.rlim_cur - 64 : 64, 64, 4096));
    self.worker = std::thread([&self] { self.run_work(); });
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
    if (family == AF_INET6) flags |= MHD_USE_IPv6;
    self.daemon = MHD_start_daemon(
        flags, 0, nullptr, nullptr, &Internals::on_request, &self, MHD_OPTION_LISTEN_SOCKET,
        self.listening, MHD_OPTION_THREAD_POOL_SIZE, static_cast<unsigned>(threads),
        MHD_OPTION_NOTIFY_COMPLETED, &Internals::on_completed, &self, MHD_OPTION_CONNECTION_TIMEOUT,
        static_cast<unsigned>(options.idle_timeout.count()), MHD_OPTION_CONNECTION_LIMIT,
        connections, MHD_OPTION_END);
    if (!self.daemon) {
        stop(std::chrono::milliseconds(0));
        return fail(ExitCode::environment, "libmicrohttpd did not start");
    }
    return port;
}

void HttpServer::stop(std::chrono::milliseconds drain) {
    auto& self = *internals_;
    if (self.daemon) {
        MHD_quiesce_daemon(self.daemon);
        auto deadline = Clock::now() + drain;
        while (self.in_flight > 0 && Clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (self.worker.joinable()) {
        {
            std::lock_guard lock(self.work_mutex);
            self.work_ends = true;
        }
        self.work_ready.notify_all();
        // Resumes whatever it still holds: a suspended connection must not outlive the daemon.
        self.worker.join();
    }
    if (self.daemon) {
        MHD_stop_daemon(self.daemon);
        self.daemon = nullptr;
    }
    if (self.listening >= 0) {
        ::close(self.listening);
        self.listening = -1;
    }
}

}  // namespace launchkit::serve

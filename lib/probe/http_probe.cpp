#include "probe/http_probe.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>

#include <strings.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "probe/curl_library.h"
#include "util/bounded_json.h"
#include "util/duration.h"
#include "util/file_descriptor.h"
#include "util/file_io.h"
#include "util/pattern.h"
#include "util/strings.h"

namespace launchkit::probe {
namespace {

// One of at most `parallel` transfer slots: its curl handle is prepared again for check after
// check, so memory stays bounded however many checks there are, and the multi handle's
// connection cache hands a kept-alive connection to the next request for the same host.
struct Transfer {
    explicit Transfer(const CurlLibrary& curl) : http(curl) {}
    HttpTransfer http;
    const Check* check = nullptr;
    size_t index = 0;  // of the check in the caller's list
};

// The request a check makes; an error (a token missing) settles the check before it is sent.
Result<HttpRequest> request_for(const Check& check) {
    const auto& probe = std::get<HttpProbe>(check.probe);
    HttpRequest request;
    request.method = probe.method;
    request.url = probe.url;
    request.headers = probe.headers;
    request.body = probe.body;
    request.timeout = check.timeout;
    request.follow_redirects = probe.follow_redirects;
    request.verify_tls = probe.verify_tls;
    request.ca_file = probe.ca_file;
    request.user_agent = "launchkit-diagnose";
    // A probe judges the status and the start of the body: a page larger than this is cut, not
    // a failure, and memory stays bounded however many checks there are.
    request.max_body_bytes = 4 * 1024 * 1024;
    request.cut_oversize_body = true;
    LAUNCHKIT_TRY_ASSIGN(request.bearer_token, read_token({probe.token_env, probe.token_file}));
    return request;
}

bool compare_json(const nlohmann::json& actual, Comparison comparison,
                  const nlohmann::json& expected) {
    switch (comparison) {
        case Comparison::equal:
            return actual == expected;
        case Comparison::not_equal:
            return actual != expected;
        default:
            break;
    }
    if (!actual.is_number() || !expected.is_number()) return false;
    return compare_numbers(actual.get<double>(), comparison, expected.get<double>());
}

std::string describe_statuses(const std::vector<StatusRange>& ranges) {
    std::string text;
    for (const auto& range : ranges) {
        if (!text.empty()) text += ", ";
        text += range.low == range.high ? std::to_string(range.low)
                                        : fmt::format("{}-{}", range.low, range.high);
    }
    return text;
}

}  // namespace

std::optional<std::string> find_http_failure(const HttpExpectation& expect,
                                             const HttpResponse& response) {
    static const std::vector<StatusRange> any_success{{200, 299}};
    const auto& statuses = expect.statuses.empty() ? any_success : expect.statuses;
    bool status_ok = std::any_of(statuses.begin(), statuses.end(), [&](const StatusRange& range) {
        return range.contains(response.status);
    });
    if (!status_ok)
        return fmt::format("status {}, expected {}", response.status, describe_statuses(statuses));
    for (const auto& text : expect.body_contains)
        if (response.body.find(text) == std::string::npos)
            return fmt::format("body does not contain '{}'", text);
    if (!expect.body_regex.empty()) {
        auto pattern = util::Pattern::compile(expect.body_regex);
        if (!pattern) return fmt::format("body_regex /{}/: {}", expect.body_regex, pattern.error());
        auto found = pattern->search(response.body);
        if (!found) return fmt::format("body not judged: {}", found.error());
        if (!*found) return fmt::format("body does not match /{}/", expect.body_regex);
    }
    if (!expect.json.empty()) {
        auto parsed = util::parse_json(response.body);
        if (!parsed) return fmt::format("body is {}", parsed.error().message);
        const auto& json = *parsed;
        for (const auto& expectation : expect.json) {
            const auto* found =
                util::find_pointer(json, nlohmann::json::json_pointer(expectation.pointer));
            if (!found) return fmt::format("{} is missing from the JSON body", expectation.pointer);
            const auto& actual = *found;
            if (!compare_json(actual, expectation.comparison, expectation.value))
                return fmt::format("{} is {}, expected {} {}", expectation.pointer,
                                   util::dump_json(actual), to_string(expectation.comparison),
                                   util::dump_json(expectation.value));
        }
    }
    for (const auto& header : expect.headers) {
        auto found = std::find_if(
            response.headers.begin(), response.headers.end(), [&](const auto& received) {
                return strcasecmp(received.first.c_str(), header.name.c_str()) == 0;
            });
        if (found == response.headers.end())
            return fmt::format("header {} is missing", header.name);
        if (found->second.find(header.contains) == std::string::npos)
            return fmt::format("header {} is '{}', expected it to contain '{}'", header.name,
                               found->second, header.contains);
    }
    if (expect.max_latency && response.latency > *expect.max_latency)
        return fmt::format("latency {}, expected at most {}",
                           util::format_duration(response.latency),
                           util::format_duration(*expect.max_latency));
    return std::nullopt;
}

namespace {

// Readiness from epoll, handed to curl socket by socket (curl_multi_socket_action): each wake-up
// costs the sockets that are ready, where curl_multi_poll and curl_multi_perform cost every
// transfer in flight (64 or 256 of them) each time one answers.
struct EventLoop {
    const CurlLibrary* curl = nullptr;
    CURLM* multi = nullptr;
    util::FileDescriptor epoll{};
    // When curl wants CURL_SOCKET_TIMEOUT handed to it (connect and request timeouts, a handle
    // just added); none when it has no timer.
    std::optional<std::chrono::steady_clock::time_point> deadline{};

    static int on_socket(CURL*, curl_socket_t socket, int what, void* user, void*) {
        auto* loop = static_cast<EventLoop*>(user);
        if (what == CURL_POLL_REMOVE) {
            epoll_ctl(loop->epoll.get(), EPOLL_CTL_DEL, socket, nullptr);  // may be closed already
            return 0;
        }
        epoll_event event{};
        event.data.fd = socket;
        if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) event.events |= EPOLLIN;
        if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) event.events |= EPOLLOUT;
        if (epoll_ctl(loop->epoll.get(), EPOLL_CTL_MOD, socket, &event) != 0 && errno == ENOENT)
            epoll_ctl(loop->epoll.get(), EPOLL_CTL_ADD, socket, &event);
        return 0;
    }
    static int on_timer(CURLM*, long timeout_ms, void* user) {
        auto* loop = static_cast<EventLoop*>(user);
        if (timeout_ms < 0)
            loop->deadline.reset();
        else
            loop->deadline =
                std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        return 0;
    }

    // Waits for the next socket event or curl's timer and lets curl act on it.
    void step() {
        using namespace std::chrono;
        std::array<epoll_event, 64> events{};
        int running = 0;
        int wait_ms = 100;  // no timer: wake now and then all the same
        if (deadline) {
            auto left = ceil<milliseconds>(*deadline - steady_clock::now()).count();
            wait_ms = static_cast<int>(std::clamp<long>(left, 0, 100));
        }
        int ready =
            epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()), wait_ms);
        for (int i = 0; i < ready; ++i) {
            int flags = 0;
            if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
            if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
            if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
            curl->curl_multi_socket_action(multi, events[i].data.fd, flags, &running);
        }
        if (ready <= 0 || (deadline && steady_clock::now() >= *deadline)) {
            deadline.reset();  // curl sets the next one while it acts
            curl->curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
    }
};

}  // namespace

std::vector<ProbeResult> run_http_probes(const std::vector<const Check*>& checks, int parallel) {
    std::vector<ProbeResult> results;
    results.reserve(checks.size());
    for (const auto* check : checks) results.push_back(result_for(*check));
    if (checks.empty()) return results;
    auto loaded = load_curl();
    if (!loaded) {  // fail closed: a check that could not run never passes
        for (auto& result : results) result.detail = loaded.error().message;
        return results;
    }
    const CurlLibrary& curl = **loaded;
    EventLoop loop{&curl, curl.curl_multi_init(),
                   util::FileDescriptor(epoll_create1(EPOLL_CLOEXEC))};
    if (loop.multi == nullptr || !loop.epoll) {
        for (auto& result : results)
            result.detail = loop.multi ? fmt::format("cannot create an epoll instance: {}",
                                                     std::strerror(errno))
                                       : std::string("cannot create a curl multi handle");
        if (loop.multi) curl.curl_multi_cleanup(loop.multi);
        return results;
    }
    CURLM* multi = loop.multi;
    curl.curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &EventLoop::on_socket);
    curl.curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, static_cast<void*>(&loop));
    curl.curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &EventLoop::on_timer);
    curl.curl_multi_setopt(multi, CURLMOPT_TIMERDATA, static_cast<void*>(&loop));

    size_t slots = std::min(checks.size(), static_cast<size_t>(std::max(parallel, 1)));
    // Keep as many idle connections as there can be transfers, so none is closed only to be
    // opened again by the next check for the same host.
    curl.curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(slots));
    std::vector<std::unique_ptr<Transfer>> pool;
    std::vector<Transfer*> idle;
    size_t next = 0;
    int in_flight = 0;
    // Starts checks on idle slots; a check that fails before sending (a token missing, no curl
    // handle) is settled at once and its slot taken by the next.
    auto start_more = [&] {
        while (next < checks.size()) {
            if (idle.empty()) {
                if (pool.size() >= slots) return;
                pool.push_back(std::make_unique<Transfer>(curl));
                idle.push_back(pool.back().get());
            }
            Transfer* transfer = idle.back();
            size_t index = next++;
            if (!transfer->http.valid()) {
                results[index].detail = "cannot create a curl handle";
                continue;
            }
            auto request = request_for(*checks[index]);
            if (!request) {
                results[index].detail = request.error().message;
                continue;
            }
            transfer->check = checks[index];
            transfer->index = index;
            transfer->http.prepare(std::move(*request));
            CURL* easy = transfer->http.handle();
            curl.curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(transfer));
            curl.curl_multi_add_handle(multi, easy);
            idle.pop_back();
            ++in_flight;
        }
    };
    // Settles every finished transfer and hands its slot to the next check.
    auto collect = [&] {
        int queued = 0;
        while (CURLMsg* message = curl.curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE) continue;
            void* pointer = nullptr;
            curl.curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &pointer);
            auto& transfer = *static_cast<Transfer*>(pointer);
            auto& result = results[transfer.index];
            auto response = transfer.http.complete(message->data.result);
            result.latency = transfer.http.latency();
            if (!response) {
                result.detail = response.error().message;
            } else {
                result.http_status = response->status;
                const auto& expect = std::get<HttpProbe>(transfer.check->probe).expect;
                auto failure = find_http_failure(expect, *response);
                result.passed = !failure;
                result.detail = failure ? *failure : fmt::format("HTTP {}", response->status);
            }
            curl.curl_multi_remove_handle(multi, transfer.http.handle());
            idle.push_back(&transfer);
            --in_flight;
        }
    };
    start_more();
    while (in_flight > 0) {
        loop.step();
        collect();
        start_more();
    }
    pool.clear();  // easy handles go before the multi handle that holds their connections
    curl.curl_multi_cleanup(multi);
    return results;
}

}  // namespace launchkit::probe

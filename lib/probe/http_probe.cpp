#include "probe/http_probe.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <regex>

#include <strings.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "probe/curl_library.h"
#include "util/duration.h"
#include "util/file_descriptor.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace launchkit::probe {
namespace {

// A response body beyond this is cut: health endpoints are small, and a probe must not buffer a
// runaway download.
constexpr size_t max_body_bytes = 4 * 1024 * 1024;

// One of at most `parallel` transfer slots: its curl handle is reset and reused for check after
// check, so memory stays bounded however many checks there are, and the multi handle's
// connection cache hands a kept-alive connection to the next request for the same host.
struct Transfer {
    const CurlLibrary* curl = nullptr;
    const Check* check = nullptr;
    const HttpProbe* http = nullptr;
    size_t index = 0;  // of the check in the caller's list
    CURL* easy = nullptr;
    curl_slist* request_headers = nullptr;
    HttpResponse response;
    std::string setup_error;  // failed before the request was sent (token missing, ...)
    char error_buffer[CURL_ERROR_SIZE] = {};

    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;
    explicit Transfer(const CurlLibrary& library) : curl(&library), easy(curl->curl_easy_init()) {}
    ~Transfer() {
        if (easy) curl->curl_easy_cleanup(easy);
        curl->curl_slist_free_all(request_headers);
    }

    // Forgets the previous check's request and answer; keeps the handle (and its connection).
    void reset_for(const Check& next, size_t position) {
        check = &next;
        http = &std::get<HttpProbe>(next.probe);
        index = position;
        curl->curl_easy_reset(easy);
        curl->curl_slist_free_all(request_headers);
        request_headers = nullptr;
        response = HttpResponse{};
        setup_error.clear();
        error_buffer[0] = '\0';
    }
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    size_t bytes = size * count;
    auto& body = transfer->response.body;
    body.append(data, std::min(bytes, max_body_bytes - std::min(max_body_bytes, body.size())));
    return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    // A new status line (after a redirect or 100-continue) starts a new set of headers.
    if (line.starts_with("HTTP/")) transfer->response.headers.clear();
    if (auto colon = line.find(':'); colon != std::string_view::npos) {
        transfer->response.headers.emplace_back(std::string(util::trim(line.substr(0, colon))),
                                                std::string(util::trim(line.substr(colon + 1))));
    }
    return size * count;
}

// The bearer token from the environment or a file: kept in memory only, never in a message.
std::optional<std::string> read_token(const HttpProbe& http, std::string& error) {
    if (!http.token_env.empty()) {
        const char* value = std::getenv(http.token_env.c_str());
        if (value == nullptr || *value == '\0') {
            error = fmt::format("token_env {} is not set", http.token_env);
            return std::nullopt;
        }
        return std::string(value);
    }
    if (!http.token_file.empty()) {
        auto text = util::read_file(http.token_file);
        if (!text) {
            error = fmt::format("cannot read token_file {}", http.token_file.string());
            return std::nullopt;
        }
        auto token = std::string(util::trim(*text));
        if (token.empty()) {
            error = fmt::format("token_file {} is empty", http.token_file.string());
            return std::nullopt;
        }
        return token;
    }
    return std::string();
}

void configure(Transfer& transfer) {
    const auto& http = *transfer.http;
    const auto& curl = *transfer.curl;
    CURL* easy = transfer.easy;
    curl.curl_easy_setopt(easy, CURLOPT_URL, http.url.c_str());
    curl.curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl.curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl.curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                          static_cast<long>(transfer.check->timeout.count()));
    curl.curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, http.follow_redirects ? 1L : 0L);
    curl.curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 10L);
    curl.curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, http.verify_tls ? 1L : 0L);
    curl.curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, http.verify_tls ? 2L : 0L);
    if (!http.ca_file.empty()) curl.curl_easy_setopt(easy, CURLOPT_CAINFO, http.ca_file.c_str());
    curl.curl_easy_setopt(easy, CURLOPT_USERAGENT, "launchkit-diagnose");
    curl.curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer);
    curl.curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl.curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl.curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl.curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
    if (http.method == "HEAD") {
        curl.curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (http.method != "GET") {
        curl.curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, http.method.c_str());
    }
    if (!http.body.empty() || http.method == "POST") {
        curl.curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(http.body.size()));
        curl.curl_easy_setopt(easy, CURLOPT_POSTFIELDS, http.body.c_str());
    }
    for (const auto& [name, value] : http.headers)
        transfer.request_headers =
            curl.curl_slist_append(transfer.request_headers, (name + ": " + value).c_str());
    std::string error;
    auto token = read_token(http, error);
    if (!token) {
        transfer.setup_error = error;
        return;
    }
    if (!token->empty())
        transfer.request_headers = curl.curl_slist_append(
            transfer.request_headers, ("Authorization: Bearer " + *token).c_str());
    if (transfer.request_headers)
        curl.curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.request_headers);
}

std::string describe_curl_error(const Transfer& transfer, CURLcode code) {
    if (code == CURLE_OPERATION_TIMEDOUT)
        return fmt::format("timed out after {}", util::format_duration(transfer.check->timeout));
    std::string detail =
        transfer.error_buffer[0] ? transfer.error_buffer : transfer.curl->curl_easy_strerror(code);
    return fmt::format("request failed: {}", detail);
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
    if (!expect.body_regex.empty() &&
        !std::regex_search(response.body, std::regex(expect.body_regex)))
        return fmt::format("body does not match /{}/", expect.body_regex);
    if (!expect.json.empty()) {
        auto json = nlohmann::json::parse(response.body, nullptr, false);
        if (json.is_discarded()) return std::string("body is not valid JSON");
        for (const auto& expectation : expect.json) {
            nlohmann::json::json_pointer pointer(expectation.pointer);
            if (!json.contains(pointer))
                return fmt::format("{} is missing from the JSON body", expectation.pointer);
            const auto& actual = json.at(pointer);
            if (!compare_json(actual, expectation.comparison, expectation.value))
                return fmt::format("{} is {}, expected {} {}", expectation.pointer, actual.dump(),
                                   to_string(expectation.comparison), expectation.value.dump());
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
        return fmt::format("latency {}ms, expected at most {}ms", response.latency.count(),
                           expect.max_latency->count());
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
            if (transfer->easy == nullptr) {
                results[index].detail = "cannot create a curl handle";
                continue;
            }
            transfer->reset_for(*checks[index], index);
            configure(*transfer);
            if (!transfer->setup_error.empty()) {
                results[index].detail = transfer->setup_error;
                continue;
            }
            curl.curl_easy_setopt(transfer->easy, CURLOPT_PRIVATE, static_cast<void*>(transfer));
            curl.curl_multi_add_handle(multi, transfer->easy);
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
            curl_off_t total_us = 0;
            curl.curl_easy_getinfo(transfer.easy, CURLINFO_TOTAL_TIME_T, &total_us);
            result.latency = std::chrono::milliseconds(total_us / 1000);
            transfer.response.latency = result.latency;
            if (message->data.result != CURLE_OK) {
                result.detail = describe_curl_error(transfer, message->data.result);
            } else {
                long status = 0;
                curl.curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
                transfer.response.status = static_cast<int>(status);
                result.http_status = static_cast<int>(status);
                auto failure = find_http_failure(transfer.http->expect, transfer.response);
                result.passed = !failure;
                result.detail = failure ? *failure : fmt::format("HTTP {}", status);
            }
            curl.curl_multi_remove_handle(multi, transfer.easy);
            transfer.response = HttpResponse{};  // an idle slot holds no body
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

// One HTTP client for everything launchkit asks over HTTP: health probes, metric sources,
// webhooks and playbook HTTP calls. One request description, one way to set up a libcurl handle
// (http and https only, timeouts, TLS, headers, a bearer token, a bounded body) and one token
// lookup, so a fix to any of them reaches every caller.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "probe/curl_library.h"

namespace launchkit::probe {

// Where a bearer token comes from: an environment variable or a file (trimmed), never argv.
struct TokenSource {
    std::string env{};
    std::filesystem::path file{};
};

// The token ("" when the source names neither). An unset or empty variable, an unreadable or empty
// file is an error (exit code 3) naming the variable or file, never the value.
Result<std::string> read_token(const TokenSource& source);

inline constexpr size_t default_max_body_bytes = 8 * 1024 * 1024;

struct HttpRequest {
    std::string method = "GET";
    std::string url{};
    std::vector<std::pair<std::string, std::string>> headers{};
    std::string body{};          // sent when not empty, or for a POST
    std::string content_type{};  // a Content-Type header when not empty
    std::string bearer_token{};  // an Authorization header when not empty; never printed
    std::chrono::milliseconds timeout{30'000};
    bool follow_redirects = false;
    bool verify_tls = true;
    std::filesystem::path ca_file{};  // extra trust anchor for self-signed servers
    // A client certificate and its key (PEM) for servers that ask for one (etcd with TLS).
    std::filesystem::path client_cert_file{};
    std::filesystem::path client_key_file{};
    std::string user_agent = "launchkit";
    // The most of a body kept. A larger answer fails the request (a metrics endpoint streaming
    // gigabytes), unless `cut_oversize_body`: a probe judging status and the body's start.
    size_t max_body_bytes = default_max_body_bytes;
    bool cut_oversize_body = false;
    // A stream that does not end by itself (etcd's watch): called as the body grows; true ends
    // the transfer there, as a complete answer. With it, the timeout passing after the answer
    // began also ends it as a complete answer (nothing more came), not as an error.
    std::function<bool(std::string_view body)> stop_when{};
};

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers{};
    std::string body{};  // at most the request's max_body_bytes
    std::chrono::milliseconds latency{0};
};

// One libcurl easy handle, reusable request after request (its connection stays cached). Run it
// with curl_easy_perform or a multi handle, then read the answer with complete().
class HttpTransfer {
  public:
    explicit HttpTransfer(const CurlLibrary& curl);
    ~HttpTransfer();
    HttpTransfer(const HttpTransfer&) = delete;
    HttpTransfer& operator=(const HttpTransfer&) = delete;

    // False when libcurl could not create the handle.
    bool valid() const { return easy_ != nullptr; }
    CURL* handle() const { return easy_; }
    // Forgets the previous request and its answer and sets the handle up for `request`.
    void prepare(HttpRequest request);
    // After the transfer ended with `code`: the response (any status), or why there is none
    // ("timed out after 5s", "request failed: ..."; exit code 3).
    Result<HttpResponse> complete(CURLcode code);
    // How long the last transfer took, answered or not.
    std::chrono::milliseconds latency() const { return latency_; }

  private:
    static size_t on_body(char* data, size_t size, size_t count, void* user);
    static size_t on_header(char* data, size_t size, size_t count, void* user);

    const CurlLibrary* curl_;
    CURL* easy_;
    HttpRequest request_{};  // curl reads the body from here while the transfer runs
    curl_slist* request_headers_ = nullptr;
    HttpResponse response_{};
    bool body_too_large_ = false;  // the answer passed max_body_bytes and the transfer stopped
    bool stopped_ = false;         // stop_when ended the stream
    std::chrono::milliseconds latency_{0};
    char error_buffer_[CURL_ERROR_SIZE] = {};
};

// Sends one request and waits for the answer, whatever its status; an error (exit code 3) only
// when no answer came, naming the URL.
Result<HttpResponse> send_http(const HttpRequest& request);

// Sends one request and returns the body of a 2xx answer; no answer or another status is an error
// (exit code 3) naming the URL.
Result<std::string> fetch_ok(const HttpRequest& request);

}  // namespace launchkit::probe

#include "probe/http_client.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "util/duration.h"
#include "util/file_io.h"
#include "util/progress_meter.h"
#include "util/strings.h"

namespace launchkit::probe {

Result<std::string> read_token(const TokenSource& source) {
    if (!source.env.empty()) {
        const char* value = std::getenv(source.env.c_str());
        if (value == nullptr || *value == '\0')
            return fail(ExitCode::environment, "token_env {} is not set", source.env);
        return std::string(value);
    }
    if (!source.file.empty()) {
        auto text = util::read_file(source.file);
        if (!text)
            return fail(ExitCode::environment, "cannot read token_file {}", source.file.string());
        auto token = std::string(util::trim(*text));
        if (token.empty())
            return fail(ExitCode::environment, "token_file {} is empty", source.file.string());
        return token;
    }
    return std::string();
}

HttpTransfer::HttpTransfer(const CurlLibrary& curl) : curl_(&curl), easy_(curl.curl_easy_init()) {}

HttpTransfer::~HttpTransfer() {
    if (easy_) curl_->curl_easy_cleanup(easy_);
    curl_->curl_slist_free_all(request_headers_);
}

size_t HttpTransfer::on_body(char* data, size_t size, size_t count, void* user) {
    auto& transfer = *static_cast<HttpTransfer*>(user);
    auto& body = transfer.response_.body;
    size_t bytes = size * count;
    size_t limit = transfer.request_.max_body_bytes;
    if (body.size() + bytes > limit && !transfer.request_.cut_oversize_body) {
        transfer.body_too_large_ = true;
        return 0;  // curl stops the transfer with CURLE_WRITE_ERROR
    }
    body.append(data, std::min(bytes, limit - std::min(limit, body.size())));
    if (transfer.request_.stop_when && transfer.request_.stop_when(body)) {
        transfer.stopped_ = true;
        return 0;
    }
    return bytes;
}

size_t HttpTransfer::on_header(char* data, size_t size, size_t count, void* user) {
    auto& headers = static_cast<HttpTransfer*>(user)->response_.headers;
    std::string_view line(data, size * count);
    // A new status line (after a redirect or 100-continue) starts a new set of headers.
    if (line.starts_with("HTTP/")) headers.clear();
    if (auto colon = line.find(':'); colon != std::string_view::npos)
        headers.emplace_back(std::string(util::trim(line.substr(0, colon))),
                             std::string(util::trim(line.substr(colon + 1))));
    return size * count;
}

void HttpTransfer::prepare(HttpRequest request) {
    const auto& curl = *curl_;
    curl.curl_easy_reset(easy_);  // keeps the handle's connection for the next request
    curl.curl_slist_free_all(request_headers_);
    request_headers_ = nullptr;
    response_ = HttpResponse{};
    body_too_large_ = false;
    stopped_ = false;
    latency_ = std::chrono::milliseconds(0);
    error_buffer_[0] = '\0';
    request_ = std::move(request);
    const auto& r = request_;
    curl.curl_easy_setopt(easy_, CURLOPT_URL, r.url.c_str());
    curl.curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.curl_easy_setopt(easy_, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl.curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl.curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl.curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, r.follow_redirects ? 1L : 0L);
    curl.curl_easy_setopt(easy_, CURLOPT_MAXREDIRS, 10L);
    curl.curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, r.verify_tls ? 1L : 0L);
    curl.curl_easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, r.verify_tls ? 2L : 0L);
    if (!r.ca_file.empty()) curl.curl_easy_setopt(easy_, CURLOPT_CAINFO, r.ca_file.c_str());
    if (!r.client_cert_file.empty())
        curl.curl_easy_setopt(easy_, CURLOPT_SSLCERT, r.client_cert_file.c_str());
    if (!r.client_key_file.empty())
        curl.curl_easy_setopt(easy_, CURLOPT_SSLKEY, r.client_key_file.c_str());
    curl.curl_easy_setopt(easy_, CURLOPT_USERAGENT, r.user_agent.c_str());
    curl.curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_buffer_);
    curl.curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &HttpTransfer::on_body);
    curl.curl_easy_setopt(easy_, CURLOPT_WRITEDATA, static_cast<void*>(this));
    curl.curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &HttpTransfer::on_header);
    curl.curl_easy_setopt(easy_, CURLOPT_HEADERDATA, static_cast<void*>(this));
    if (r.method == "HEAD")
        curl.curl_easy_setopt(easy_, CURLOPT_NOBODY, 1L);
    else if (r.method != "GET" && r.method != "POST")
        curl.curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    if (!r.body.empty() || r.method == "POST") {
        // POSTFIELDS is not copied: curl reads request_.body while the transfer runs.
        curl.curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
        curl.curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, r.body.c_str());
    }
    auto add_header = [&](const std::string& line) {
        request_headers_ = curl.curl_slist_append(request_headers_, line.c_str());
    };
    for (const auto& [name, value] : r.headers) add_header(name + ": " + value);
    if (!r.content_type.empty()) add_header("Content-Type: " + r.content_type);
    if (!r.bearer_token.empty()) add_header("Authorization: Bearer " + r.bearer_token);
    if (request_headers_) curl.curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, request_headers_);
}

Result<HttpResponse> HttpTransfer::complete(CURLcode code) {
    curl_off_t total_us = 0;
    curl_->curl_easy_getinfo(easy_, CURLINFO_TOTAL_TIME_T, &total_us);
    latency_ = response_.latency = std::chrono::milliseconds(total_us / 1000);
    long status = 0;
    curl_->curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    // A stream ends where the caller stopped it, or quietly at the timeout once it has begun.
    bool stream_ended = request_.stop_when && ((code == CURLE_WRITE_ERROR && stopped_) ||
                                               (code == CURLE_OPERATION_TIMEDOUT && status != 0));
    if (stream_ended) code = CURLE_OK;
    if (code == CURLE_OPERATION_TIMEDOUT)
        return fail(ExitCode::environment, "timed out after {}",
                    util::format_duration(request_.timeout));
    if (body_too_large_)
        return fail(ExitCode::environment, "the answer is larger than {} (the most read)",
                    util::format_bytes(request_.max_body_bytes));
    if (code != CURLE_OK)
        return fail(ExitCode::environment, "request failed: {}",
                    error_buffer_[0] ? error_buffer_ : curl_->curl_easy_strerror(code));
    response_.status = static_cast<int>(status);
    return std::exchange(response_, HttpResponse{});
}

Result<HttpResponse> send_http(const HttpRequest& request) {
    LAUNCHKIT_TRY_ASSIGN(const CurlLibrary* curl, load_curl());
    HttpTransfer transfer(*curl);
    if (!transfer.valid()) return fail(ExitCode::environment, "cannot create a curl handle");
    transfer.prepare(request);
    auto response = transfer.complete(curl->curl_easy_perform(transfer.handle()));
    if (!response)
        return std::unexpected(with_context(response.error(), "cannot reach " + request.url));
    return response;
}

Result<std::string> fetch_ok(const HttpRequest& request) {
    LAUNCHKIT_TRY_ASSIGN(auto response, send_http(request));
    if (response.status < 200 || response.status > 299)
        return fail(ExitCode::environment, "{} answered HTTP {}", request.url, response.status);
    return std::move(response.body);
}

}  // namespace launchkit::probe

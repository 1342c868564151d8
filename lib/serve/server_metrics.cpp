#include "serve/server_metrics.h"

#include <fmt/format.h>

namespace launchkit::serve {

namespace {

// Prometheus label values escape backslash, double quote and newline.
std::string label(std::string_view value) {
    std::string escaped;
    for (char c : value) {
        if (c == '\\' || c == '"') escaped += '\\';
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += c;
    }
    return escaped;
}

}  // namespace

void ServerMetrics::count_request(const std::string& route, int status,
                                  std::chrono::nanoseconds latency) {
    double seconds = std::chrono::duration<double>(latency).count();
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    auto& histogram = latency_[route];
    for (size_t i = 0; i < latency_buckets.size(); ++i)
        if (seconds <= latency_buckets[i]) ++histogram.buckets[i];
    ++histogram.count;
    histogram.sum += seconds;
}

void ServerMetrics::count_evaluation(const std::string& flag, const std::string& result) {
    std::lock_guard lock(mutex_);
    ++evaluations_[{flag, result}];
}

std::string ServerMetrics::prometheus_text() const {
    std::lock_guard lock(mutex_);
    std::string text;
    text +=
        "# HELP launchkit_http_requests_total HTTP requests by route and status code.\n"
        "# TYPE launchkit_http_requests_total counter\n";
    for (const auto& [key, count] : requests_)
        text += fmt::format("launchkit_http_requests_total{{route=\"{}\",code=\"{}\"}} {}\n",
                            label(key.first), key.second, count);
    text +=
        "# HELP launchkit_http_request_duration_seconds Time to answer a request.\n"
        "# TYPE launchkit_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_) {
        for (size_t i = 0; i < latency_buckets.size(); ++i)
            text += fmt::format(
                "launchkit_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                label(route), latency_buckets[i], histogram.buckets[i]);
        text += fmt::format(
            "launchkit_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
            label(route), histogram.count);
        text += fmt::format("launchkit_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                            label(route), histogram.sum);
        text += fmt::format("launchkit_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                            label(route), histogram.count);
    }
    text +=
        "# HELP launchkit_flag_evaluations_total Flag evaluations by flag and result.\n"
        "# TYPE launchkit_flag_evaluations_total counter\n";
    for (const auto& [key, count] : evaluations_)
        text += fmt::format("launchkit_flag_evaluations_total{{flag=\"{}\",result=\"{}\"}} {}\n",
                            label(key.first), label(key.second), count);
    return text;
}

nlohmann::json ServerMetrics::usage() const {
    std::lock_guard lock(mutex_);
    auto rows = nlohmann::json::array();
    for (const auto& [key, count] : evaluations_)
        rows.push_back({{"flag", key.first}, {"result", key.second}, {"count", count}});
    return rows;
}

std::string route_of(const std::string& method, const std::string& path) {
    static const std::pair<std::string_view, std::string_view> prefixes[] = {
        {"/ofrep/v1/evaluate/flags/", "/ofrep/v1/evaluate/flags/{key}"},
        {"/api/feature-flags/", "/api/feature-flags/{name}"},
        {"/api/launch-controls/", "/api/launch-controls/{name}/{action}"},
    };
    static const std::string_view exact[] = {"/ofrep/v1/evaluate/flags",
                                             "/ofrep/v1/configuration",
                                             "/api/feature-flags",
                                             "/api/launch-controls",
                                             "/api/usage",
                                             "/health/live",
                                             "/health/ready",
                                             "/metrics"};
    std::string route = "other";
    for (auto known : exact)
        if (path == known) route = known;
    if (route == "other")
        for (const auto& [prefix, pattern] : prefixes)
            if (path.starts_with(prefix)) {
                route = pattern;
                break;
            }
    if (route == "/api/feature-flags/{name}" &&
        (path == "/api/feature-flags/enable" || path == "/api/feature-flags/disable"))
        route = path;
    return method + " " + route;
}

}  // namespace launchkit::serve

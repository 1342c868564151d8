// What the flag server counts, for `/metrics` (Prometheus text format) and `feature-flags usage`:
// requests by route and status, their latency, and evaluations by flag and result, so "monitor
// feature usage" is a Prometheus query. Safe to update from every request thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace launchkit::serve {

class ServerMetrics {
  public:
    // Upper bounds of the latency histogram's buckets, in seconds (then +Inf).
    static constexpr std::array<double, 11> latency_buckets = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};

    // `route` is the route's pattern ("/ofrep/v1/evaluate/flags/{key}"), never the raw path, so
    // clients cannot grow the label set.
    void count_request(const std::string& route, int status, std::chrono::nanoseconds latency);
    // `result`: "true", "false", a variant's name, or an OFREP error code; a key the server does
    // not have counts as flag "(unknown)".
    void count_evaluation(const std::string& flag, const std::string& result);

    // The Prometheus text exposition of everything counted.
    std::string prometheus_text() const;
    // [{flag, result, count}] sorted by flag then result.
    nlohmann::json usage() const;

  private:
    struct Latency {
        std::array<std::uint64_t, latency_buckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Latency> latency_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> evaluations_;
};

// The route pattern a path is served by, for the request counters.
std::string route_of(const std::string& method, const std::string& path);

}  // namespace launchkit::serve

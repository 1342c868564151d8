// Reading metric values for SLO rules: from a Prometheus text exposition endpoint (/metrics), from
// a JSON endpoint through JSON Pointers, or from the Prometheus HTTP query API.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"

namespace launchkit::probe {

enum class MetricSourceKind { prometheus_text, json, prometheus_api };

struct MetricSource {
    std::string name{};
    MetricSourceKind kind = MetricSourceKind::prometheus_text;
    std::string url{};  // the endpoint; for prometheus_api the server's base URL
    std::string token_env{};
    std::filesystem::path token_file{};
    std::chrono::milliseconds timeout{5000};  // the whole answer, not only the connection
    size_t max_body_bytes = 8 * 1024 * 1024;  // a larger answer is no data (`max_body: 16MiB`)
};

inline constexpr std::uint64_t max_source_body_bytes = 1024ULL * 1024 * 1024;

// One series in a text exposition: `http_requests_total{code="500",method="GET"} 42`.
struct Sample {
    std::string name{};
    std::map<std::string, std::string> labels{};
    double value = 0;
};

// Parses the Prometheus text exposition format (comments and blank lines skipped). A malformed
// line is an error naming its line number.
Result<std::vector<Sample>> parse_prometheus_text(std::string_view text);

// A selector `name{label="value",...}`: the samples it matches (all listed labels equal).
struct Selector {
    std::string name{};
    std::map<std::string, std::string> labels{};
};
std::optional<Selector> parse_selector(std::string_view text);
std::vector<const Sample*> select_samples(const std::vector<Sample>& samples,
                                          const Selector& selector);

// GETs `url` (bearer token from the source, never printed). Errors are exit code 3 and name the
// URL; a non-2xx status is an error too.
Result<std::string> fetch_text(const MetricSource& source, const std::string& url);

// Runs an instant PromQL query against the Prometheus HTTP API (GET /api/v1/query) and returns
// its single value; a query answering no series, or several, is an error saying so.
Result<double> query_prometheus(const MetricSource& source, const std::string& query);

// Runs a range query (GET /api/v1/query_range, times in Unix seconds) and returns the values of
// its single series in time order (NaN where Prometheus answered NaN); no series is no values.
Result<std::vector<double>> query_prometheus_range(const MetricSource& source,
                                                   const std::string& query, double start,
                                                   double end, double step);

}  // namespace launchkit::probe

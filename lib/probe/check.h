// What a health check is: the probe to run (HTTP, TCP connect, command) and what counts as
// passing. Value types built by the checklist parser and by `diagnose probe`.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace launchkit::probe {

enum class Severity { critical, warning };

std::string_view to_string(Severity severity);

// An inclusive range of HTTP status codes; one code is a range of one.
struct StatusRange {
    int low = 200;
    int high = 299;
    bool contains(int status) const { return status >= low && status <= high; }
};

enum class Comparison { equal, not_equal, less, less_equal, greater, greater_equal };

std::string_view to_string(Comparison comparison);

// `left OP right` for numbers.
bool compare_numbers(double left, Comparison comparison, double right);

// The value at a JSON Pointer compared with an expected value: `/status == "ready"`,
// `/backlog < 100`.
struct JsonExpectation {
    std::string pointer{};
    Comparison comparison = Comparison::equal;
    nlohmann::json value{};
};

struct HeaderExpectation {
    std::string name{};      // case-insensitive
    std::string contains{};  // empty: only that the header is present
};

struct HttpExpectation {
    std::vector<StatusRange> statuses{};  // empty: any 2xx
    std::vector<std::string> body_contains{};
    std::string body_regex{};  // ECMAScript; empty: none
    std::vector<JsonExpectation> json{};
    std::vector<HeaderExpectation> headers{};
    std::optional<std::chrono::milliseconds> max_latency{};
};

struct HttpProbe {
    std::string url{};
    std::string method = "GET";
    std::vector<std::pair<std::string, std::string>> headers{};
    std::string body{};
    // A bearer token is read from a variable or a file at run time and never printed.
    std::string token_env{};
    std::filesystem::path token_file{};
    std::filesystem::path ca_file{};  // extra trust anchor for self-signed servers
    bool verify_tls = true;
    bool follow_redirects = false;
    HttpExpectation expect{};
};

struct TcpProbe {
    std::string host{};
    int port = 0;
};

struct CommandProbe {
    std::vector<std::string> argv{};
    std::vector<std::pair<std::string, std::string>> environment{};
    std::filesystem::path working_directory{};
    int expect_exit = 0;
    std::string stdout_contains{};
    std::string stderr_contains{};
};

// Free space on the file system holding `path`.
struct DiskProbe {
    std::filesystem::path path{};
    std::optional<std::uint64_t> min_free_bytes{};
    std::optional<double> min_free_percent{};
};

// How old a file is ("the latest backup is younger than 24 h"); for a directory, its newest entry.
struct FileAgeProbe {
    std::filesystem::path path{};
    std::chrono::milliseconds max_age{0};
};

// When and how often a check is probed, with Kubernetes' probe vocabulary. The defaults make
// `diagnose run` a single pass; `failure_threshold: 3` gives Kubernetes' tolerance.
struct CheckTiming {
    std::chrono::milliseconds initial_delay{0};
    std::chrono::milliseconds period{10'000};
    int success_threshold = 1;  // consecutive passes before the check counts as passing
    int failure_threshold = 1;  // consecutive failures before it counts as failing
    // Passing only after passing continuously this long (every probe in the window passed).
    std::optional<std::chrono::milliseconds> stable_for{};
    int retries = 0;                         // failed attempts retried before one counts
    std::chrono::milliseconds backoff{500};  // first retry delay, doubled each retry
};

struct Check {
    std::string name{};
    std::variant<HttpProbe, TcpProbe, CommandProbe, DiskProbe, FileAgeProbe> probe{};
    Severity severity = Severity::critical;
    std::vector<std::string> tags{};
    std::chrono::milliseconds timeout{5000};
    CheckTiming timing{};
};

struct Checklist {
    std::filesystem::path source{};
    std::vector<Check> checks{};
};

// What the probe kind is called in output: "http", "tcp", "command", "disk", "file_age".
std::string_view probe_kind(const Check& check);

// Parses "POINTER OP VALUE" (`/status == "ready"`, `/backlog < 100`, `/ok == true`); VALUE is JSON,
// or a bare word taken as a string. Errors (exit code 2) quote the text.
std::optional<JsonExpectation> parse_json_expectation(std::string_view text);

// Parses "200", "200-299", "2xx" into a range.
std::optional<StatusRange> parse_status_range(std::string_view text);

}  // namespace launchkit::probe

#include "probe/metric_source.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "probe/curl_library.h"
#include "probe/http_client.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace launchkit::probe {
namespace {

std::optional<double> parse_number(std::string_view text) {
    if (text == "NaN") return std::nan("");
    if (text == "+Inf" || text == "Inf") return HUGE_VAL;
    if (text == "-Inf") return -HUGE_VAL;
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Reads `{a="1",b="2"}` starting at text[0] == '{'; returns the position after '}'.
std::optional<size_t> parse_labels(std::string_view text,
                                   std::map<std::string, std::string>& labels) {
    size_t position = 1;
    while (position < text.size()) {
        while (position < text.size() && (text[position] == ' ' || text[position] == ','))
            ++position;
        if (position < text.size() && text[position] == '}') return position + 1;
        auto equals = text.find('=', position);
        if (equals == std::string_view::npos || equals + 1 >= text.size() ||
            text[equals + 1] != '"')
            return std::nullopt;
        auto name = std::string(util::trim(text.substr(position, equals - position)));
        std::string value;
        size_t cursor = equals + 2;
        for (; cursor < text.size() && text[cursor] != '"'; ++cursor) {
            if (text[cursor] == '\\' && cursor + 1 < text.size()) {
                ++cursor;
                value += text[cursor] == 'n' ? '\n' : text[cursor];
            } else {
                value += text[cursor];
            }
        }
        if (cursor >= text.size() || name.empty()) return std::nullopt;
        labels[name] = value;
        position = cursor + 1;
    }
    return std::nullopt;
}

}  // namespace

Result<std::vector<Sample>> parse_prometheus_text(std::string_view text) {
    std::vector<Sample> samples;
    size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        auto newline = text.find('\n');
        auto line = util::trim(text.substr(0, newline));
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (line.empty() || line.front() == '#') continue;
        Sample sample;
        size_t name_end = line.find_first_of("{ ");
        if (name_end == std::string_view::npos || name_end == 0)
            return fail(ExitCode::environment, "metrics line {}: expected 'name value'",
                        line_number);
        sample.name = std::string(line.substr(0, name_end));
        auto rest = line.substr(name_end);
        if (rest.front() == '{') {
            auto after = parse_labels(rest, sample.labels);
            if (!after)
                return fail(ExitCode::environment, "metrics line {}: malformed labels",
                            line_number);
            rest = rest.substr(*after);
        }
        rest = util::trim(rest);
        auto value_text = rest.substr(0, rest.find(' '));  // a timestamp may follow
        auto value = parse_number(value_text);
        if (!value)
            return fail(ExitCode::environment, "metrics line {}: '{}' is not a number", line_number,
                        value_text);
        sample.value = *value;
        samples.push_back(std::move(sample));
    }
    return samples;
}

std::optional<Selector> parse_selector(std::string_view text) {
    text = util::trim(text);
    Selector selector;
    auto brace = text.find('{');
    selector.name = std::string(util::trim(text.substr(0, brace)));
    if (selector.name.empty()) return std::nullopt;
    for (char c : selector.name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':'))
            return std::nullopt;
    if (brace == std::string_view::npos) return selector;
    auto after = parse_labels(text.substr(brace), selector.labels);
    if (!after || *after != text.size() - brace) return std::nullopt;
    return selector;
}

std::vector<const Sample*> select_samples(const std::vector<Sample>& samples,
                                          const Selector& selector) {
    std::vector<const Sample*> matches;
    for (const auto& sample : samples) {
        if (sample.name != selector.name) continue;
        bool all = true;
        for (const auto& [label, value] : selector.labels) {
            auto found = sample.labels.find(label);
            all = all && found != sample.labels.end() && found->second == value;
        }
        if (all) matches.push_back(&sample);
    }
    return matches;
}

Result<std::string> fetch_text(const MetricSource& source, const std::string& url) {
    auto in_source = [&](Error error) {
        return std::unexpected(
            with_context(std::move(error), fmt::format("source '{}'", source.name)));
    };
    HttpRequest request;
    request.url = url;
    request.timeout = source.timeout;
    request.max_body_bytes = source.max_body_bytes;
    auto token = read_token({source.token_env, source.token_file});
    if (!token) return in_source(token.error());
    request.bearer_token = std::move(*token);
    auto body = fetch_ok(request);
    if (!body) return in_source(body.error());
    return body;
}

namespace {

// GETs an API path with the query URL-encoded; the answer must be a JSON {"status": "success"}.
Result<nlohmann::json> prometheus_api(const MetricSource& source, std::string_view path,
                                      const std::string& query, std::string_view extra) {
    LAUNCHKIT_TRY_ASSIGN(const CurlLibrary* library, load_curl());
    const CurlLibrary& curl = *library;
    std::string url = source.url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    char* escaped = curl.curl_easy_escape(nullptr, query.c_str(), static_cast<int>(query.size()));
    if (escaped == nullptr) return fail(ExitCode::environment, "cannot encode the query");
    url += path;
    url += "?query=";
    url += escaped;
    url += extra;
    curl.curl_free(escaped);
    LAUNCHKIT_TRY_ASSIGN(auto body, fetch_text(source, url));
    auto json = util::parse_json(body).value_or(nlohmann::json());
    if (util::string_member(json, "status") != "success")
        return fail(ExitCode::environment, "source '{}': {} did not answer a successful query",
                    source.name, source.url);
    return json;
}

}  // namespace

Result<std::vector<double>> query_prometheus_range(const MetricSource& source,
                                                   const std::string& query, double start,
                                                   double end, double step) {
    LAUNCHKIT_TRY_ASSIGN(auto json, prometheus_api(source, "/api/v1/query_range", query,
                                                   fmt::format("&start={:.3f}&end={:.3f}&step={:g}",
                                                               start, end, step)));
    try {
        const auto& data = json.at("data");
        if (data.at("resultType").get<std::string>() != "matrix")
            return fail(ExitCode::environment, "query_range '{}' did not return a matrix", query);
        const auto& result = data.at("result");
        if (result.size() > 1)
            return fail(ExitCode::environment,
                        "query '{}' returned {} series; aggregate it (sum, max, ...)", query,
                        result.size());
        std::vector<double> values;
        if (result.empty()) return values;  // no data: the judge says NODATA
        for (const auto& pair : result.at(0).at("values")) {
            auto value = parse_number(pair.at(1).get<std::string>());
            values.push_back(value ? *value : std::nan(""));
        }
        return values;
    } catch (const nlohmann::json::exception& error) {
        return fail(ExitCode::environment, "source '{}': unexpected query_range answer: {}",
                    source.name, error.what());
    }
}

Result<double> query_prometheus(const MetricSource& source, const std::string& query) {
    LAUNCHKIT_TRY_ASSIGN(auto json, prometheus_api(source, "/api/v1/query", query, ""));
    try {
        const auto& data = json.at("data");
        auto type = data.at("resultType").get<std::string>();
        const auto& result = data.at("result");
        const nlohmann::json* pair = nullptr;
        if (type == "scalar") {
            pair = &result;
        } else if (type == "vector") {
            if (result.empty())
                return fail(ExitCode::said_no, "query '{}' returned no series", query);
            if (result.size() > 1)
                return fail(ExitCode::invalid_input,
                            "query '{}' returned {} series; aggregate it (sum, max, ...)", query,
                            result.size());
            pair = &result.at(0).at("value");
        } else {
            return fail(ExitCode::invalid_input, "query '{}' returned a {}, expected one value",
                        query, type);
        }
        auto value = parse_number(pair->at(1).get<std::string>());
        if (!value)
            return fail(ExitCode::said_no, "query '{}' returned a value that is not a number",
                        query);
        return *value;
    } catch (const nlohmann::json::exception& error) {
        return fail(ExitCode::environment, "source '{}': unexpected query answer: {}", source.name,
                    error.what());
    }
}

}  // namespace launchkit::probe

#include "probe/slo.h"

#include <cmath>

#include "core/yaml_reader.h"
#include "probe/filesystem_probe.h"
#include "util/bounded_json.h"
#include "util/duration.h"
#include "util/strings.h"

namespace launchkit::probe {
namespace {

Result<MetricSource> read_source(const YamlReader& reader, const std::string& name,
                                 const YamlNode& node, const std::string& field) {
    if (!node.is_map())
        return reader.invalid(node, field,
                              "expected {prometheus_text: URL}, {json: URL} or {prometheus: URL}");
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".",
                                   {"prometheus_text", "json", "prometheus", "token_env",
                                    "token_file", "timeout", "max_body"}));
    MetricSource source;
    source.name = name;
    int kinds = 0;
    for (const char* kind : {"prometheus_text", "json", "prometheus"}) kinds += node[kind] ? 1 : 0;
    if (kinds != 1)
        return reader.invalid(node, field,
                              "expected exactly one of prometheus_text: URL, json: URL or "
                              "prometheus: URL");
    for (auto [key, kind] : {std::pair{"prometheus_text", MetricSourceKind::prometheus_text},
                             std::pair{"json", MetricSourceKind::json},
                             std::pair{"prometheus", MetricSourceKind::prometheus_api}}) {
        if (!node[key]) continue;
        source.kind = kind;
        LAUNCHKIT_TRY_ASSIGN(source.url, reader.text(node[key], field + "." + key));
    }
    if (!(source.url.starts_with("http://") || source.url.starts_with("https://")))
        return reader.invalid(node, field, "expected an http:// or https:// URL");
    LAUNCHKIT_TRY_ASSIGN(source.token_env, reader.text(node["token_env"], field + ".token_env"));
    LAUNCHKIT_TRY_ASSIGN(auto token_file, reader.text(node["token_file"], field + ".token_file"));
    if (!token_file.empty())
        source.token_file = std::filesystem::absolute(reader.source()).parent_path() / token_file;
    if (node["max_body"]) {
        LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(node["max_body"], field + ".max_body"));
        auto bytes = parse_size(text);
        if (!bytes || *bytes == 0 || *bytes > max_source_body_bytes)
            return reader.invalid(node["max_body"], field + ".max_body",
                                  "expected a size such as 16MiB, at most 1GiB");
        source.max_body_bytes = static_cast<size_t>(*bytes);
    }
    if (node["timeout"]) {
        LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(node["timeout"], field + ".timeout"));
        auto timeout = util::parse_duration(text);
        if (!timeout)
            return reader.invalid(node["timeout"], field + ".timeout", timeout.error().message);
        source.timeout = *timeout;
    }
    return source;
}

struct SourceData {
    std::string error;
    std::vector<Sample> samples;
    nlohmann::json json;
};

// A metric's value, or why there is none.
std::pair<std::optional<double>, std::string> metric_value(const MetricDefinition& metric,
                                                           const MetricSource& source,
                                                           const SourceData& data) {
    if (!data.error.empty()) return {std::nullopt, data.error};
    if (source.kind == MetricSourceKind::json) {
        const auto* found =
            util::find_pointer(data.json, nlohmann::json::json_pointer(metric.pointer));
        if (!found)
            return {std::nullopt, fmt::format("{} is missing from {}", metric.pointer, source.url)};
        const auto& value = *found;
        if (!value.is_number())
            return {std::nullopt,
                    fmt::format("{} is {}, not a number", metric.pointer, util::dump_json(value))};
        return {value.get<double>(), ""};
    }
    auto selector = parse_selector(metric.select);
    auto matches = select_samples(data.samples, *selector);
    if (matches.empty())
        return {std::nullopt, fmt::format("no series {} at {}", metric.select, source.url)};
    if (matches.size() > 1)
        return {std::nullopt, fmt::format("{} matches {} series; add labels to pick one",
                                          metric.select, matches.size())};
    return {matches.front()->value, ""};
}

}  // namespace

Result<void> read_metric_sections(const YamlReader& reader, const YamlNode& root, SloRules& rules) {
    const auto& sources = root["sources"];
    if (!sources || !sources.is_map() || sources.size() == 0)
        return reader.invalid(sources ? sources : root, "sources",
                              "expected a mapping of source names to endpoints");
    for (const auto& entry : sources.entries()) {
        auto name = entry.first.text();
        LAUNCHKIT_TRY_ASSIGN(auto parsed,
                             read_source(reader, name, entry.second, "sources." + name));
        rules.sources.emplace(name, std::move(parsed));
    }
    const auto& metrics = root["metrics"];
    if (!metrics || !metrics.is_map() || metrics.size() == 0)
        return reader.invalid(metrics ? metrics : root, "metrics",
                              "expected a mapping of metric names to {source, select|pointer}");
    for (const auto& entry : metrics.entries()) {
        auto name = entry.first.text();
        auto field = "metrics." + name;
        const auto& node = entry.second;
        if (!node.is_map()) return reader.invalid(node, field, "expected {source, select|pointer}");
        LAUNCHKIT_TRY(
            reader.only_keys(node, field + ".", {"source", "select", "pointer", "query"}));
        MetricDefinition metric;
        metric.name = name;
        LAUNCHKIT_TRY_ASSIGN(metric.source, reader.text(node["source"], field + ".source"));
        auto found = rules.sources.find(metric.source);
        if (found == rules.sources.end())
            return reader.invalid(node["source"] ? node["source"] : node, field + ".source",
                                  fmt::format("no source '{}' under sources:", metric.source));
        LAUNCHKIT_TRY_ASSIGN(metric.select, reader.text(node["select"], field + ".select"));
        LAUNCHKIT_TRY_ASSIGN(metric.pointer, reader.text(node["pointer"], field + ".pointer"));
        LAUNCHKIT_TRY_ASSIGN(metric.query, reader.text(node["query"], field + ".query"));
        if (found->second.kind == MetricSourceKind::prometheus_api) {
            if (metric.query.empty())
                return reader.invalid(node, field + ".query",
                                      "a prometheus source needs query: PROMQL");
        } else if (found->second.kind == MetricSourceKind::json) {
            if (metric.pointer.empty() || metric.pointer.front() != '/')
                return reader.invalid(node, field + ".pointer",
                                      "a json source needs pointer: /path/to/value");
            try {
                nlohmann::json::json_pointer check(metric.pointer);
            } catch (const nlohmann::json::exception&) {
                return reader.invalid(node["pointer"], field + ".pointer", "not a JSON Pointer");
            }
        } else if (!parse_selector(metric.select)) {
            return reader.invalid(node["select"] ? node["select"] : node, field + ".select",
                                  "a prometheus_text source needs select: name{label=\"value\"}");
        }
        rules.metrics.emplace(name, std::move(metric));
    }
    return {};
}

Result<SloRules> parse_slo_rules(std::string_view yaml_text, const std::filesystem::path& source) {
    YamlReader reader(source.string());
    LAUNCHKIT_TRY_ASSIGN(YamlNode root, reader.load(yaml_text));
    if (!root.is_map()) return reader.invalid(root, "document", "expected sources, metrics, rules");
    // The rules (rules:, thresholds:) and the other decision settings are the decision engine's to
    // read: one file serves snapshot and compare, slo, analyze and gates.
    LAUNCHKIT_TRY(reader.only_keys(root, "",
                                   {"sources", "metrics", "rules", "compare", "thresholds",
                                    "analysis", "canary", "matrix", "on_no_data"}));
    SloRules rules;
    rules.source = source;
    LAUNCHKIT_TRY(read_metric_sections(reader, root, rules));
    if (const auto& compare = root["compare"]) {
        if (!compare.is_map())
            return reader.invalid(compare, "compare",
                                  "expected a mapping of metric names to {max_increase: N or N%}");
        for (const auto& entry : compare.entries()) {
            auto name = entry.first.text();
            auto field = "compare." + name;
            if (!rules.metrics.contains(name))
                return reader.invalid(
                    entry.first, field,
                    fmt::format("no metric '{}' is defined under metrics:", name));
            if (!entry.second.is_map())
                return reader.invalid(entry.second, field, "expected {max_increase: N or N%}");
            LAUNCHKIT_TRY(reader.only_keys(entry.second, field + ".", {"max_increase"}));
            LAUNCHKIT_TRY_ASSIGN(
                auto text, reader.text(entry.second["max_increase"], field + ".max_increase"));
            GrowthTolerance tolerance;
            tolerance.percent = text.ends_with('%');
            if (tolerance.percent) text.pop_back();
            auto number = nlohmann::json::parse(text, nullptr, false);
            if (text.empty() || !number.is_number() || number.get<double>() < 0)
                return reader.invalid(entry.second, field + ".max_increase",
                                      "expected a number >= 0, or a percentage such as 10%");
            tolerance.amount = number.get<double>();
            rules.compare[name] = tolerance;
        }
    }
    return rules;
}

std::map<std::string, MetricReading> read_metrics(const SloRules& rules) {
    std::map<std::string, SourceData> data;
    for (const auto& [name, source] : rules.sources) {
        auto& fetched = data[name];
        if (source.kind == MetricSourceKind::prometheus_api) continue;  // one query per metric
        auto body = fetch_text(source, source.url);
        if (!body) {
            fetched.error = body.error().message;
            continue;
        }
        if (source.kind == MetricSourceKind::json) {
            auto json = util::parse_json(*body);
            if (json)
                fetched.json = std::move(*json);
            else
                fetched.error = fmt::format("{} did not answer usable JSON: {}", source.url,
                                            json.error().message);
        } else {
            auto samples = parse_prometheus_text(*body);
            if (samples)
                fetched.samples = std::move(*samples);
            else
                fetched.error = fmt::format("{}: {}", source.url, samples.error().message);
        }
    }
    std::map<std::string, MetricReading> readings;
    for (const auto& [name, metric] : rules.metrics) {
        const auto& source = rules.sources.at(metric.source);
        if (source.kind == MetricSourceKind::prometheus_api) {
            auto value = query_prometheus(source, metric.query);
            // An environment error is the server failing; any other is its answer holding no
            // usable value (no series, several).
            readings[name] = value ? MetricReading{*value, "", false}
                                   : MetricReading{std::nullopt, value.error().message,
                                                   value.error().code == ExitCode::environment};
            continue;
        }
        const auto& fetched = data.at(metric.source);
        auto [value, problem] = metric_value(metric, source, fetched);
        readings[name] = MetricReading{value, problem, !fetched.error.empty()};
    }
    return readings;
}

Result<void> override_source_urls(SloRules& rules, const std::vector<std::string>& assignments) {
    for (const auto& assignment : assignments) {
        auto equals = assignment.find('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == assignment.size())
            return fail(ExitCode::invalid_input, "source '{}': expected NAME=URL", assignment);
        auto name = assignment.substr(0, equals);
        auto found = rules.sources.find(name);
        if (found == rules.sources.end()) {
            std::string known;
            for (const auto& [source, unused] : rules.sources)
                known += (known.empty() ? "" : ", ") + source;
            return fail(ExitCode::invalid_input, "source {}: {} defines no source '{}' ({})",
                        assignment, rules.source.string(), name,
                        known.empty() ? "it has none" : "it has " + known);
        }
        found->second.url = assignment.substr(equals + 1);
    }
    return {};
}

}  // namespace launchkit::probe

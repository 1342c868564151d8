#include "probe/checklist_parser.h"

#include <set>

#include "core/yaml_reader.h"
#include "probe/filesystem_probe.h"
#include "util/duration.h"
#include "util/file_io.h"
#include "util/pattern.h"

namespace launchkit::probe {
namespace {

using Field = std::string;

Result<std::chrono::milliseconds> read_duration(const YamlReader& reader, const YamlNode& node,
                                                const Field& field) {
    LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(node, field));
    auto duration = util::parse_duration(text);
    if (!duration || duration->count() == 0)
        return reader.invalid(
            node, field,
            fmt::format("expected a duration such as 500ms, 5s or 1m, got '{}'", text));
    return *duration;
}

Result<std::vector<std::pair<std::string, std::string>>> read_string_map(const YamlReader& reader,
                                                                         const YamlNode& node,
                                                                         const Field& field) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (!node || node.is_null()) return pairs;
    if (!node.is_map()) return reader.invalid(node, field, "expected a mapping of names to values");
    for (const auto& entry : node.entries()) {
        auto key = entry.first.text();
        LAUNCHKIT_TRY_ASSIGN(auto value, reader.text(entry.second, field + "." + key));
        pairs.emplace_back(key, value);
    }
    return pairs;
}

Result<JsonExpectation> read_json_expectation(const YamlReader& reader, const std::string& pointer,
                                              const YamlNode& node, const Field& field) {
    if (pointer.empty() || pointer.front() != '/')
        return reader.invalid(node, field, "a JSON Pointer starts with '/' (e.g. /status)");
    if (!node.is_scalar())
        return reader.invalid(node, field, "expected a value or a comparison such as '< 100'");
    auto value = YamlReader::scalar_json(node);
    // A string that starts with an operator is a comparison: "/backlog": "< 100".
    if (value.is_string()) {
        auto text = value.get<std::string>();
        for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
            if (!text.starts_with(op)) continue;
            auto parsed = parse_json_expectation(pointer + " " + text);
            if (!parsed)
                return reader.invalid(node, field,
                                      fmt::format("cannot read the comparison '{}'", text));
            return *parsed;
        }
    }
    JsonExpectation expectation;
    expectation.pointer = pointer;
    expectation.value = value;
    try {
        nlohmann::json::json_pointer check(pointer);
    } catch (const nlohmann::json::exception&) {
        return reader.invalid(node, field, fmt::format("'{}' is not a JSON Pointer", pointer));
    }
    return expectation;
}

Result<HttpExpectation> read_http_expectation(const YamlReader& reader, const YamlNode& node,
                                              const Field& field) {
    HttpExpectation expect;
    if (!node || node.is_null()) return expect;
    if (!node.is_map()) return reader.invalid(node, field, "expected a mapping");
    const YamlNode& fields = node;
    LAUNCHKIT_TRY(reader.only_keys(
        node, field + ".",
        {"status", "body_contains", "body_regex", "json", "headers", "max_latency_ms"}));
    if (const auto& status = fields["status"]) {
        LAUNCHKIT_TRY_ASSIGN(auto texts, reader.text_list(status, field + ".status"));
        expect.statuses.clear();
        for (const auto& text : texts) {
            auto range = parse_status_range(text);
            if (!range)
                return reader.invalid(
                    status, field + ".status",
                    fmt::format("'{}' is not a status (200, 200-299 or 2xx)", text));
            expect.statuses.push_back(*range);
        }
        if (expect.statuses.empty())
            return reader.invalid(status, field + ".status", "expected at least one status");
    }
    LAUNCHKIT_TRY_ASSIGN(expect.body_contains,
                         reader.text_list(fields["body_contains"], field + ".body_contains"));
    LAUNCHKIT_TRY_ASSIGN(expect.body_regex,
                         reader.text(fields["body_regex"], field + ".body_regex"));
    if (!expect.body_regex.empty()) {
        if (auto compiled = util::Pattern::compile(expect.body_regex); !compiled)
            return reader.invalid(fields["body_regex"], field + ".body_regex",
                                  fmt::format("invalid regular expression: {}", compiled.error()));
    }
    if (const auto& json = fields["json"]) {
        if (!json.is_map())
            return reader.invalid(json, field + ".json",
                                  "expected a mapping of JSON Pointer to expected value");
        for (const auto& entry : json.entries()) {
            auto pointer = entry.first.text();
            LAUNCHKIT_TRY_ASSIGN(
                auto expectation,
                read_json_expectation(reader, pointer, entry.second, field + ".json." + pointer));
            expect.json.push_back(std::move(expectation));
        }
    }
    LAUNCHKIT_TRY_ASSIGN(auto headers,
                         read_string_map(reader, fields["headers"], field + ".headers"));
    for (auto& [name, contains] : headers) expect.headers.push_back({name, contains});
    if (const auto& latency = fields["max_latency_ms"]) {
        LAUNCHKIT_TRY_ASSIGN(auto ms,
                             reader.integer(latency, field + ".max_latency_ms", 1, 3'600'000));
        expect.max_latency = std::chrono::milliseconds(ms);
    }
    return expect;
}

std::filesystem::path relative_to_checklist(const YamlReader& reader, const std::string& path) {
    return std::filesystem::absolute(reader.source()).parent_path() / path;
}

Result<HttpProbe> read_http(const YamlReader& reader, const YamlNode& node, const Field& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected a mapping with a url");
    const YamlNode& fields = node;
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".",
                                   {"url", "method", "headers", "body", "token_env", "token_file",
                                    "ca_file", "verify_tls", "follow_redirects", "expect"}));
    HttpProbe http;
    LAUNCHKIT_TRY_ASSIGN(http.url, reader.text(fields["url"], field + ".url"));
    if (!(http.url.starts_with("http://") || http.url.starts_with("https://")))
        return reader.invalid(fields["url"] ? fields["url"] : node, field + ".url",
                              "expected an http:// or https:// URL");
    if (fields["method"]) {
        LAUNCHKIT_TRY_ASSIGN(http.method, reader.text(fields["method"], field + ".method"));
        static const std::set<std::string> methods{"GET",   "HEAD",   "POST",   "PUT",
                                                   "PATCH", "DELETE", "OPTIONS"};
        if (!methods.contains(http.method))
            return reader.invalid(fields["method"], field + ".method",
                                  "expected GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS");
    }
    LAUNCHKIT_TRY_ASSIGN(http.headers,
                         read_string_map(reader, fields["headers"], field + ".headers"));
    LAUNCHKIT_TRY_ASSIGN(http.body, reader.text(fields["body"], field + ".body"));
    LAUNCHKIT_TRY_ASSIGN(http.token_env, reader.text(fields["token_env"], field + ".token_env"));
    LAUNCHKIT_TRY_ASSIGN(auto token_file, reader.text(fields["token_file"], field + ".token_file"));
    LAUNCHKIT_TRY_ASSIGN(auto ca_file, reader.text(fields["ca_file"], field + ".ca_file"));
    // Relative paths are relative to the checklist, not to wherever diagnose was run from.
    if (!token_file.empty()) http.token_file = relative_to_checklist(reader, token_file);
    if (!ca_file.empty()) http.ca_file = relative_to_checklist(reader, ca_file);
    if (!http.token_env.empty() && !http.token_file.empty())
        return reader.invalid(fields["token_file"], field + ".token_file",
                              "give token_env or token_file, not both");
    if (fields["verify_tls"]) {
        LAUNCHKIT_TRY_ASSIGN(http.verify_tls,
                             reader.boolean(fields["verify_tls"], field + ".verify_tls"));
    }
    if (fields["follow_redirects"]) {
        LAUNCHKIT_TRY_ASSIGN(http.follow_redirects, reader.boolean(fields["follow_redirects"],
                                                                   field + ".follow_redirects"));
    }
    LAUNCHKIT_TRY_ASSIGN(http.expect,
                         read_http_expectation(reader, fields["expect"], field + ".expect"));
    return http;
}

Result<TcpProbe> read_tcp(const YamlReader& reader, const YamlNode& node, const Field& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected {host: ..., port: ...}");
    const YamlNode& fields = node;
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".", {"host", "port"}));
    TcpProbe tcp;
    LAUNCHKIT_TRY_ASSIGN(tcp.host, reader.text(fields["host"], field + ".host"));
    if (tcp.host.empty()) return reader.invalid(node, field + ".host", "missing");
    LAUNCHKIT_TRY_ASSIGN(auto port, reader.integer(fields["port"] ? fields["port"] : node,
                                                   field + ".port", 1, 65535));
    tcp.port = static_cast<int>(port);
    return tcp;
}

Result<CommandProbe> read_command(const YamlReader& reader, const YamlNode& node,
                                  const Field& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected {argv: [...]}");
    const YamlNode& fields = node;
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".", {"argv", "env", "cwd", "expect"}));
    CommandProbe command;
    const auto& argv = fields["argv"];
    if (!argv || !argv.is_sequence() || argv.size() == 0)
        return reader.invalid(argv ? argv : node, field + ".argv",
                              "expected a non-empty list: the program and its arguments (no "
                              "shell)");
    LAUNCHKIT_TRY_ASSIGN(command.argv, reader.text_list(argv, field + ".argv"));
    LAUNCHKIT_TRY_ASSIGN(command.environment,
                         read_string_map(reader, fields["env"], field + ".env"));
    LAUNCHKIT_TRY_ASSIGN(auto cwd, reader.text(fields["cwd"], field + ".cwd"));
    if (!cwd.empty())
        command.working_directory = std::filesystem::absolute(reader.source()).parent_path() / cwd;
    if (const auto& expect = fields["expect"]) {
        if (!expect.is_map())
            return reader.invalid(expect, field + ".expect", "expected a mapping");
        const YamlNode& expected = expect;
        LAUNCHKIT_TRY(reader.only_keys(expect, field + ".expect.",
                                       {"exit", "stdout_contains", "stderr_contains"}));
        if (expected["exit"]) {
            LAUNCHKIT_TRY_ASSIGN(auto code,
                                 reader.integer(expected["exit"], field + ".expect.exit", 0, 255));
            command.expect_exit = static_cast<int>(code);
        }
        LAUNCHKIT_TRY_ASSIGN(
            command.stdout_contains,
            reader.text(expected["stdout_contains"], field + ".expect.stdout_contains"));
        LAUNCHKIT_TRY_ASSIGN(
            command.stderr_contains,
            reader.text(expected["stderr_contains"], field + ".expect.stderr_contains"));
    }
    return command;
}

Result<DiskProbe> read_disk(const YamlReader& reader, const YamlNode& node, const Field& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected {path: ..., min_free: 10GiB}");
    const YamlNode& fields = node;
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".", {"path", "min_free", "min_free_percent"}));
    DiskProbe disk;
    LAUNCHKIT_TRY_ASSIGN(auto path, reader.text(fields["path"], field + ".path"));
    if (path.empty()) return reader.invalid(node, field + ".path", "missing");
    disk.path = relative_to_checklist(reader, path);
    if (fields["min_free"]) {
        LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(fields["min_free"], field + ".min_free"));
        disk.min_free_bytes = parse_size(text);
        if (!disk.min_free_bytes)
            return reader.invalid(
                fields["min_free"], field + ".min_free",
                fmt::format("expected a size such as 10GiB or 500MB, got '{}'", text));
    }
    if (fields["min_free_percent"]) {
        LAUNCHKIT_TRY_ASSIGN(auto percent, reader.integer(fields["min_free_percent"],
                                                          field + ".min_free_percent", 0, 100));
        disk.min_free_percent = static_cast<double>(percent);
    }
    if (!disk.min_free_bytes && !disk.min_free_percent)
        return reader.invalid(node, field, "give min_free, min_free_percent or both");
    return disk;
}

Result<FileAgeProbe> read_file_age(const YamlReader& reader, const YamlNode& node,
                                   const Field& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected {path: ..., max_age: 24h}");
    const YamlNode& fields = node;
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".", {"path", "max_age"}));
    FileAgeProbe file_age;
    LAUNCHKIT_TRY_ASSIGN(auto path, reader.text(fields["path"], field + ".path"));
    if (path.empty()) return reader.invalid(node, field + ".path", "missing");
    file_age.path = relative_to_checklist(reader, path);
    if (!fields["max_age"]) return reader.invalid(node, field + ".max_age", "missing");
    LAUNCHKIT_TRY_ASSIGN(file_age.max_age,
                         read_duration(reader, fields["max_age"], field + ".max_age"));
    return file_age;
}

Result<void> read_timing(const YamlReader& reader, const YamlNode& node, const Field& field,
                         CheckTiming& timing) {
    if (node["initial_delay"]) {
        LAUNCHKIT_TRY_ASSIGN(timing.initial_delay, read_duration(reader, node["initial_delay"],
                                                                 field + ".initial_delay"));
    }
    if (node["period"]) {
        LAUNCHKIT_TRY_ASSIGN(timing.period,
                             read_duration(reader, node["period"], field + ".period"));
    }
    if (node["stable_for"]) {
        LAUNCHKIT_TRY_ASSIGN(timing.stable_for,
                             read_duration(reader, node["stable_for"], field + ".stable_for"));
    }
    if (node["backoff"]) {
        LAUNCHKIT_TRY_ASSIGN(timing.backoff,
                             read_duration(reader, node["backoff"], field + ".backoff"));
    }
    if (node["success_threshold"]) {
        LAUNCHKIT_TRY_ASSIGN(auto threshold, reader.integer(node["success_threshold"],
                                                            field + ".success_threshold", 1, 100));
        timing.success_threshold = static_cast<int>(threshold);
    }
    if (node["failure_threshold"]) {
        LAUNCHKIT_TRY_ASSIGN(auto threshold, reader.integer(node["failure_threshold"],
                                                            field + ".failure_threshold", 1, 100));
        timing.failure_threshold = static_cast<int>(threshold);
    }
    if (node["retries"]) {
        LAUNCHKIT_TRY_ASSIGN(auto retries,
                             reader.integer(node["retries"], field + ".retries", 0, 20));
        timing.retries = static_cast<int>(retries);
    }
    return {};
}

Result<Check> read_check(const YamlReader& reader, const YamlNode& node, const Field& field) {
    if (!node.is_map()) return reader.invalid(node, field, "expected a mapping with a name");
    const YamlNode& fields = node;
    LAUNCHKIT_TRY(
        reader.only_keys(node, field + ".",
                         {"name", "http", "tcp", "command", "disk", "file_age", "severity", "tags",
                          "timeout", "period", "initial_delay", "success_threshold",
                          "failure_threshold", "stable_for", "retries", "backoff"}));
    Check check;
    LAUNCHKIT_TRY_ASSIGN(check.name, reader.text(fields["name"], field + ".name"));
    if (check.name.empty()) return reader.invalid(node, field + ".name", "missing");
    int kinds = 0;
    for (const char* kind : {"http", "tcp", "command", "disk", "file_age"})
        kinds += fields[kind] ? 1 : 0;
    if (kinds != 1)
        return reader.invalid(node, field,
                              fmt::format("'{}' needs exactly one of http, tcp, command, disk or "
                                          "file_age",
                                          check.name));
    if (fields["http"]) {
        LAUNCHKIT_TRY_ASSIGN(check.probe, read_http(reader, fields["http"], field + ".http"));
    } else if (fields["tcp"]) {
        LAUNCHKIT_TRY_ASSIGN(check.probe, read_tcp(reader, fields["tcp"], field + ".tcp"));
    } else if (fields["command"]) {
        LAUNCHKIT_TRY_ASSIGN(check.probe,
                             read_command(reader, fields["command"], field + ".command"));
    } else if (fields["disk"]) {
        LAUNCHKIT_TRY_ASSIGN(check.probe, read_disk(reader, fields["disk"], field + ".disk"));
    } else {
        LAUNCHKIT_TRY_ASSIGN(check.probe,
                             read_file_age(reader, fields["file_age"], field + ".file_age"));
    }
    if (fields["severity"]) {
        LAUNCHKIT_TRY_ASSIGN(auto severity, reader.text(fields["severity"], field + ".severity"));
        if (severity != "critical" && severity != "warning")
            return reader.invalid(fields["severity"], field + ".severity",
                                  fmt::format("expected critical or warning, got '{}'", severity));
        check.severity = severity == "critical" ? Severity::critical : Severity::warning;
    }
    LAUNCHKIT_TRY_ASSIGN(check.tags, reader.text_list(fields["tags"], field + ".tags"));
    if (fields["timeout"]) {
        LAUNCHKIT_TRY_ASSIGN(check.timeout,
                             read_duration(reader, fields["timeout"], field + ".timeout"));
    }
    LAUNCHKIT_TRY(read_timing(reader, fields, field, check.timing));
    return check;
}

}  // namespace

Result<Checklist> parse_checklist(std::string_view yaml_text, const std::filesystem::path& source) {
    YamlReader reader(source.string());
    LAUNCHKIT_TRY_ASSIGN(YamlNode root, reader.load(yaml_text));
    if (!root.is_map() || !root["checks"])
        return reader.invalid(root, "checks", "expected a mapping with a 'checks:' list");
    LAUNCHKIT_TRY(reader.only_keys(root, "", {"checks"}));
    const auto& checks = root["checks"];
    if (!checks.is_sequence() || checks.size() == 0)
        return reader.invalid(checks, "checks", "expected a non-empty list of checks");
    Checklist checklist;
    checklist.source = source;
    checklist.checks.reserve(checks.size());
    std::set<std::string> names;
    for (size_t i = 0; i < checks.size(); ++i) {
        auto field = fmt::format("checks[{}]", i);
        LAUNCHKIT_TRY_ASSIGN(Check check, read_check(reader, checks[i], field));
        if (!names.insert(check.name).second)
            return reader.invalid(checks[i]["name"], field + ".name",
                                  fmt::format("'{}' is used by another check", check.name));
        checklist.checks.push_back(std::move(check));
    }
    return checklist;
}

Result<Checklist> load_checklist(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path))
        return fail(ExitCode::invalid_input, "checklist '{}' does not exist", path.string());
    LAUNCHKIT_TRY_ASSIGN(std::string text, util::read_file(path));
    return parse_checklist(text, path);
}

}  // namespace launchkit::probe

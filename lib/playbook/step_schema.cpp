#include "playbook/step_schema.h"

#include <charconv>
#include <cstring>

#include "core/config.h"
#include "decide/decision_rules.h"
#include "notify/notification_target.h"
#include "util/duration.h"
#include "util/strings.h"

namespace launchkit::playbook {
namespace {

bool has_reference(const std::string& text) {
    return text.find("${") != std::string::npos;
}

// A duration, checked now unless it comes from a variable.
Result<std::string> duration_text(const YamlReader& reader, const YamlNode& node,
                                  const std::string& field) {
    LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(node, field));
    if (!has_reference(text)) {
        auto parsed = util::parse_duration(text);
        if (!parsed) return reader.invalid(node, field, parsed.error().message);
    }
    return text;
}

Result<std::string> required_text(const YamlReader& reader, const YamlNode& node,
                                  const std::string& field, std::string_view what) {
    LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(node, field));
    if (text.empty()) return reader.invalid(node, field, what);
    return text;
}

// A mapping, or a scalar shorthand for its main key.
Result<YamlNode> with_shorthand(const YamlReader& reader, const YamlNode& node,
                                const std::string& field, const char* main_key,
                                std::string_view expected) {
    if (node.is_scalar()) {
        auto map = YamlNode::map(node.line());
        map.insert(YamlNode::scalar(main_key, false, node.line()), node);
        return map;
    }
    if (!node.is_map()) return reader.invalid(node, field, expected);
    return node;
}

std::string absolute_beside(const std::filesystem::path& directory, const std::string& text) {
    if (text.empty() || has_reference(text)) return text;
    return path_beside_config(directory / "playbook.yaml", text).string();
}

Result<nlohmann::json> read_run(const YamlReader& reader, const YamlNode& node,
                                const std::string& field, const std::filesystem::path& directory) {
    LAUNCHKIT_TRY_ASSIGN(auto command, read_command(reader, node, field, directory));
    if (node.is_map()) {
        if (!node["http"])
            LAUNCHKIT_TRY(reader.only_keys(
                node, field + ".", {"argv", "env", "timeout", "working_directory", "expected"}));
        LAUNCHKIT_TRY_ASSIGN(auto expected, reader.text(node["expected"], field + ".expected"));
        if (!expected.empty() && expected != "success" && expected != "empty" &&
            expected != "all_pass" && expected != "no_critical")
            return reader.invalid(node["expected"], field + ".expected",
                                  "expected success, empty, all_pass or no_critical");
        command["expected"] = expected.empty() ? "success" : expected;
    } else {
        command["expected"] = "success";
    }
    return command;
}

Result<nlohmann::json> read_deploy(const YamlReader& reader, const YamlNode& node,
                                   const std::string& field,
                                   const std::filesystem::path& directory) {
    if (!node.is_map()) return reader.invalid(node, field, "expected {strategy, ...}");
    LAUNCHKIT_TRY(
        reader.only_keys(node, field + ".",
                         {"strategy", "steps", "set_weight", "batches", "targets", "batch_size",
                          "run_batch", "deploy_green", "switch", "switch_back"}));
    nlohmann::json body = nlohmann::json::object();
    LAUNCHKIT_TRY_ASSIGN(std::string strategy, reader.text(node["strategy"], field + ".strategy"));
    if (strategy.empty()) strategy = "rolling";
    if (strategy != "canary" && strategy != "rolling" && strategy != "blue-green")
        return reader.invalid(node["strategy"], field + ".strategy",
                              "expected canary, rolling or blue-green");
    body["strategy"] = strategy;
    for (const char* key : {"set_weight", "run_batch", "deploy_green", "switch", "switch_back"}) {
        if (!node[key]) continue;
        LAUNCHKIT_TRY_ASSIGN(body[key],
                             read_command(reader, node[key], field + "." + key, directory));
    }
    if (node["steps"]) {
        if (!node["steps"].is_sequence() || node["steps"].size() == 0)
            return reader.invalid(node["steps"], field + ".steps",
                                  "expected traffic percentages such as [5, 25, 50, 100]");
        long long previous = 0;
        body["steps"] = nlohmann::json::array();
        for (size_t i = 0; i < node["steps"].size(); ++i) {
            LAUNCHKIT_TRY_ASSIGN(
                auto weight,
                reader.integer(node["steps"][i], fmt::format("{}.steps[{}]", field, i), 1, 100));
            if (weight <= previous)
                return reader.invalid(node["steps"][i], fmt::format("{}.steps[{}]", field, i),
                                      "expected traffic steps that increase");
            previous = weight;
            body["steps"].push_back(weight);
        }
    }
    if (node["targets"]) {
        LAUNCHKIT_TRY_ASSIGN(auto targets, reader.text_list(node["targets"], field + ".targets"));
        body["targets"] = targets;
    }
    if (node["batches"]) {
        LAUNCHKIT_TRY_ASSIGN(body["batches"],
                             reader.integer(node["batches"], field + ".batches", 1, 10'000));
    }
    if (node["batch_size"]) {
        LAUNCHKIT_TRY_ASSIGN(auto size, reader.text(node["batch_size"], field + ".batch_size"));
        if (!parse_batch_size(size))
            return reader.invalid(node["batch_size"], field + ".batch_size",
                                  fmt::format("'{}' is not a batch size; expected a number of "
                                              "targets from 1 to {} or a percentage such as 25%",
                                              util::printable(size, 64), max_batch_targets));
        body["batch_size"] = size;
    }
    // Every strategy the step may be run with (--strategy) needs its commands.
    auto require = [&](const char* key, const char* why) -> Result<void> {
        if (body.contains(key)) return {};
        return reader.invalid(node, field + "." + key, why);
    };
    if (strategy == "canary") {
        LAUNCHKIT_TRY(
            require("set_weight", "a canary needs set_weight: {argv: [..., \"${weight}\"]}"));
        if (!body.contains("steps")) body["steps"] = {5, 25, 50, 100};
    } else if (strategy == "rolling") {
        LAUNCHKIT_TRY(
            require("run_batch", "a rolling deploy needs run_batch: {argv: [..., \"${batch}\"]}"));
        if (!body.contains("targets") && !body.contains("batches")) body["batches"] = 1;
    } else {
        LAUNCHKIT_TRY(require("deploy_green", "a blue-green deploy needs deploy_green: {argv}"));
        LAUNCHKIT_TRY(require("switch", "a blue-green deploy needs switch: {argv}"));
        LAUNCHKIT_TRY(require("switch_back", "a blue-green deploy needs switch_back: {argv}"));
    }
    return body;
}

Result<nlohmann::json> read_notify(const YamlReader& reader, const YamlNode& node,
                                   const std::string& field,
                                   const std::filesystem::path& directory) {
    LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "template",
                                                  "expected {template, to, message}"));
    LAUNCHKIT_TRY(reader.only_keys(map, field + ".", {"template", "message", "to", "subject"}));
    nlohmann::json body = nlohmann::json::object();
    LAUNCHKIT_TRY_ASSIGN(std::string name, reader.text(map["template"], field + ".template"));
    if (!name.empty() && name != "pre-upgrade" && name != "progress" && name != "post-upgrade" &&
        name != "rollback")
        return reader.invalid(map["template"], field + ".template",
                              "expected pre-upgrade, progress, post-upgrade or rollback");
    LAUNCHKIT_TRY_ASSIGN(std::string message, reader.text(map["message"], field + ".message"));
    if (name.empty() && message.empty())
        return reader.invalid(map, field, "expected template: or message:");
    body["template"] = name;
    body["message"] = message;
    LAUNCHKIT_TRY_ASSIGN(body["subject"], reader.text(map["subject"], field + ".subject"));
    LAUNCHKIT_TRY_ASSIGN(auto targets, notify::read_notification_targets(
                                           reader, map["to"], field + ".to", directory, false));
    body["to"] = targets;
    return body;
}

// verify: {checksums, public_key, attestation, predicate_type, artifacts}; paths beside the
// playbook. Without public_key, the configuration's signing.public_keys.
Result<nlohmann::json> read_verify(const YamlReader& reader, const YamlNode& node,
                                   const std::string& field,
                                   const std::filesystem::path& directory) {
    LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "checksums",
                                                  "expected {checksums, public_key, attestation, "
                                                  "predicate_type, artifacts}"));
    LAUNCHKIT_TRY(reader.only_keys(
        map, field + ".",
        {"checksums", "public_key", "attestation", "predicate_type", "artifacts"}));
    nlohmann::json body = nlohmann::json::object();
    for (const char* key : {"checksums", "public_key", "attestation"}) {
        LAUNCHKIT_TRY_ASSIGN(auto text, reader.text(map[key], field + "." + key));
        body[key] = absolute_beside(directory, text);
    }
    LAUNCHKIT_TRY_ASSIGN(body["predicate_type"],
                         reader.text(map["predicate_type"], field + ".predicate_type"));
    LAUNCHKIT_TRY_ASSIGN(auto artifacts, reader.text_list(map["artifacts"], field + ".artifacts"));
    body["artifacts"] = nlohmann::json::array();
    for (const auto& artifact : artifacts)
        body["artifacts"].push_back(absolute_beside(directory, artifact));
    bool attestation = !body["attestation"].get<std::string>().empty();
    if (body["checksums"].get<std::string>().empty() && !attestation)
        return reader.invalid(map, field,
                              "expected checksums: SHA256SUMS (signed beside it as .minisig), "
                              "attestation: ENVELOPE, or both");
    if (!attestation && (map["predicate_type"] || map["artifacts"]))
        return reader.invalid(map["predicate_type"] ? map["predicate_type"] : map["artifacts"],
                              field, "predicate_type and artifacts belong to an attestation:");
    return body;
}

}  // namespace

namespace {

// An HTTP call instead of a program: {http: URL, method: GET|POST, body, token_env, timeout}.
Result<nlohmann::json> read_http_call(const YamlReader& reader, const YamlNode& node,
                                      const std::string& field) {
    LAUNCHKIT_TRY(reader.only_keys(node, field + ".",
                                   {"http", "method", "body", "token_env", "timeout", "expected"}));
    nlohmann::json call = {{"timeout", "30s"}};
    LAUNCHKIT_TRY_ASSIGN(std::string url, reader.text(node["http"], field + ".http"));
    if (!has_reference(url) && !url.starts_with("http://") && !url.starts_with("https://"))
        return reader.invalid(node["http"], field + ".http", "expected an http(s) URL");
    call["http"] = url;
    LAUNCHKIT_TRY_ASSIGN(std::string method, reader.text(node["method"], field + ".method"));
    if (method.empty()) method = node["body"] ? "POST" : "GET";
    if (method != "GET" && method != "POST")
        return reader.invalid(node["method"], field + ".method", "expected GET or POST");
    call["method"] = method;
    LAUNCHKIT_TRY_ASSIGN(call["body"], reader.text(node["body"], field + ".body"));
    LAUNCHKIT_TRY_ASSIGN(call["token_env"], reader.text(node["token_env"], field + ".token_env"));
    if (node["timeout"]) {
        LAUNCHKIT_TRY_ASSIGN(call["timeout"],
                             duration_text(reader, node["timeout"], field + ".timeout"));
    }
    return call;
}

}  // namespace

std::optional<BatchSize> parse_batch_size(std::string_view text) {
    BatchSize size;
    size.percent = text.ends_with('%');
    if (size.percent) text.remove_suffix(1);
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), size.amount);
    if (error != std::errc() || end != text.data() + text.size() || size.amount < 1 ||
        size.amount > (size.percent ? 100 : max_batch_targets))
        return std::nullopt;
    return size;
}

Result<nlohmann::json> read_command(const YamlReader& reader, const YamlNode& node,
                                    const std::string& field,
                                    const std::filesystem::path& directory) {
    if (node.is_map() && node["http"]) return read_http_call(reader, node, field);
    const YamlNode& argv_node = node.is_map() ? node["argv"] : node;
    nlohmann::json command = {{"env", nlohmann::json::object()},
                              {"timeout", "10m"},
                              {"working_directory", directory.string()}};
    if (node.is_map()) {
        if (node["env"]) {
            if (!node["env"].is_map())
                return reader.invalid(node["env"], field + ".env", "expected {NAME: value}");
            for (const auto& entry : node["env"].entries()) {
                auto name = entry.first.text();
                LAUNCHKIT_TRY_ASSIGN(command["env"][name],
                                     reader.text(entry.second, field + ".env." + name));
            }
        }
        if (node["timeout"]) {
            LAUNCHKIT_TRY_ASSIGN(command["timeout"],
                                 duration_text(reader, node["timeout"], field + ".timeout"));
        }
        if (node["working_directory"]) {
            LAUNCHKIT_TRY_ASSIGN(
                auto text, reader.text(node["working_directory"], field + ".working_directory"));
            command["working_directory"] = absolute_beside(directory, text);
        }
    } else if (!node.is_sequence()) {
        return reader.invalid(node, field,
                              "expected {argv: [PROGRAM, ARG...]} or [PROGRAM, ARG...]");
    }
    if (!argv_node || !argv_node.is_sequence() || argv_node.size() == 0)
        return reader.invalid(argv_node ? argv_node : node, field + ".argv",
                              "expected a non-empty list [PROGRAM, ARG...] (no shell is used)");
    LAUNCHKIT_TRY_ASSIGN(auto argv, reader.text_list(argv_node, field + ".argv"));
    command["argv"] = argv;
    return command;
}

Result<GateSpec> read_gate(const YamlReader& reader, const YamlNode& node, const std::string& field,
                           const std::filesystem::path& directory) {
    LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "rules",
                                                  "expected {rules: FILE, interval, count}"));
    LAUNCHKIT_TRY(reader.only_keys(
        map, field + ".",
        {"rules", "interval", "count", "baseline", "canary", "sources", "on_no_data"}));
    GateSpec gate;
    LAUNCHKIT_TRY_ASSIGN(auto rules, required_text(reader, map["rules"], field + ".rules",
                                                   "expected rules: FILE (decision rules)"));
    gate.rules = path_beside_config(directory / "playbook.yaml", rules);
    if (map["interval"]) {
        LAUNCHKIT_TRY_ASSIGN(gate.interval, reader.duration(map["interval"], field + ".interval"));
    }
    if (map["count"]) {
        LAUNCHKIT_TRY_ASSIGN(auto count,
                             reader.integer(map["count"], field + ".count", 1, 100'000));
        gate.count = static_cast<int>(count);
    }
    LAUNCHKIT_TRY_ASSIGN(gate.on_no_data, reader.text(map["on_no_data"], field + ".on_no_data"));
    if (!gate.on_no_data.empty() && !decide::parse_no_data_action(gate.on_no_data))
        return reader.invalid(map["on_no_data"], field + ".on_no_data",
                              "expected inconclusive, pause or rollback");
    LAUNCHKIT_TRY_ASSIGN(auto baseline, reader.text(map["baseline"], field + ".baseline"));
    // A path with ${...} (a baseline the run wrote to ${run_dir}) is resolved when the gate runs.
    auto beside = [&](const std::string& text) {
        return text.find("${") != std::string::npos
                   ? std::filesystem::path(text)
                   : path_beside_config(directory / "playbook.yaml", text);
    };
    if (!baseline.empty()) gate.baseline = beside(baseline);
    LAUNCHKIT_TRY_ASSIGN(auto canary, reader.text(map["canary"], field + ".canary"));
    if (!canary.empty()) gate.canary = beside(canary);
    if (const auto& sources = map["sources"]) {
        if (!sources.is_map())
            return reader.invalid(sources, field + ".sources",
                                  "expected {SOURCE: URL}, e.g. {app: \"${service_url}/metrics\"}");
        for (const auto& entry : sources.entries()) {
            auto name = entry.first.text();
            LAUNCHKIT_TRY_ASSIGN(auto url, reader.text(entry.second, field + ".sources." + name));
            gate.sources.push_back(name + "=" + url);
        }
    }
    return gate;
}

Result<nlohmann::json> read_step_body(const YamlReader& reader, const YamlNode& node,
                                      const std::string& field, StepKind kind,
                                      const std::filesystem::path& directory) {
    switch (kind) {
        case StepKind::run:
            return read_run(reader, node, field, directory);
        case StepKind::deploy:
            return read_deploy(reader, node, field, directory);
        case StepKind::notify:
            return read_notify(reader, node, field, directory);
        case StepKind::gate: {
            LAUNCHKIT_TRY_ASSIGN(auto gate, read_gate(reader, node, field, directory));
            (void)gate;  // kept on the step itself by the parser
            return nlohmann::json::object();
        }
        case StepKind::probe: {
            LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "url",
                                                          "expected URL or {checks: [...]}"));
            LAUNCHKIT_TRY(reader.only_keys(map, field + ".", {"url", "checks", "timeout"}));
            if (!map["url"] == !map["checks"])
                return reader.invalid(map, field,
                                      "expected url: URL or checks: [...] (as diagnose)");
            auto body = yaml_to_json(map);
            if (!body.contains("timeout")) body["timeout"] = "10s";
            return body;
        }
        case StepKind::checklist: {
            LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "file",
                                                          "expected FILE or {file, tags}"));
            LAUNCHKIT_TRY(reader.only_keys(map, field + ".", {"file", "tags"}));
            LAUNCHKIT_TRY_ASSIGN(auto file, required_text(reader, map["file"], field + ".file",
                                                          "expected a checklist file"));
            LAUNCHKIT_TRY_ASSIGN(auto tags, reader.text_list(map["tags"], field + ".tags"));
            return nlohmann::json{{"file", absolute_beside(directory, file)}, {"tags", tags}};
        }
        case StepKind::backup: {
            LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "source",
                                                          "expected SOURCE or {source, tag}"));
            LAUNCHKIT_TRY(reader.only_keys(map, field + ".", {"source", "tag", "labels"}));
            LAUNCHKIT_TRY_ASSIGN(
                auto source,
                required_text(reader, map["source"], field + ".source",
                              "expected a backup source (dir:PATH, sqlite:PATH, a name)"));
            auto body = yaml_to_json(map);
            // As text: `source: 1` names a source (YAML would make it a number).
            body["source"] = source;
            // dir: and sqlite: paths are beside the playbook, like every path in it.
            for (const char* kind : {"dir:", "sqlite:"})
                if (source.starts_with(kind))
                    body["source"] =
                        kind + absolute_beside(directory, source.substr(std::strlen(kind)));
            if (!body.contains("tag")) body["tag"] = "";
            if (!body.contains("labels")) body["labels"] = nlohmann::json::object();
            return body;
        }
        case StepKind::restore: {
            LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "backup",
                                                          "expected BACKUP_ID or {backup, to}"));
            LAUNCHKIT_TRY(reader.only_keys(map, field + ".", {"backup", "to", "safety_backup"}));
            LAUNCHKIT_TRY(required_text(reader, map["backup"], field + ".backup",
                                        "expected a backup id, prefix or latest"));
            auto body = yaml_to_json(map);
            if (!body.contains("to")) body["to"] = "";
            if (map["safety_backup"]) {
                LAUNCHKIT_TRY_ASSIGN(
                    body["safety_backup"],
                    reader.boolean(map["safety_backup"], field + ".safety_backup"));
            } else {
                body["safety_backup"] = true;
            }
            return body;
        }
        case StepKind::flag: {
            if (!node.is_map())
                return reader.invalid(node, field, "expected {name, state, rollout}");
            LAUNCHKIT_TRY(
                reader.only_keys(node, field + ".", {"name", "state", "rollout", "env", "create"}));
            LAUNCHKIT_TRY_ASSIGN(auto name, required_text(reader, node["name"], field + ".name",
                                                          "expected the flag's name"));
            LAUNCHKIT_TRY_ASSIGN(auto state, reader.text(node["state"], field + ".state"));
            if (state != "enabled" && state != "disabled" && !(state.empty() && node["rollout"]))
                return reader.invalid(node["state"] ? node["state"] : node, field + ".state",
                                      "expected enabled or disabled (or a rollout:)");
            nlohmann::json body{{"name", name}, {"state", state.empty() ? "enabled" : state}};
            if (node["rollout"]) {
                LAUNCHKIT_TRY_ASSIGN(body["rollout"],
                                     reader.integer(node["rollout"], field + ".rollout", 0, 100));
            }
            LAUNCHKIT_TRY_ASSIGN(body["env"], reader.text(node["env"], field + ".env"));
            // create: true makes a flag the step is the first to set; otherwise a missing flag is
            // a mistyped name, refused before the run starts.
            if (node["create"]) {
                LAUNCHKIT_TRY_ASSIGN(body["create"],
                                     reader.boolean(node["create"], field + ".create"));
            }
            return body;
        }
        case StepKind::pause:
        case StepKind::resume: {
            LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "control",
                                                          "expected CONTROL or {control, reason}"));
            LAUNCHKIT_TRY(reader.only_keys(map, field + ".", {"control", "reason"}));
            LAUNCHKIT_TRY_ASSIGN(auto control,
                                 required_text(reader, map["control"], field + ".control",
                                               "expected a launch control's name"));
            LAUNCHKIT_TRY_ASSIGN(auto reason, reader.text(map["reason"], field + ".reason"));
            return nlohmann::json{{"control", control}, {"reason", reason}};
        }
        case StepKind::wait: {
            LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "duration",
                                                          "expected DURATION or {duration}"));
            LAUNCHKIT_TRY(reader.only_keys(map, field + ".", {"duration"}));
            LAUNCHKIT_TRY_ASSIGN(auto duration,
                                 duration_text(reader, map["duration"], field + ".duration"));
            return nlohmann::json{{"duration", duration}};
        }
        case StepKind::verify:
            return read_verify(reader, node, field, directory);
        case StepKind::approve: {
            LAUNCHKIT_TRY_ASSIGN(auto map, with_shorthand(reader, node, field, "message",
                                                          "expected MESSAGE or {message}"));
            LAUNCHKIT_TRY(reader.only_keys(map, field + ".", {"message"}));
            LAUNCHKIT_TRY_ASSIGN(auto message, reader.text(map["message"], field + ".message"));
            return nlohmann::json{{"message", message}};
        }
    }
    return nlohmann::json::object();
}

}  // namespace launchkit::playbook

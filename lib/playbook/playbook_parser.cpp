#include "playbook/playbook_parser.h"

#include <fmt/ranges.h>

#include "core/yaml_reader.h"
#include "playbook/step_order.h"
#include "playbook/step_schema.h"
#include "playbook/variables.h"
#include "util/file_io.h"
#include "util/pattern.h"
#include "util/sha256.h"

namespace launchkit::playbook {
namespace {

const std::set<std::string> common_keys{"name", "needs", "on_failure", "gate", "undo", "undoes"};

// Variables a step may use besides the builtins and vars: outputs of the steps before it, and a
// deploy's own per-traffic-step values.
std::set<std::string> known_for(const Step& step, const std::vector<Step>& before) {
    std::set<std::string> known;
    for (const auto& earlier : before)
        for (const auto& output : step_outputs(earlier.kind))
            known.insert("steps." + earlier.name + "." + output);
    if (step.kind == StepKind::deploy)
        known.insert({"weight", "previous_weight", "batch", "batch_number", "batch_count"});
    return known;
}

Result<void> check_references(const Step& step, const std::set<std::string>& known,
                              const std::vector<Step>& all_steps) {
    auto names = references(step.body);
    if (step.gate) {
        auto texts = step.gate->sources;
        texts.push_back(step.gate->baseline.string());
        texts.push_back(step.gate->canary.string());
        for (const auto& text : texts)
            for (const auto& name : references(std::string_view(text))) names.insert(name);
    }
    for (const auto& name : names) {
        if (known.contains(name)) continue;
        if (name == "${")
            return fail(ExitCode::invalid_input, "{}: steps.{}: '${{' without a closing '}}'",
                        step.where, step.name);
        std::string hint;
        static const auto output = util::builtin_pattern(R"(steps\.([^.]+)\.(.+))");
        if (auto found = output.match_whole(name); found && *found) {
            std::string target_name(*(**found)[1]);
            std::string output_name(*(**found)[2]);
            auto target = std::find_if(all_steps.begin(), all_steps.end(),
                                       [&](const Step& s) { return s.name == target_name; });
            if (target == all_steps.end())
                hint = fmt::format(" (there is no step '{}')", target_name);
            else if (!step_outputs(target->kind).contains(output_name))
                hint = fmt::format(" ({} steps leave: {})", to_string(target->kind),
                                   fmt::join(step_outputs(target->kind), ", "));
            else
                hint = fmt::format(" (step '{}' does not run before this one; add it to needs:)",
                                   target_name);
        }
        return fail(ExitCode::invalid_input, "{}: steps.{}: ${{{}}} is not defined{}", step.where,
                    step.name, name, hint);
    }
    return {};
}

Result<Step> read_step(const YamlReader& reader, const YamlNode& node, const std::string& field,
                       const std::filesystem::path& directory, bool in_rollback) {
    if (!node.is_map()) return reader.invalid(node, field, "expected {name, KIND: {...}}");
    Step step;
    step.where = fmt::format("{}:{}", reader.source(), node.line());
    LAUNCHKIT_TRY_ASSIGN(step.name, reader.text(node["name"], field + ".name"));
    static const auto name_pattern = util::builtin_pattern(R"([A-Za-z0-9][A-Za-z0-9_.-]*)");
    if (auto named = name_pattern.match_whole(step.name); !named || !*named)
        return reader.invalid(node["name"] ? node["name"] : node, field + ".name",
                              "expected a name of letters, digits, '-', '_' and '.'");
    std::optional<StepKind> kind;
    std::string kind_key;
    for (const auto& entry : node.entries()) {
        auto key = entry.first.text();
        if (common_keys.contains(key)) continue;
        auto parsed = parse_step_kind(key);
        if (!parsed)
            return reader.invalid(entry.first, field + "." + key,
                                  "unknown step kind (expected one of run, probe, checklist, "
                                  "backup, restore, flag, pause, resume, wait, gate, deploy, "
                                  "notify, approve)");
        if (kind)
            return reader.invalid(
                entry.first, field + "." + key,
                fmt::format("a step has one kind; this one is already {}", kind_key));
        kind = parsed;
        kind_key = key;
    }
    // `gate:` is a step of its own when nothing else is, else the gate after the step.
    if (!kind && node["gate"]) {
        kind = StepKind::gate;
        kind_key = "gate";
    }
    if (!kind) return reader.invalid(node, field, "expected one step kind such as run: or flag:");
    step.kind = *kind;
    auto body_field = field + "." + kind_key;
    LAUNCHKIT_TRY_ASSIGN(step.body,
                         read_step_body(reader, node[kind_key], body_field, step.kind, directory));
    if (step.kind == StepKind::gate) {
        LAUNCHKIT_TRY_ASSIGN(step.gate, read_gate(reader, node[kind_key], body_field, directory));
    }
    if (node["gate"] && step.kind != StepKind::gate) {
        LAUNCHKIT_TRY_ASSIGN(step.gate,
                             read_gate(reader, node["gate"], field + ".gate", directory));
    }
    LAUNCHKIT_TRY_ASSIGN(step.needs, reader.text_list(node["needs"], field + ".needs"));
    step.needs_declared = static_cast<bool>(node["needs"]);
    LAUNCHKIT_TRY_ASSIGN(auto on_failure, reader.text(node["on_failure"], field + ".on_failure"));
    if (on_failure == "rollback")
        step.on_failure = OnFailure::rollback;
    else if (on_failure == "pause")
        step.on_failure = OnFailure::pause;
    else if (on_failure == "continue")
        step.on_failure = OnFailure::continue_run;
    else if (!on_failure.empty() && on_failure != "abort")
        return reader.invalid(node["on_failure"], field + ".on_failure",
                              "expected rollback, pause, continue or abort");
    if (node["undo"]) {
        LAUNCHKIT_TRY_ASSIGN(step.undo, reader.boolean(node["undo"], field + ".undo"));
    }
    LAUNCHKIT_TRY_ASSIGN(step.undoes, reader.text(node["undoes"], field + ".undoes"));
    if (in_rollback) {
        for (const char* key : {"needs", "on_failure", "gate"})
            if (node[key])
                return reader.invalid(node[key], field + "." + key,
                                      "rollback steps run in order and never stop the rollback");
    } else if (node["undoes"]) {
        return reader.invalid(node["undoes"], field + ".undoes", "only rollback steps undo others");
    }
    return step;
}

}  // namespace

Result<Playbook> parse_playbook(std::string_view yaml_text, const std::filesystem::path& source) {
    YamlReader reader(source.string());
    LAUNCHKIT_TRY_ASSIGN(YamlNode root, reader.load(yaml_text));
    if (!root.is_map()) return reader.invalid(root, "document", "expected apiVersion, name, steps");
    LAUNCHKIT_TRY(reader.only_keys(root, "",
                                   {"apiVersion", "name", "description", "kind", "vars",
                                    "on_interrupt", "steps", "rollback"}));
    LAUNCHKIT_TRY_ASSIGN(auto version, reader.text(root["apiVersion"], "apiVersion"));
    if (version != api_version)
        return reader.invalid(root["apiVersion"] ? root["apiVersion"] : root, "apiVersion",
                              fmt::format("expected {}{}", api_version,
                                          version.empty() ? "" : ", got '" + version + "'"));
    Playbook playbook;
    playbook.source = std::filesystem::absolute(source).lexically_normal();
    playbook.digest = util::sha256_hex(yaml_text);
    auto directory = playbook.source.parent_path();
    LAUNCHKIT_TRY_ASSIGN(playbook.name, reader.text(root["name"], "name"));
    if (playbook.name.empty()) return reader.invalid(root, "name", "expected the playbook's name");
    LAUNCHKIT_TRY_ASSIGN(playbook.description, reader.text(root["description"], "description"));
    LAUNCHKIT_TRY_ASSIGN(auto on_interrupt, reader.text(root["on_interrupt"], "on_interrupt"));
    if (on_interrupt == "pause")
        playbook.on_interrupt = OnInterrupt::pause;
    else if (!on_interrupt.empty() && on_interrupt != "rollback")
        return reader.invalid(root["on_interrupt"], "on_interrupt",
                              fmt::format("expected rollback or pause, got '{}'", on_interrupt));
    LAUNCHKIT_TRY_ASSIGN(auto kind, reader.text(root["kind"], "kind"));
    if (!kind.empty() && kind != "deploy" && kind != "rollback")
        return reader.invalid(root["kind"], "kind",
                              fmt::format("expected deploy or rollback, got '{}'", kind));
    playbook.is_rollback = kind == "rollback";
    if (const auto& vars = root["vars"]) {
        if (!vars.is_map()) return reader.invalid(vars, "vars", "expected {NAME: value}");
        for (const auto& entry : vars.entries()) {
            auto name = entry.first.text();
            if (builtin_variables().contains(name) || name.starts_with("steps."))
                return reader.invalid(entry.first, "vars." + name,
                                      "a builtin variable; choose another name");
            LAUNCHKIT_TRY_ASSIGN(playbook.vars[name], reader.text(entry.second, "vars." + name));
            for (const auto& reference : references(std::string_view(playbook.vars[name])))
                if (!builtin_variables().contains(reference))
                    return reader.invalid(entry.second, "vars." + name,
                                          fmt::format("${{{}}} is not defined (vars may use "
                                                      "version, env, previous_version, ...)",
                                                      reference));
        }
    }
    const auto& steps = root["steps"];
    if (!steps || !steps.is_sequence() || steps.size() == 0)
        return reader.invalid(steps ? steps : root, "steps", "expected a list of steps");
    std::set<std::string> names;
    std::vector<Step> written;
    for (size_t i = 0; i < steps.size(); ++i) {
        auto field = fmt::format("steps[{}]", i);
        LAUNCHKIT_TRY_ASSIGN(auto step, read_step(reader, steps[i], field, directory, false));
        if (!names.insert(step.name).second)
            return reader.invalid(steps[i]["name"], field + ".name",
                                  fmt::format("a step named '{}' comes earlier", step.name));
        written.push_back(std::move(step));
    }
    LAUNCHKIT_TRY_ASSIGN(playbook.steps, order_steps(std::move(written), source.string()));
    if (const auto& rollback = root["rollback"]) {
        if (!rollback.is_sequence())
            return reader.invalid(rollback, "rollback", "expected a list of steps");
        for (size_t i = 0; i < rollback.size(); ++i) {
            auto field = fmt::format("rollback[{}]", i);
            LAUNCHKIT_TRY_ASSIGN(auto step, read_step(reader, rollback[i], field, directory, true));
            if (!step.undoes.empty() && !playbook.find_step(step.undoes))
                return reader.invalid(rollback[i]["undoes"], field + ".undoes",
                                      fmt::format("no step named '{}'", step.undoes));
            if (!names.insert(step.name).second)
                return reader.invalid(rollback[i]["name"], field + ".name",
                                      fmt::format("a step named '{}' comes earlier", step.name));
            playbook.rollback.push_back(std::move(step));
        }
    }
    // Every reference must name something that exists when the step runs.
    std::set<std::string> base = builtin_variables();
    for (const auto& [name, value] : playbook.vars) base.insert(name);
    for (size_t i = 0; i < playbook.steps.size(); ++i) {
        std::vector<Step> before(playbook.steps.begin(),
                                 playbook.steps.begin() + static_cast<long>(i));
        auto known = known_for(playbook.steps[i], before);
        known.insert(base.begin(), base.end());
        LAUNCHKIT_TRY(check_references(playbook.steps[i], known, playbook.steps));
    }
    for (const auto& step : playbook.rollback) {
        auto known = known_for(step, playbook.steps);
        known.insert(base.begin(), base.end());
        known.insert({"failed_step", "failure_reason"});
        LAUNCHKIT_TRY(check_references(step, known, playbook.steps));
    }
    return playbook;
}

Result<Playbook> load_playbook(const std::filesystem::path& path) {
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file(path));
    return parse_playbook(text, path);
}

Result<std::map<std::string, std::string>> parse_var_assignments(
    const Playbook& playbook, const std::vector<std::string>& assignments) {
    std::map<std::string, std::string> values;
    for (const auto& assignment : assignments) {
        auto equals = assignment.find('=');
        if (equals == std::string::npos || equals == 0)
            return fail(ExitCode::invalid_input, "--var '{}': expected NAME=VALUE", assignment);
        auto name = assignment.substr(0, equals);
        auto value = assignment.substr(equals + 1);
        if (!playbook.vars.contains(name)) {
            std::string declared;
            for (const auto& [known, unused] : playbook.vars)
                declared += (declared.empty() ? "" : ", ") + known;
            return fail(ExitCode::invalid_input, "--var {}: {} declares no such var ({})", name,
                        playbook.source.filename().string(),
                        declared.empty() ? "it has no vars" : "it has " + declared);
        }
        for (const auto& reference : references(std::string_view(value)))
            if (!builtin_variables().contains(reference))
                return fail(ExitCode::invalid_input,
                            "--var {}: ${{{}}} is not defined (a value may use version, env, "
                            "previous_version, ...)",
                            name, reference);
        values[name] = value;
    }
    return values;
}

void override_vars(Playbook& playbook, const std::map<std::string, std::string>& values) {
    for (const auto& [name, value] : values) playbook.vars[name] = value;
}

}  // namespace launchkit::playbook

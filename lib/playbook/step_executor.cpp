#include "playbook/step_executor.h"

#include <fmt/format.h>

#include "decide/analysis.h"
#include "decide/metric_series.h"
#include "playbook/variables.h"
#include "probe/http_client.h"
#include "probe/metric_source.h"
#include "probe/slo.h"
#include "util/duration.h"
#include "util/process.h"
#include "util/strings.h"

namespace launchkit::playbook {

namespace {

Result<StepOutcome> call_http(const nlohmann::json& call) {
    probe::HttpRequest request;
    LAUNCHKIT_TRY_ASSIGN(request.bearer_token, probe::read_token({call.value("token_env", "")}));
    auto timeout = util::parse_duration(call.value("timeout", "30s"));
    if (!timeout) return std::unexpected(timeout.error());
    request.timeout = *timeout;
    request.url = call.value("http", "");
    request.method = call.value("method", "GET");
    if (request.method == "POST") {
        request.body = call.value("body", "");
        if (request.body.empty()) request.body = "{}";
        request.content_type = "application/json";
    }
    StepOutcome outcome;
    auto answer = probe::fetch_ok(request);
    outcome.succeeded = static_cast<bool>(answer);
    outcome.outputs["exit_code"] = answer ? 0 : 1;
    outcome.outputs["stdout"] = answer ? std::string(util::trim(*answer)).substr(0, 64 * 1024) : "";
    outcome.message = answer ? fmt::format("{} {} answered", request.method, request.url)
                             : answer.error().message;
    return outcome;
}

}  // namespace

Result<StepOutcome> run_user_command(const Context& context, const nlohmann::json& command,
                                     std::string_view what) {
    if (command.contains("http")) return call_http(command);
    util::ProcessSpec spec;
    spec.argv = command.at("argv").get<std::vector<std::string>>();
    spec.working_directory = command.value("working_directory", "");
    auto environment = command.value("env", nlohmann::json::object());
    if (!environment.contains("LAUNCHKIT_STATE_DIR"))
        spec.environment.emplace_back("LAUNCHKIT_STATE_DIR", context.state_dir.string());
    if (!context.config.source.empty() && !environment.contains("LAUNCHKIT_CONFIG"))
        spec.environment.emplace_back("LAUNCHKIT_CONFIG",
                                      std::filesystem::absolute(context.config.source).string());
    for (const auto& [name, value] : environment.items())
        spec.environment.emplace_back(name, value.get<std::string>());
    auto timeout = util::parse_duration(command.value("timeout", "10m"));
    if (!timeout)
        return fail(ExitCode::invalid_input, "{}: timeout: {}", what, timeout.error().message);
    spec.timeout = *timeout;
    LAUNCHKIT_TRY_ASSIGN(auto result, util::run_process(spec));
    StepOutcome outcome;
    outcome.outputs["exit_code"] = result.exit_code;
    auto stdout_text = std::string(util::trim(result.stdout_text));
    constexpr size_t kept = 64 * 1024;  // outputs are journaled: keep them bounded
    if (stdout_text.size() > kept) stdout_text = stdout_text.substr(stdout_text.size() - kept);
    outcome.outputs["stdout"] = stdout_text;
    outcome.succeeded = result.exit_code == 0;
    if (result.timed_out)
        outcome.message = fmt::format("{} timed out after {}", spec.argv.front(),
                                      util::format_duration(*timeout));
    else if (result.exit_code != 0)
        outcome.message = fmt::format(
            "{} exited {}{}{}", spec.argv.front(), result.signal ? "on signal " : "",
            result.signal ? result.signal : result.exit_code,
            result.stderr_text.empty() ? "" : ": " + util::first_line(result.stderr_text));
    else
        outcome.message = fmt::format("{} exited 0", spec.argv.front());
    outcome.outputs["stderr_first_line"] = util::first_line(result.stderr_text);
    return outcome;
}

namespace {

// An operator's promote answers the gate: the rest of its analysis is skipped, and the request is
// marked handled.
Result<decide::Decision> promoted_decision(StepContext& run, std::string_view label) {
    decide::Decision decision;
    decision.verdict = decide::Verdict::promote;
    if (run.promoted_full()) {
        decision.reason = "promoted to 100% by an operator: no more gates";
        return decision;
    }
    std::optional<ControlRequested> request;
    if (run.state) request = run.state->pending_control;
    decision.reason =
        request
            ? fmt::format("promoted by {}{}: the rest of the analysis was skipped", request->actor,
                          request->reason.empty() ? "" : " (" + request->reason + ")")
            : std::string("promoted: the rest of the analysis was skipped");
    if (request && run.record)
        LAUNCHKIT_TRY(run.record(ControlHandled{
            {}, request->control, fmt::format("skipped the rest of gate {}", label)}));
    return decision;
}

Result<decide::Decision> analyse(const GateSpec& gate, StepContext& run,
                                 const std::string& gate_label) {
    LAUNCHKIT_TRY_ASSIGN(auto rules, decide::read_decision_rules(gate.rules));
    std::vector<std::string> sources;
    for (const auto& source : gate.sources) {
        LAUNCHKIT_TRY_ASSIGN(auto expanded, expand(source, run.variables));
        sources.push_back(expanded);
    }
    LAUNCHKIT_TRY(probe::override_source_urls(rules.metrics, sources));
    auto resolve = [&run](const std::filesystem::path& file) -> Result<std::filesystem::path> {
        LAUNCHKIT_TRY_ASSIGN(auto text, expand(file.string(), run.variables));
        std::filesystem::path path(text);
        return path.is_absolute() ? path : run.playbook.source.parent_path() / path;
    };
    decide::AnalysisInputs inputs;
    if (!gate.on_no_data.empty()) inputs.on_no_data = decide::parse_no_data_action(gate.on_no_data);
    if (!gate.baseline.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto baseline, resolve(gate.baseline));
        LAUNCHKIT_TRY_ASSIGN(inputs.baseline, decide::read_series_file(baseline));
    }
    if (!gate.canary.empty()) {
        // Read when the gate runs: the file may be what the step before it just wrote.
        LAUNCHKIT_TRY_ASSIGN(auto canary, resolve(gate.canary));
        LAUNCHKIT_TRY_ASSIGN(inputs.canary, decide::read_series_file(canary));
    }
    inputs.interval = gate.interval;
    inputs.count = gate.count;
    decide::AnalysisHooks hooks;
    hooks.now = run.context.clock;
    hooks.sleep = run.sleep ? run.sleep : run.context.sleep;
    hooks.should_stop = [&run] { return run.stop_requested() != StopRequest::none; };
    auto* err = run.context.err;
    hooks.on_measurement = [err, gate_label](int number, int total,
                                             const std::vector<decide::RuleAnalysis>& rules) {
        std::string states;
        for (const auto& rule : rules)
            if (rule.last())
                states += fmt::format(" {}={}", rule.rule().name, to_string(rule.last()->phase));
        *err << fmt::format("  gate {}: measurement {}/{}{}\n", gate_label, number, total, states)
             << std::flush;
    };
    return decide::run_analysis(rules, inputs, hooks);
}

}  // namespace

Result<decide::Decision> run_gate(const GateSpec& gate, StepContext& run, std::string_view label) {
    std::string gate_label(label);
    decide::Decision decision;
    if (run.promoted_full() || is_promote(run.stop_requested())) {
        LAUNCHKIT_TRY_ASSIGN(decision, promoted_decision(run, gate_label));
    } else {
        auto analysed = analyse(gate, run, gate_label);
        if (!analysed && is_promote(run.stop_requested())) {
            LAUNCHKIT_TRY_ASSIGN(decision, promoted_decision(run, gate_label));
        } else {
            if (!analysed) return std::unexpected(analysed.error());
            decision = std::move(*analysed);
        }
    }
    if (!run.context.json) {
        auto& out = run.operator_output();
        out << fmt::format("gate {} ({}):\n", gate_label, gate.rules.filename().string());
        decide::print_decision(out, decision, run.context.color);
        out << '\n';
    }
    *run.context.err << fmt::format("  gate {}: {} — {}\n", gate_label,
                                    decide::to_string(decision.verdict),
                                    util::printable(decision.reason))
                     << std::flush;
    if (run.record)
        LAUNCHKIT_TRY(run.record(GateDecided{{},
                                             run.step,
                                             gate_label,
                                             std::string(decide::to_string(decision.verdict)),
                                             decision.reason,
                                             decide::to_json(decision)}));
    return decision;
}

Result<void> StepContext::save_progress(nlohmann::json value) {
    if (!record) return {};
    return record(StepProgress{{}, step, StepPhase::forward, std::move(value)});
}

Result<StepOutcome> execute_step(const Step& step, StepContext& run) {
    // A deploy expands its commands itself, once per traffic step or batch (${weight}, ${batch}).
    if (step.kind == StepKind::deploy) return execute_deploy_step(step, step.body, run);
    LAUNCHKIT_TRY_ASSIGN(auto body, expand_json(step.body, run.variables));
    StepOutcome outcome;
    switch (step.kind) {
        case StepKind::flag:
        case StepKind::pause:
        case StepKind::resume:
        case StepKind::backup:
        case StepKind::restore: {
            LAUNCHKIT_TRY_ASSIGN(outcome, execute_state_step(step, body, run));
            break;
        }
        case StepKind::gate: {
            LAUNCHKIT_TRY_ASSIGN(auto decision, run_gate(*step.gate, run, step.name));
            outcome.succeeded = decision.go();
            outcome.outputs["verdict"] = decide::to_string(decision.verdict);
            outcome.decision = decide::to_json(decision);
            outcome.message = fmt::format("{}: {}", decide::to_string(decision.verdict),
                                          util::printable(decision.reason));
            return outcome;
        }
        default: {
            LAUNCHKIT_TRY_ASSIGN(outcome, execute_command_step(step, body, run));
            break;
        }
    }
    // A gate on any other step judges it after it ran.
    if (outcome.succeeded && step.gate) {
        LAUNCHKIT_TRY_ASSIGN(auto decision, run_gate(*step.gate, run, step.name));
        outcome.decision = decide::to_json(decision);
        if (!decision.go()) {
            outcome.succeeded = false;
            outcome.message = fmt::format("gate said {}: {}", decide::to_string(decision.verdict),
                                          decision.reason);
        }
    }
    return outcome;
}

bool has_implicit_undo(const Step& step, const StepRecord& record) {
    return step.undo && !record.undo.is_null();
}

Result<StepOutcome> undo_step(const Step& step, const StepRecord& record, StepContext& run) {
    if (step.kind == StepKind::deploy) return undo_deploy_step(step, record, run);
    return undo_state_step(step, record, run);
}

}  // namespace launchkit::playbook

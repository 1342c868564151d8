// deploy steps: canary (traffic steps with a gate after each), rolling (batches with a gate
// between them) and blue-green (deploy green, verify, switch; switch back on rollback). The
// traffic change itself is the user's command; launchkit decides when and whether.
#include <algorithm>

#include <fmt/format.h>

#include "playbook/step_executor.h"
#include "playbook/step_schema.h"
#include "util/bounded_json.h"
#include "util/strings.h"

namespace launchkit::playbook {
namespace {

// Expands a command of the step with the run's variables plus the deploy's own.
Result<StepOutcome> run_command(const StepContext& run, const nlohmann::json& raw,
                                const Variables& extra, std::string_view what) {
    auto variables = run.variables;
    for (const auto& [name, value] : extra) variables[name] = value;
    LAUNCHKIT_TRY_ASSIGN(auto command, expand_json(raw, variables));
    return run_user_command(run.context, command, what);
}

// Runs the step's gate, if any; fills `outcome` and says whether to go on.
Result<bool> pass_gate(const Step& step, StepContext& run, const std::string& label,
                       StepOutcome& outcome) {
    if (!step.gate) return true;
    LAUNCHKIT_TRY_ASSIGN(auto decision, run_gate(*step.gate, run, label));
    outcome.decision = decide::to_json(decision);
    if (decision.go()) return true;
    outcome.message = fmt::format("gate at {} said {}: {}", label,
                                  decide::to_string(decision.verdict), decision.reason);
    return false;
}

Result<StepOutcome> canary(const Step& step, const nlohmann::json& body, StepContext& run) {
    auto weights =
        canary_weights(body.at("steps").get<std::vector<int>>(), run.options.initial_traffic);
    size_t start = 0;
    int previous = 0;
    if (run.progress.is_object() && run.progress.value("strategy", "") == "canary") {
        start = util::json_integer_or<int>(run.progress, "index", -1) + 1;
        previous = util::json_integer_or<int>(run.progress, "weight", 0);
    }
    StepOutcome outcome;
    outcome.outputs["strategy"] = "canary";
    outcome.outputs["weight"] = previous;
    if (previous > 0) outcome.undo = {{"strategy", "canary"}, {"weight", previous}};
    for (size_t i = start; i < weights.size(); ++i) {
        int weight = weights[i];
        auto stop = run.stop_requested();
        if (stop == StopRequest::promote_full && !run.promoted_full() && run.record)
            LAUNCHKIT_TRY(run.record(ControlHandled{
                {}, RunControl::promote_full, fmt::format("{}: straight to 100%", step.name)}));
        if (run.promoted_full()) {
            // `promote --full`: the last traffic change, and its gate only records the promotion.
            weight = 100;
            i = weights.size() - 1;
        } else if (stops_the_step(stop)) {
            outcome.message = fmt::format("stopped at {}% before the {}% step", previous, weight);
            return outcome;
        }
        *run.context.err << fmt::format("  {}: traffic {}% → {}%\n", step.name, previous, weight)
                         << std::flush;
        // From the first change on, a rollback must take the traffic back: journaled before the
        // command runs, so that whoever rolls back after a kill in the middle of it knows too.
        outcome.undo = {{"strategy", "canary"}, {"weight", weight}};
        if (run.record) LAUNCHKIT_TRY(run.record(TrafficChanged{{}, step.name, weight, previous}));
        LAUNCHKIT_TRY_ASSIGN(auto changed,
                             run_command(run, body.at("set_weight"),
                                         {{"weight", std::to_string(weight)},
                                          {"previous_weight", std::to_string(previous)}},
                                         step.name + ".set_weight"));
        if (!changed.succeeded) {
            outcome.message = fmt::format("set_weight {}: {}", weight, changed.message);
            return outcome;
        }
        outcome.outputs["weight"] = weight;
        LAUNCHKIT_TRY_ASSIGN(
            bool go_on, pass_gate(step, run, fmt::format("{}@{}%", step.name, weight), outcome));
        if (!go_on) return outcome;
        LAUNCHKIT_TRY(run.save_progress(
            {{"strategy", "canary"}, {"index", static_cast<int>(i)}, {"weight", weight}}));
        previous = weight;
    }
    outcome.succeeded = true;
    outcome.message = fmt::format("canary promoted through {}% ({})", previous,
                                  util::count_of(weights.size(), "step"));
    return outcome;
}

// Batches of targets (batch_size N or N%), or `batches` numbered batches.
Result<std::vector<std::string>> rolling_batches(const nlohmann::json& body) {
    std::vector<std::string> batches;
    if (!body.contains("targets")) {
        for (int i = 1; i <= util::json_integer_or<int>(body, "batches", 1); ++i)
            batches.push_back(std::to_string(i));
        return batches;
    }
    auto targets = body.at("targets").get<std::vector<std::string>>();
    // Checked when the playbook was read (a resumed run reads the file again); checked here as
    // well, so that a body made some other way cannot run as batches of one.
    auto size_text = body.value("batch_size", "1");
    auto batch = parse_batch_size(size_text);
    if (!batch)
        return fail(ExitCode::invalid_input,
                    "batch_size '{}': expected a number of targets or a percentage",
                    util::printable(size_text, 64));
    size_t size = static_cast<size_t>(batch->amount);
    if (batch->percent) size = (targets.size() * size + 99) / 100;
    size = std::max<size_t>(size, 1);
    for (size_t i = 0; i < targets.size(); i += size) {
        std::string batch;
        for (size_t j = i; j < std::min(i + size, targets.size()); ++j)
            batch += (batch.empty() ? "" : ",") + targets[j];
        batches.push_back(batch);
    }
    return batches;
}

Result<StepOutcome> rolling(const Step& step, const nlohmann::json& body, StepContext& run) {
    LAUNCHKIT_TRY_ASSIGN(auto batches, rolling_batches(body));
    size_t start = 0;
    if (run.progress.is_object() && run.progress.value("strategy", "") == "rolling")
        start = util::json_integer_or<int>(run.progress, "index", -1) + 1;
    StepOutcome outcome;
    outcome.outputs["strategy"] = "rolling";
    for (size_t i = start; i < batches.size(); ++i) {
        if (stops_the_step(run.stop_requested())) {
            outcome.message = fmt::format("stopped before batch {}/{}", i + 1, batches.size());
            return outcome;
        }
        *run.context.err << fmt::format("  {}: batch {}/{}: {}\n", step.name, i + 1, batches.size(),
                                        batches[i])
                         << std::flush;
        LAUNCHKIT_TRY_ASSIGN(auto ran,
                             run_command(run, body.at("run_batch"),
                                         {{"batch", batches[i]},
                                          {"batch_number", std::to_string(i + 1)},
                                          {"batch_count", std::to_string(batches.size())}},
                                         step.name + ".run_batch"));
        if (!ran.succeeded) {
            outcome.message = fmt::format("batch {} ({}): {}", i + 1, batches[i], ran.message);
            return outcome;
        }
        LAUNCHKIT_TRY_ASSIGN(bool go_on,
                             pass_gate(step, run, fmt::format("{}#{}", step.name, i + 1), outcome));
        if (!go_on) return outcome;
        LAUNCHKIT_TRY(run.save_progress({{"strategy", "rolling"}, {"index", static_cast<int>(i)}}));
    }
    outcome.succeeded = true;
    outcome.outputs["weight"] = 100;
    outcome.message = fmt::format("rolled out in {} batches", batches.size());
    return outcome;
}

Result<StepOutcome> blue_green(const Step& step, const nlohmann::json& body, StepContext& run) {
    auto done = run.progress.is_object() && run.progress.value("strategy", "") == "blue-green"
                    ? run.progress.value("phase", "")
                    : std::string();
    StepOutcome outcome;
    outcome.outputs["strategy"] = "blue-green";
    if (done.empty()) {
        *run.context.err << fmt::format("  {}: deploying green\n", step.name) << std::flush;
        LAUNCHKIT_TRY_ASSIGN(auto deployed, run_command(run, body.at("deploy_green"), {},
                                                        step.name + ".deploy_green"));
        if (!deployed.succeeded) {
            outcome.message = "deploy_green: " + deployed.message;
            return outcome;
        }
        // Green is verified before it gets any traffic; blue keeps serving meanwhile.
        LAUNCHKIT_TRY_ASSIGN(bool go_on, pass_gate(step, run, step.name + "@green", outcome));
        if (!go_on) return outcome;
        LAUNCHKIT_TRY(run.save_progress({{"strategy", "blue-green"}, {"phase", "verified"}}));
    }
    *run.context.err << fmt::format("  {}: switching traffic to green\n", step.name) << std::flush;
    outcome.undo = {{"strategy", "blue-green"}, {"switched", true}};
    LAUNCHKIT_TRY_ASSIGN(auto switched,
                         run_command(run, body.at("switch"), {}, step.name + ".switch"));
    if (!switched.succeeded) {
        outcome.message = "switch: " + switched.message;
        return outcome;
    }
    outcome.succeeded = true;
    outcome.outputs["weight"] = 100;
    outcome.message = "green serves all traffic; blue kept for an instant switch back";
    return outcome;
}

}  // namespace

std::vector<int> canary_weights(std::vector<int> steps, std::optional<int> initial_traffic) {
    if (!initial_traffic) return steps;
    std::vector<int> weights{*initial_traffic};
    for (int weight : steps)
        if (weight > *initial_traffic) weights.push_back(weight);
    return weights;
}

Result<StepOutcome> execute_deploy_step(const Step& step, const nlohmann::json& body,
                                        StepContext& run) {
    auto strategy =
        run.options.strategy.empty() ? body.value("strategy", "rolling") : run.options.strategy;
    auto needs = [&](const char* key) -> Result<void> {
        if (body.contains(key)) return {};
        return fail(ExitCode::invalid_input, "{}: step {} has no {} for the {} strategy",
                    step.where, step.name, key, strategy);
    };
    if (strategy == "canary") {
        LAUNCHKIT_TRY(needs("set_weight"));
        if (!body.contains("steps"))
            return fail(ExitCode::invalid_input, "{}: step {} has no canary steps:", step.where,
                        step.name);
        return canary(step, body, run);
    }
    if (strategy == "rolling") {
        LAUNCHKIT_TRY(needs("run_batch"));
        return rolling(step, body, run);
    }
    if (strategy == "blue-green") {
        for (const char* key : {"deploy_green", "switch", "switch_back"}) LAUNCHKIT_TRY(needs(key));
        return blue_green(step, body, run);
    }
    return fail(ExitCode::invalid_input, "--strategy '{}': expected canary, rolling or blue-green",
                strategy);
}

Result<StepOutcome> undo_deploy_step(const Step& step, const StepRecord& record, StepContext& run) {
    auto strategy = record.undo.value("strategy", "");
    StepOutcome outcome;
    if (strategy == "canary") {
        *run.context.err << fmt::format("  undo {}: traffic → 0%\n", step.name) << std::flush;
        LAUNCHKIT_TRY_ASSIGN(
            outcome, run_command(run, step.body.at("set_weight"),
                                 {{"weight", "0"},
                                  {"previous_weight", std::to_string(util::json_integer_or<int>(
                                                          record.undo, "weight", 0))}},
                                 step.name + ".set_weight"));
        return outcome;
    }
    if (strategy == "blue-green" && record.undo.value("switched", false)) {
        *run.context.err << fmt::format("  undo {}: switching back to blue\n", step.name)
                         << std::flush;
        return run_command(run, step.body.at("switch_back"), {}, step.name + ".switch_back");
    }
    outcome.succeeded = true;
    outcome.message = "nothing to undo";
    return outcome;
}

}  // namespace launchkit::playbook

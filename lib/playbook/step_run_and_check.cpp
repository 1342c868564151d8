// run, probe, checklist, wait, approve and notify steps.
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include "core/output.h"
#include "playbook/command_expectation.h"
#include "playbook/notification.h"
#include "playbook/step_executor.h"
#include "probe/checklist_parser.h"
#include "probe/checklist_runner.h"
#include "util/bounded_json.h"
#include "util/duration.h"
#include "util/process.h"
#include "util/strings.h"

namespace launchkit::playbook {
namespace {

Result<StepOutcome> run_checks(probe::Checklist checklist, const std::vector<std::string>& tags) {
    probe::RunOptions options;
    options.tags = tags;
    LAUNCHKIT_TRY_ASSIGN(auto selected, probe::select_checks(checklist, options));
    auto report = probe::run_checks(selected, options);
    StepOutcome outcome;
    outcome.succeeded = report.passed();
    int passed = 0;
    std::string failures;
    for (const auto& result : report.results) {
        if (result.passed) {
            ++passed;
        } else if (failures.size() < 400) {
            failures +=
                fmt::format("{}{}: {}", failures.empty() ? "" : "; ", result.name, result.detail);
        }
    }
    outcome.outputs["passed"] = passed;
    outcome.outputs["failed"] = static_cast<int>(report.results.size()) - passed;
    // Failed warnings do not fail the step: say which kind failed, so a succeeded step never
    // reads "3 of 9 checks failed".
    if (failures.empty())
        outcome.message = fmt::format("{} passed", util::count_of(passed, "check"));
    else if (report.failed_critical == 0)
        outcome.message = fmt::format("{} passed, {} failed (warnings do not fail the step): {}",
                                      util::count_of(passed, "check"),
                                      util::count_of(report.failed_warning, "warning"), failures);
    else
        outcome.message = fmt::format(
            "{} of {} failed{}: {}", util::count_of(report.failed_critical, "critical check"),
            report.results.size(),
            report.failed_warning > 0
                ? fmt::format(" (and {})", util::count_of(report.failed_warning, "warning"))
                : "",
            failures);
    return outcome;
}

Result<StepOutcome> approve(const Step& step, const nlohmann::json& body, StepContext& run) {
    StepOutcome outcome;
    auto message = body.value("message", "");
    if (run.options.approvals.contains(step.name) || run.options.approvals.contains("all")) {
        outcome.succeeded = true;
        outcome.outputs["approved_by"] = run.context.actor;
        outcome.message = fmt::format("approved by {} (--approve)", run.context.actor);
        return outcome;
    }
    if (run.context.interactive) {
        *run.context.err << (message.empty() ? "Approval needed." : terminal_safe(message)) << '\n';
        outcome.succeeded = run.context.confirm(fmt::format("Approve step '{}'?", step.name));
        outcome.outputs["approved_by"] = outcome.succeeded ? run.context.actor : "";
        outcome.message =
            outcome.succeeded ? fmt::format("approved by {}", run.context.actor) : "not approved";
        return outcome;
    }
    outcome.message =
        fmt::format("needs approval: pass --approve {} (no terminal to ask on)", step.name);
    return outcome;
}

}  // namespace

Result<StepOutcome> execute_command_step(const Step& step, const nlohmann::json& body,
                                         StepContext& run) {
    switch (step.kind) {
        case StepKind::run: {
            LAUNCHKIT_TRY_ASSIGN(auto outcome, run_user_command(run.context, body, step.name));
            judge_expectation(body.value("expected", "success"), outcome);
            return outcome;
        }
        case StepKind::probe: {
            nlohmann::json checklist;
            if (body.contains("url"))
                checklist["checks"] = {{{"name", step.name},
                                        {"http", {{"url", body["url"]}}},
                                        {"timeout", body.value("timeout", "10s")}}};
            else
                checklist["checks"] = body["checks"];
            // JSON is YAML: the checklist parser validates the expanded checks.
            LAUNCHKIT_TRY_ASSIGN(auto parsed,
                                 probe::parse_checklist(util::dump_json(checklist), step.where));
            return run_checks(std::move(parsed), {});
        }
        case StepKind::checklist: {
            LAUNCHKIT_TRY_ASSIGN(auto parsed, probe::load_checklist(body.value("file", "")));
            return run_checks(std::move(parsed), body.value("tags", std::vector<std::string>{}));
        }
        case StepKind::wait: {
            auto duration = util::parse_duration(body.value("duration", ""));
            if (!duration)
                return fail(ExitCode::invalid_input, "{}: wait: {}", step.where,
                            duration.error().message);
            if (run.sleep)
                run.sleep(*duration);
            else
                run.context.sleep_for(*duration);
            StepOutcome outcome;
            outcome.succeeded = true;
            outcome.message = "waited " + util::format_duration(*duration);
            return outcome;
        }
        case StepKind::approve:
            return approve(step, body, run);
        case StepKind::verify:
            return execute_verify_step(body, run);
        case StepKind::notify:
            return send_notification(body, run);
        default:
            break;
    }
    return fail(ExitCode::environment, "{}: no executor for {} steps", step.where,
                to_string(step.kind));
}

}  // namespace launchkit::playbook

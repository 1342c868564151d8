#include "playbook/run_report.h"

#include <fmt/format.h>

#include "core/output.h"
#include "util/strings.h"

namespace launchkit::playbook {
namespace {

nlohmann::json record_json(const StepRecord& record) {
    return {{"step", record.name},
            {"status", to_string(record.status)},
            {"started_at", string_or_null(record.started_at)},
            {"finished_at", string_or_null(record.finished_at)},
            {"outputs", record.outputs},
            {"decision", record.decision},
            {"message", record.message}};
}

Color status_color(std::string_view status) {
    if (status == "succeeded" || status == "rolled_back") return Color::green;
    if (status == "failed" || status == "rollback_failed") return Color::red;
    return Color::yellow;
}

}  // namespace

nlohmann::json to_json(const RunState& state) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& name : state.forward_order) steps.push_back(record_json(state.steps.at(name)));
    nlohmann::json rollback = nlohmann::json::array();
    for (const auto& name : state.rollback_order)
        rollback.push_back(record_json(state.rollback.at(name)));
    nlohmann::json notifications = nlohmann::json::array();
    for (const auto& sent : state.notifications)
        notifications.push_back({{"notice", sent.notice},
                                 {"target", sent.target},
                                 {"delivered", sent.delivered},
                                 {"attempts", sent.attempts},
                                 {"error", string_or_null(sent.error)},
                                 {"reference", string_or_null(sent.reference)},
                                 {"time", sent.time}});
    const auto& started = state.started;
    return {{"run_id", state.run_id},
            {"status", to_string(state.status)},
            {"playbook", started.playbook},
            {"playbook_file", started.playbook_file},
            {"version", started.version},
            {"env", started.env},
            {"previous_version", string_or_null(started.previous_version)},
            {"actor", started.actor},
            {"started_at", started.time},
            {"finished_at", string_or_null(state.finished_at)},
            {"failed_step", string_or_null(state.failed_step)},
            {"reason", string_or_null(state.failure_reason)},
            {"completed", state.completed},
            {"interrupted", state.interrupted
                                ? nlohmann::json{{"signal", state.interrupted->signal},
                                                 {"action", to_string(state.interrupted->action)}}
                                : nlohmann::json(nullptr)},
            {"steps", std::move(steps)},
            {"rollback", std::move(rollback)},
            {"notifications", std::move(notifications)}};
}

void print_run_report(Context& context, const Playbook& playbook, const RunState& state) {
    if (context.json) {
        print_json(*context.out, to_json(state));
        return;
    }
    Table table({"STEP", "KIND", "STATUS", "DETAIL"});
    for (const auto& step : playbook.steps) {
        auto record = state.steps.find(step.name);
        auto status = record == state.steps.end() ? std::string("not run")
                                                  : std::string(to_string(record->second.status));
        table.add_row({step.name, std::string(to_string(step.kind)),
                       colorize(status, status_color(status), context.color),
                       record == state.steps.end() ? "" : record->second.message});
    }
    for (const auto& name : state.rollback_order) {
        const auto& record = state.rollback.at(name);
        auto status = std::string(to_string(record.status));
        table.add_row({name, "rollback", colorize(status, status_color(status), context.color),
                       record.message});
    }
    table.render(*context.out, context.color);
    auto status = std::string(to_string(state.status));
    *context.out << fmt::format(
        "\nrun {}: {}{}\n", state.run_id, colorize(status, status_color(status), context.color),
        state.failure_reason.empty() ? "" : " — " + util::printable(state.failure_reason));
    if (state.status == RunStatus::paused)
        *context.out << fmt::format(
            "continue with `release-manager resume {}` or go back with `release-manager rollback "
            "{}`\n",
            state.run_id, state.started.env);
}

}  // namespace launchkit::playbook

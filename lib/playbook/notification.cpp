#include "playbook/notification.h"

#include <fmt/format.h>

#include "probe/http_client.h"
#include "util/bounded_json.h"
#include "util/file_io.h"

namespace launchkit::playbook {
namespace {

std::string value_of(const Variables& variables, const std::string& name,
                     const std::string& fallback = "-") {
    auto found = variables.find(name);
    return found == variables.end() || found->second.empty() ? fallback : found->second;
}

}  // namespace

Notification render_notification(const nlohmann::json& body, const Variables& variables) {
    auto name = body.value("template", "");
    auto message = body.value("message", "");
    auto playbook = value_of(variables, "playbook");
    auto version = value_of(variables, "version");
    auto env = value_of(variables, "env");
    auto previous = value_of(variables, "previous_version", "none");
    auto run_id = value_of(variables, "run_id");
    Notification notification;
    // The runbooks' templates (the Mycelia Upgrade Playbook's upgrade communication, the Mycelia
    // Rollback Procedures's rollback announcement).
    if (name == "pre-upgrade") {
        notification.subject = fmt::format("Scheduled Upgrade: {} {} - {}", playbook, version, env);
        notification.text = fmt::format(
            "Upgrade Details:\n- Version: {} (now {})\n- Environment: {}\n- Strategy: {}\n"
            "- Rollback Plan: automatic rollback (launchkit run {})\n",
            version, previous, env, value_of(variables, "strategy"), run_id);
    } else if (name == "progress") {
        notification.subject =
            fmt::format("Upgrade Progress: {} {} - in progress", playbook, version);
        notification.text =
            fmt::format("Current Status: In Progress\nEnvironment: {}\nRun: {}\n", env, run_id);
    } else if (name == "post-upgrade") {
        notification.subject = fmt::format("Upgrade Completed: {} {} - Success", playbook, version);
        notification.text =
            fmt::format("Upgrade Status: Success\nEnvironment: {}\nPrevious version: {}\nRun: {}\n",
                        env, previous, run_id);
    } else if (name == "rollback") {
        auto reason = value_of(variables, "failure_reason", "a failed check");
        notification.subject = fmt::format("[URGENT] System Rollback - {}", reason);
        notification.text = fmt::format(
            "We are implementing an emergency rollback of {} {} in {} due to: {}\n"
            "Failed step: {}\nRolling back to: {}\nRun: {}\n",
            playbook, version, env, reason, value_of(variables, "failed_step"), previous, run_id);
    } else {
        notification.subject = body.value("subject", "");
        if (notification.subject.empty())
            notification.subject = fmt::format("{} {} - {}", playbook, version, env);
    }
    if (!body.value("subject", "").empty()) notification.subject = body.value("subject", "");
    if (!message.empty())
        notification.text += (notification.text.empty() ? "" : "\n") + message + "\n";
    return notification;
}

Result<void> send_notification(const nlohmann::json& body, StepContext& run) {
    auto notification = render_notification(body, run.variables);
    auto rendered = fmt::format("Subject: {}\n\n{}", notification.subject, notification.text);
    const auto& to = body.at("to");
    if (to.value("stdout", false)) {
        auto& out = run.operator_output();
        out << rendered << '\n' << std::flush;
        return {};
    }
    if (auto file = to.value("file", ""); !file.empty()) {
        std::filesystem::path path(file);
        if (path.has_parent_path()) LAUNCHKIT_TRY(util::create_directories(path.parent_path()));
        return util::append_durably(path, rendered + "\n", 0644);  // the user's own file
    }
    probe::HttpRequest request;
    request.method = "POST";
    request.url = to.value("webhook", "");
    request.content_type = "application/json";
    request.timeout = std::chrono::seconds(10);
    LAUNCHKIT_TRY_ASSIGN(request.bearer_token, probe::read_token({to.value("token_env", "")}));
    nlohmann::json payload{{"subject", notification.subject},
                           {"text", notification.text},
                           {"run_id", value_of(run.variables, "run_id")},
                           {"playbook", value_of(run.variables, "playbook")},
                           {"version", value_of(run.variables, "version")},
                           {"env", value_of(run.variables, "env")}};
    request.body = util::dump_json(payload);
    LAUNCHKIT_TRY(probe::fetch_ok(request));
    return {};
}

}  // namespace launchkit::playbook

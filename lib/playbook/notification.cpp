#include "playbook/notification.h"

#include <fmt/format.h>

#include <fmt/ranges.h>
#include "notify/delivery.h"
#include "playbook/run_announcements.h"
#include "util/bounded_json.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "util/time.h"

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

notify::Notice run_facts(const Variables& variables) {
    notify::Notice notice;
    auto get = [&](const char* name) {
        auto found = variables.find(name);
        return found == variables.end() ? std::string() : found->second;
    };
    notice.run_id = get("run_id");
    notice.playbook = get("playbook");
    notice.version = get("version");
    notice.environment = get("env");
    notice.previous_version = get("previous_version");
    return notice;
}

StepOutcome send_notification(const nlohmann::json& body, StepContext& run) {
    auto rendered = render_notification(body, run.variables);
    auto notice = run_facts(run.variables);
    notice.kind = notify::NoticeKind::message;
    notice.subject = rendered.subject;
    notice.text = rendered.text;
    notice.time = util::format_rfc3339(run.context.now());
    notify::DeliveryPolicy policy;
    policy.text_output = &run.operator_output();
    if (run.sleep) policy.sleep = run.sleep;
    std::vector<std::string> failures;
    int delivered = 0;
    for (const auto& target : body.value("to", nlohmann::json::array())) {
        auto delivery = notify::deliver(target, notice, policy);
        if (run.record) {
            // Without its reference: a message's Statuspage incident is not the run's, and the
            // run's own notices must not update it.
            auto sent = notification_sent(delivery, "message");
            sent.reference.clear();
            // A journal that cannot be written is the run's problem, reported by its next event.
            (void)run.record(std::move(sent));
        }
        if (delivery.delivered)
            ++delivered;
        else if (!delivery.skipped)
            failures.push_back(fmt::format("{}: {}", delivery.target, delivery.error));
    }
    // A notification that did not go out never fails the run: it is said and journaled.
    StepOutcome outcome;
    outcome.succeeded = true;
    outcome.message =
        failures.empty()
            ? fmt::format("sent to {}", util::count_of(delivered, "target"))
            : fmt::format("sent to {}; not delivered: {}", util::count_of(delivered, "target"),
                          fmt::join(failures, "; "));
    if (!failures.empty())
        *run.context.err << fmt::format("  warning: notification not delivered: {}\n",
                                        fmt::join(failures, "; "));
    return outcome;
}

}  // namespace launchkit::playbook

// `notify` steps: the runbooks' communication templates (pre-upgrade, progress, post-upgrade,
// rollback announcement) rendered with the run's variables, to stdout, a file, or a webhook.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "notify/notice.h"
#include "playbook/step_executor.h"

namespace launchkit::playbook {

// {subject, text} of a template (or of a plain message) with the run's variables filled in.
struct Notification {
    std::string subject{};
    std::string text{};
};
Notification render_notification(const nlohmann::json& body, const Variables& variables);

// The run's facts (run id, playbook, version, environment) from its variables.
notify::Notice run_facts(const Variables& variables);

// Renders and delivers to every target: stdout (stderr under --json, whose stdout is the run's
// JSON), a file (appended), a webhook, Slack, Teams or PagerDuty, each journaled. Always succeeds:
// what could not be delivered is in the outcome's message and on stderr.
StepOutcome send_notification(const nlohmann::json& body, StepContext& run);

}  // namespace launchkit::playbook

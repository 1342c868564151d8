// `notify` steps: the runbooks' communication templates (pre-upgrade, progress, post-upgrade,
// rollback announcement) rendered with the run's variables, to stdout, a file, or a webhook.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "playbook/step_executor.h"

namespace launchkit::playbook {

// {subject, text} of a template (or of a plain message) with the run's variables filled in.
struct Notification {
    std::string subject{};
    std::string text{};
};
Notification render_notification(const nlohmann::json& body, const Variables& variables);

// Renders and delivers: stdout (stderr under --json, whose stdout is the run's JSON), a file
// (appended), or a webhook (POST {"subject", "text", "run_id", ...}; token from token_env).
Result<void> send_notification(const nlohmann::json& body, StepContext& run);

}  // namespace launchkit::playbook

// Where a notification goes, as written in a playbook's `notify: {to: ...}` or launchkit.yaml's
// `notifications:`: stdout, a file, a generic webhook, Slack, Microsoft Teams or PagerDuty.
// Validated when read; kept as JSON so a playbook's ${...} references expand before delivery.
// Secrets (Slack and Teams webhook URLs, PagerDuty routing keys) are named by a variable or a
// file, never written in the file itself.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "core/yaml_reader.h"
#include "notify/notice.h"

namespace launchkit::notify {

// The normalised target: {kind, file, url, token_env, secret_env, secret_file, endpoint, on}.
// `allow_on`: config entries choose the moments they hear about (`on: [rolling_back, ...]`) and
// the environments they are for (`environments: [production]`).
Result<nlohmann::json> read_notification_target(const YamlReader& reader, const YamlNode& node,
                                                const std::string& field,
                                                const std::filesystem::path& directory,
                                                bool allow_on);

// One target or a list of them.
Result<std::vector<nlohmann::json>> read_notification_targets(
    const YamlReader& reader, const YamlNode& node, const std::string& field,
    const std::filesystem::path& directory, bool allow_on);

// Whether a config target hears about `kind` (its `on:` list; by default every run moment, and
// for PagerDuty those that trigger or resolve an alert).
bool target_hears(const nlohmann::json& target, NoticeKind kind);
// Whether any of the configured targets hears `kind` (before anything is opened to announce it).
bool any_target_hears(const std::vector<nlohmann::json>& targets, NoticeKind kind);

// Whether a config target is for `environment` (its `environments:` list; none: every one).
bool target_covers(const nlohmann::json& target, const std::string& environment);

// "slack ($SLACK_WEBHOOK_URL)", "pagerduty (file /etc/...)": for messages and journals, never the
// secret itself.
std::string describe_target(const nlohmann::json& target);

}  // namespace launchkit::notify

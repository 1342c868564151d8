// The JSON each service's API takes for a notice: Slack's incoming webhooks (Block Kit), Microsoft
// Teams' incoming webhooks (an Adaptive Card), PagerDuty's Events API v2, and launchkit's own
// generic webhook. Pure functions: delivery is notify/delivery.h's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "notify/notice.h"

namespace launchkit::notify {

// {text, attachments: [{color, blocks: [header, section, fields, context]}]}: the text is what
// notifications and screen readers show; the colour bar is the run's tone.
nlohmann::json slack_message(const Notice& notice);

// {type: message, attachments: [{contentType: application/vnd.microsoft.card.adaptive, content:
// AdaptiveCard 1.4}]}.
nlohmann::json teams_message(const Notice& notice);

// What a moment means to an on-call rotation: a rollback started, failed, or a run stopped or
// paused opens (triggers) an alert; the run deploying or rolling back cleanly resolves it. Other
// moments send nothing.
enum class PagerDutyAction { trigger, resolve };
std::optional<PagerDutyAction> pagerduty_action(NoticeKind kind);

// An Events API v2 event; `dedup_key` is the run id, so the resolve finds the trigger.
nlohmann::json pagerduty_event(const Notice& notice, const std::string& routing_key,
                               PagerDutyAction action);

// Atlassian Statuspage (REST API v1, developer.statuspage.io): a rollback, a stop, a pause of a
// run or of a launch control opens an incident (or updates the one open); the run deploying or
// rolling back cleanly, or the control resuming, resolves it.
enum class StatuspageAction { create, update, resolve };
std::optional<StatuspageAction> statuspage_action(NoticeKind kind, bool incident_open);

// {incident: {name, status, body, component_ids, components}} for POST .../incidents (create) or
// PATCH .../incidents/ID (update, resolve).
nlohmann::json statuspage_incident(const Notice& notice, const std::vector<std::string>& components,
                                   StatuspageAction action);

// launchkit's generic webhook: {event, subject, text, run_id, playbook, version, env, ...}.
nlohmann::json webhook_payload(const Notice& notice);

}  // namespace launchkit::notify

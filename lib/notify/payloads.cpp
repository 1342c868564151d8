#include "notify/payloads.h"

#include <string_view>

#include <fmt/format.h>

namespace launchkit::notify {
namespace {

// Block Kit's limits: a header's text 150 characters, a section's 3000, a field's 2000.
std::string at_most(const std::string& text, size_t limit) {
    if (text.size() <= limit) return text;
    auto cut = text.substr(0, limit - 3);
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();
    if (!cut.empty() && static_cast<unsigned char>(cut.back()) >= 0xC0) cut.pop_back();
    return cut + "...";
}

// Slack parses mrkdwn and a message's top-level text for links and mentions: `<!channel>` in a
// reason would page a whole channel, `<https://x|Run report>` forge a link. Its documented escape
// is these three entities and no others.
std::string slack_escaped(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (char c : text) {
        if (c == '&')
            escaped += "&amp;";
        else if (c == '<')
            escaped += "&lt;";
        else if (c == '>')
            escaped += "&gt;";
        else
            escaped += c;
    }
    return escaped;
}

std::string slack_colour(Tone tone) {
    switch (tone) {
        case Tone::good:
            return "#2eb886";
        case Tone::warning:
            return "#daa038";
        case Tone::danger:
            return "#a30200";
        case Tone::neutral:
            return "#8a8a8a";
    }
    return "#8a8a8a";
}

std::string teams_colour(Tone tone) {
    switch (tone) {
        case Tone::good:
            return "Good";
        case Tone::warning:
            return "Warning";
        case Tone::danger:
            return "Attention";
        case Tone::neutral:
            return "Default";
    }
    return "Default";
}

// The facts a person scans for, in order; empty ones left out.
std::vector<std::pair<std::string, std::string>> facts_of(const Notice& notice) {
    std::vector<std::pair<std::string, std::string>> facts;
    auto add = [&](const char* title, const std::string& value) {
        if (!value.empty()) facts.emplace_back(title, value);
    };
    add("Version", notice.version);
    add("Environment", notice.environment);
    add("Previous version", notice.previous_version);
    add("Step", notice.step);
    if (notice.decision.is_object())
        add("Decision", fmt::format("{}: {}", notice.decision.value("verdict", "?"),
                                    notice.decision.value("reason", "")));
    add("Run", notice.run_id);
    return facts;
}

}  // namespace

nlohmann::json slack_message(const Notice& notice) {
    auto blocks = nlohmann::json::array();
    blocks.push_back({{"type", "header"},
                      {"text", {{"type", "plain_text"}, {"text", at_most(notice.subject, 150)}}}});
    if (!notice.text.empty())
        blocks.push_back(
            {{"type", "section"},
             {"text", {{"type", "plain_text"}, {"text", at_most(notice.text, 3000)}}}});
    auto fields = nlohmann::json::array();
    for (const auto& [title, value] : facts_of(notice)) {
        if (fields.size() == 10) break;  // Block Kit's limit per section
        fields.push_back(
            {{"type", "mrkdwn"},
             {"text", at_most(fmt::format("*{}*\n{}", title, slack_escaped(value)), 2000)}});
    }
    if (!fields.empty()) blocks.push_back({{"type", "section"}, {"fields", fields}});
    if (!notice.report_url.empty())
        blocks.push_back({{"type", "context"},
                          {"elements",
                           {{{"type", "mrkdwn"},
                             {"text", fmt::format("<{}|Run report>", notice.report_url)}}}}});
    return {{"text", at_most(slack_escaped(notice.subject), 3000)},
            {"attachments", {{{"color", slack_colour(tone_of(notice.kind))}, {"blocks", blocks}}}}};
}

// Teams renders Markdown (links, emphasis, lists) in a TextBlock and in a FactSet's values, with
// escapes its renderers do not agree on: a reason holding `[Run report](https://x)` would show as
// a link. A RichTextBlock's TextRuns are shown as written, so every text a notice carries goes in
// one.
namespace {

nlohmann::json rich_text(nlohmann::json runs) {
    return {{"type", "RichTextBlock"}, {"inlines", std::move(runs)}};
}

nlohmann::json text_run(const std::string& text) {
    return {{"type", "TextRun"}, {"text", text}};
}

}  // namespace

nlohmann::json teams_message(const Notice& notice) {
    auto body = nlohmann::json::array();
    auto subject = text_run(notice.subject);
    subject["weight"] = "Bolder";
    subject["size"] = "Medium";
    subject["color"] = teams_colour(tone_of(notice.kind));
    body.push_back(rich_text(nlohmann::json::array({subject})));
    if (!notice.text.empty())
        body.push_back(rich_text(nlohmann::json::array({text_run(notice.text)})));
    // One line per fact, its title in bold: a FactSet would read the values as Markdown.
    bool first_fact = true;
    for (const auto& [title, value] : facts_of(notice)) {
        auto title_run = text_run(title + ": ");
        title_run["weight"] = "Bolder";
        auto line = rich_text(nlohmann::json::array({title_run, text_run(value)}));
        line["spacing"] = first_fact ? "Medium" : "None";
        first_fact = false;
        body.push_back(std::move(line));
    }
    nlohmann::json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                           {"type", "AdaptiveCard"},
                           {"version", "1.4"},
                           {"body", body}};
    if (!notice.report_url.empty())
        card["actions"] = {
            {{"type", "Action.OpenUrl"}, {"title", "Run report"}, {"url", notice.report_url}}};
    return {{"type", "message"},
            {"attachments",
             {{{"contentType", "application/vnd.microsoft.card.adaptive"},
               {"contentUrl", nullptr},
               {"content", card}}}}};
}

std::optional<PagerDutyAction> pagerduty_action(NoticeKind kind) {
    switch (kind) {
        case NoticeKind::rolling_back:
        case NoticeKind::rollback_failed:
        case NoticeKind::failed:
        case NoticeKind::paused:
        case NoticeKind::abandoned:  // nobody rolled back: someone must look
            return PagerDutyAction::trigger;
        case NoticeKind::succeeded:
        case NoticeKind::rolled_back:
            return PagerDutyAction::resolve;
        case NoticeKind::message:
        case NoticeKind::started:
        case NoticeKind::control_paused:
        case NoticeKind::control_resumed:
            return std::nullopt;
    }
    return std::nullopt;
}

nlohmann::json pagerduty_event(const Notice& notice, const std::string& routing_key,
                               PagerDutyAction action) {
    nlohmann::json event = {
        {"routing_key", routing_key},
        {"dedup_key", at_most("launchkit-" + notice.run_id, 255)},
        {"event_action", action == PagerDutyAction::trigger ? "trigger" : "resolve"}};
    if (action == PagerDutyAction::resolve) return event;
    nlohmann::json details = {{"run_id", notice.run_id},
                              {"playbook", notice.playbook},
                              {"version", notice.version},
                              {"environment", notice.environment},
                              {"previous_version", notice.previous_version},
                              {"step", notice.step},
                              {"reason", notice.reason}};
    if (!notice.decision.is_null()) details["decision"] = notice.decision;
    event["payload"] = {
        {"summary", at_most(notice.subject, 1024)},
        {"source", notice.environment.empty() ? std::string("launchkit") : notice.environment},
        {"severity", notice.kind == NoticeKind::rollback_failed ? "critical"
                     : notice.kind == NoticeKind::paused        ? "warning"
                                                                : "error"},
        {"component", notice.playbook},
        {"group", notice.environment},
        {"class", "deploy"},
        {"custom_details", details}};
    if (!notice.time.empty()) event["payload"]["timestamp"] = notice.time;
    event["client"] = "launchkit";
    if (!notice.report_url.empty())
        event["links"] = {{{"href", notice.report_url}, {"text", "Run report"}}};
    return event;
}

std::optional<StatuspageAction> statuspage_action(NoticeKind kind, bool incident_open) {
    switch (kind) {
        case NoticeKind::rolling_back:
        case NoticeKind::rollback_failed:
        case NoticeKind::failed:
        case NoticeKind::paused:
        case NoticeKind::control_paused:
            return incident_open ? StatuspageAction::update : StatuspageAction::create;
        case NoticeKind::succeeded:
        case NoticeKind::rolled_back:
        case NoticeKind::control_resumed:
            if (incident_open) return StatuspageAction::resolve;
            return std::nullopt;
        case NoticeKind::abandoned:
            // The public page keeps what it said; an incident already open hears the news.
            if (incident_open) return StatuspageAction::update;
            return std::nullopt;
        case NoticeKind::message:
        case NoticeKind::started:
            return std::nullopt;
    }
    return std::nullopt;
}

nlohmann::json statuspage_incident(const Notice& notice, const std::vector<std::string>& components,
                                   StatuspageAction action) {
    // Statuspage's incident statuses: investigating, identified, monitoring, resolved; component
    // statuses: operational, degraded_performance, partial_outage, major_outage.
    std::string status = "investigating";
    std::string component_status = "degraded_performance";
    if (action == StatuspageAction::resolve) {
        status = "resolved";
        component_status = "operational";
    } else if (notice.kind == NoticeKind::rollback_failed) {
        status = "identified";
        component_status = "major_outage";
    } else if (action == StatuspageAction::update) {
        status = "identified";
    }
    nlohmann::json incident = {{"status", status}, {"body", at_most(notice.text, 20000)}};
    if (action == StatuspageAction::create) {
        incident["name"] = at_most(notice.subject, 255);
        incident["component_ids"] = components;
    }
    if (!components.empty()) {
        incident["components"] = nlohmann::json::object();
        for (const auto& component : components)
            incident["components"][component] = component_status;
    }
    return {{"incident", incident}};
}

nlohmann::json webhook_payload(const Notice& notice) {
    return {{"event", to_string(notice.kind)},
            {"subject", notice.subject},
            {"text", notice.text},
            {"run_id", notice.run_id},
            {"playbook", notice.playbook},
            {"version", notice.version},
            {"env", notice.environment},
            {"previous_version", notice.previous_version},
            {"step", notice.step},
            {"reason", notice.reason},
            {"decision", notice.decision},
            {"report_url", notice.report_url},
            {"control", notice.control}};
}

}  // namespace launchkit::notify

// Each service's payload, field by field, against the examples in its own documentation:
// - PagerDuty Events API v2, "Send an Alert Event" (developer.pagerduty.com,
//   docs/events-API-v2/02-Trigger-Events.md): trigger {routing_key, event_action, dedup_key,
//   payload: {summary, source, severity, timestamp, component, group, class, custom_details},
//   client, links}; resolve {routing_key, dedup_key, event_action} and nothing else.
// - Slack, "Sending messages using incoming webhooks" and Block Kit's reference: {text,
// attachments:
//   [{color, blocks}]}, a header block of plain_text (150 characters at most), section fields of
//   mrkdwn (10 at most), a context block.
// - Microsoft Teams, "Create incoming webhooks" with Adaptive Cards: {type: "message", attachments:
//   [{contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content:
//   {$schema, type: "AdaptiveCard", version, body, actions}}]}; the body's texts in RichTextBlocks
//   of TextRuns, which (Adaptive Cards' "Text features") are not read as Markdown.
#include <catch2/catch.hpp>

#include "notify/notice.h"
#include "notify/payloads.h"

using namespace launchkit::notify;

namespace {

Notice rollback_notice() {
    Notice facts;
    facts.run_id = "20261204T101500000Z-ab12";
    facts.playbook = "mycelia-upgrade";
    facts.version = "1.5.0";
    facts.environment = "production";
    facts.previous_version = "1.4.0";
    facts.step = "upgrade";
    facts.reason = "gate upgrade@10%: error-rate 9% over 2%";
    facts.decision = {{"verdict", "rollback"}, {"reason", "error-rate 9% over 2%"}};
    facts.report_url = "https://ci.example.com/runs/20261204T101500000Z-ab12.html";
    facts.time = "2026-12-04T10:15:00Z";
    return describe_run_moment(NoticeKind::rolling_back, facts);
}

}  // namespace

TEST_CASE("PagerDuty: a rollback triggers an alert keyed by the run, its success resolves it",
          "[notify]") {
    auto notice = rollback_notice();
    REQUIRE(pagerduty_action(NoticeKind::rolling_back) == PagerDutyAction::trigger);
    REQUIRE(pagerduty_action(NoticeKind::rollback_failed) == PagerDutyAction::trigger);
    REQUIRE(pagerduty_action(NoticeKind::rolled_back) == PagerDutyAction::resolve);
    REQUIRE(pagerduty_action(NoticeKind::succeeded) == PagerDutyAction::resolve);
    CHECK_FALSE(pagerduty_action(NoticeKind::started));
    CHECK_FALSE(pagerduty_action(NoticeKind::message));

    auto trigger = pagerduty_event(notice, "R0UT1NGKEY", PagerDutyAction::trigger);
    CHECK(trigger["routing_key"] == "R0UT1NGKEY");
    CHECK(trigger["event_action"] == "trigger");
    CHECK(trigger["dedup_key"] == "launchkit-20261204T101500000Z-ab12");
    const auto& payload = trigger["payload"];
    CHECK(payload["summary"] == "[URGENT] Rolling back: mycelia-upgrade 1.5.0 in production");
    CHECK(payload["source"] == "production");
    CHECK(payload["severity"] == "error");
    CHECK(payload["timestamp"] == "2026-12-04T10:15:00Z");
    CHECK(payload["component"] == "mycelia-upgrade");
    CHECK(payload["group"] == "production");
    CHECK(payload["class"] == "deploy");
    CHECK(payload["custom_details"]["decision"]["verdict"] == "rollback");
    CHECK(payload["custom_details"]["previous_version"] == "1.4.0");
    CHECK(trigger["client"] == "launchkit");
    CHECK(trigger["links"][0]["href"] == notice.report_url);

    auto failed = notice;
    failed.kind = NoticeKind::rollback_failed;
    CHECK(pagerduty_event(failed, "K", PagerDutyAction::trigger)["payload"]["severity"] ==
          "critical");

    auto resolve = pagerduty_event(describe_run_moment(NoticeKind::rolled_back, notice),
                                   "R0UT1NGKEY", PagerDutyAction::resolve);
    CHECK(resolve == nlohmann::json{{"routing_key", "R0UT1NGKEY"},
                                    {"dedup_key", "launchkit-20261204T101500000Z-ab12"},
                                    {"event_action", "resolve"}});
    // The summary's documented limit is 1024 characters.
    auto long_notice = notice;
    long_notice.subject = std::string(5000, 'x');
    CHECK(pagerduty_event(long_notice, "K", PagerDutyAction::trigger)["payload"]["summary"]
              .get<std::string>()
              .size() == 1024);
}

TEST_CASE("Slack: Block Kit in an attachment coloured by the run's outcome", "[notify]") {
    auto message = slack_message(rollback_notice());
    CHECK(message["text"] == "[URGENT] Rolling back: mycelia-upgrade 1.5.0 in production");
    REQUIRE(message["attachments"].size() == 1);
    CHECK(message["attachments"][0]["color"] == "#daa038");
    const auto& blocks = message["attachments"][0]["blocks"];
    REQUIRE(blocks.size() == 4);
    CHECK(blocks[0]["type"] == "header");
    CHECK(blocks[0]["text"]["type"] == "plain_text");
    CHECK(blocks[1]["type"] == "section");
    CHECK_THAT(blocks[1]["text"]["text"].get<std::string>(), Catch::Contains("1.4.0"));
    CHECK(blocks[2]["type"] == "section");
    CHECK(blocks[2]["fields"][0] ==
          nlohmann::json{{"type", "mrkdwn"}, {"text", "*Version*\n1.5.0"}});
    bool decision_shown = false;
    for (const auto& field : blocks[2]["fields"])
        decision_shown |= field["text"] == "*Decision*\nrollback: error-rate 9% over 2%";
    CHECK(decision_shown);
    CHECK(blocks[3]["type"] == "context");
    CHECK_THAT(blocks[3]["elements"][0]["text"].get<std::string>(),
               Catch::Contains("|Run report>"));
    // A header's text is at most 150 characters; a multi-byte character is never cut in half.
    auto long_notice = rollback_notice();
    long_notice.subject = std::string(149, 'a') + "é" + "tail";
    auto header = slack_message(long_notice)["attachments"][0]["blocks"][0]["text"]["text"]
                      .get<std::string>();
    CHECK(header.size() <= 150);
    CHECK(nlohmann::json(header).dump().find("\\u") == std::string::npos);
    // What Slack would parse as a mention or a link is sent as text (its three entities).
    auto hostile = rollback_notice();
    hostile.subject = "checkout paused <!channel>";
    hostile.decision = {{"verdict", "rollback"},
                        {"reason", "<https://x.example|Run report> & more"}};
    auto escaped = slack_message(hostile);
    CHECK(escaped["text"] == "checkout paused &lt;!channel&gt;");
    bool reason_escaped = false;
    for (const auto& field : escaped["attachments"][0]["blocks"][2]["fields"])
        reason_escaped |= field["text"] ==
                          "*Decision*\nrollback: &lt;https://x.example|Run report&gt; &amp; more";
    CHECK(reason_escaped);
    auto rolled_back = rollback_notice();
    rolled_back.kind = NoticeKind::rolled_back;
    CHECK(slack_message(rolled_back)["attachments"][0]["color"] == "#2eb886");
    rolled_back.kind = NoticeKind::rollback_failed;
    CHECK(slack_message(rolled_back)["attachments"][0]["color"] == "#a30200");
}

TEST_CASE("Teams: an Adaptive Card with the facts and a link to the report", "[notify]") {
    auto message = teams_message(rollback_notice());
    CHECK(message["type"] == "message");
    REQUIRE(message["attachments"].size() == 1);
    const auto& attachment = message["attachments"][0];
    CHECK(attachment["contentType"] == "application/vnd.microsoft.card.adaptive");
    CHECK(attachment["contentUrl"].is_null());
    const auto& card = attachment["content"];
    CHECK(card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json");
    CHECK(card["type"] == "AdaptiveCard");
    CHECK(card["version"] == "1.4");
    CHECK(card["body"][0]["type"] == "RichTextBlock");
    CHECK(card["body"][0]["inlines"][0]["text"] == rollback_notice().subject);
    CHECK(card["body"][0]["inlines"][0]["color"] == "Warning");
    CHECK(card["body"][0]["inlines"][0]["weight"] == "Bolder");
    // The facts follow the text, one line each: Version, then Environment.
    const auto& environment = card["body"][3]["inlines"];
    CHECK(environment[0]["text"] == "Environment: ");
    CHECK(environment[0]["weight"] == "Bolder");
    CHECK(environment[1] == nlohmann::json{{"type", "TextRun"}, {"text", "production"}});
    CHECK(card["actions"][0]["type"] == "Action.OpenUrl");
    CHECK(card["actions"][0]["url"] == rollback_notice().report_url);
}

TEST_CASE("Teams: a notice's text is shown as written, never as Markdown", "[notify]") {
    // A TextBlock or a FactSet value would turn this reason into a link beside the real report's.
    auto notice = rollback_notice();
    notice.subject = "Rolled back **now** [Run report](https://x.example/fake)";
    notice.text = "- [Run report](https://x.example/fake) _see_";
    notice.decision["reason"] = "[Run report](https://x.example/fake)";
    auto card = teams_message(notice)["attachments"][0]["content"];
    int texts_found = 0;
    for (const auto& element : card["body"]) {
        CHECK(element["type"] == "RichTextBlock");
        for (const auto& run : element["inlines"]) {
            CHECK(run["type"] == "TextRun");
            auto text = run["text"].get<std::string>();
            if (text == notice.subject || text == notice.text ||
                text == "rollback: [Run report](https://x.example/fake)")
                ++texts_found;
        }
    }
    CHECK(texts_found == 3);
}

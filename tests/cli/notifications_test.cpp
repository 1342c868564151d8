// Runs announce themselves where launchkit.yaml's `notifications:` say: Slack hears every moment,
// PagerDuty triggers on the rollback and resolves when it is done (same dedup key), a Teams
// webhook that answers 500 is retried; a target that stays down never fails the deploy, and every
// delivery is journaled.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/flag_server.h"
#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "support/webhook_receiver.h"
#include "util/file_io.h"

using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;
using launchkit::testing::WebhookReceiver;

TEST_CASE("notifications: Slack, Teams and PagerDuty hear a run's moments", "[cli][notify]") {
    StateFixture fixture;
    WebhookReceiver receiver;
    TempDir dir;
    dir.write(
        "launchkit.yaml",
        R"(reports: {directory: reports, url: "https://deploys.example.com/runs/${run_id}.html"}
notifications:
  - slack: {webhook_env: TEST_SLACK_WEBHOOK}
  - teams: {webhook_file: teams-webhook.txt}
    on: [rolled_back, rollback_failed]
  - pagerduty: {routing_key_env: TEST_PAGERDUTY_KEY, endpoint: ")" +
            receiver.url("/v2/enqueue") + R"("}
    environments: [production]
)");
    dir.write("teams-webhook.txt", receiver.url("/teams/webhookb2/s3cr3t") + "\n");
    dir.write("bad.yaml", R"(apiVersion: launchkit/v1
name: bad
steps:
  - {name: migrate, run: ["false"], on_failure: rollback}
  - name: tell
    notify: {message: "never reached", to: {slack: {webhook_env: TEST_SLACK_WEBHOOK}}}
)");
    dir.write("good.yaml", R"(apiVersion: launchkit/v1
name: good
steps:
  - {name: migrate, run: ["true"]}
  - name: tell
    notify:
      message: "1.5.1 is out"
      to:
        - {slack: {webhook_env: TEST_SLACK_WEBHOOK}}
        - {webhook: ")" + receiver.url("/generic") +
                               R"("}
)");
    launchkit::testing::Environment environment{
        {"TEST_SLACK_WEBHOOK", receiver.url("/services/T000/B000/s3cr3t")},
        {"TEST_PAGERDUTY_KEY", "R0UT1NGKEY"}};
    auto deploy = [&](const std::string& version, const std::string& playbook, int exit) {
        auto result =
            fixture.run("release-manager",
                        {"--config", (dir.path() / "launchkit.yaml").string(), "deploy", version,
                         "production", "--playbook", (dir.path() / playbook).string(), "--json"},
                        environment);
        INFO(result.stderr_text);
        REQUIRE(result.exit_code == exit);
        return nlohmann::json::parse(result.stdout_text);
    };

    // A notification's secret that is not set stops the deploy before anything runs.
    auto unset =
        fixture.run("release-manager",
                    {"--config", (dir.path() / "launchkit.yaml").string(), "deploy", "1.4.9",
                     "production", "--playbook", (dir.path() / "bad.yaml").string()},
                    {{"TEST_PAGERDUTY_KEY", "R0UT1NGKEY"}});
    CHECK(unset.exit_code == 2);
    CHECK_THAT(unset.stderr_text,
               Catch::Contains("notifications[0] (slack ($TEST_SLACK_WEBHOOK))") &&
                   Catch::Contains("TEST_SLACK_WEBHOOK"));
    CHECK(receiver.requests().empty());

    receiver.fail_next(1);  // the first Slack message meets a 500 and is retried
    auto bad = deploy("1.5.0", "bad.yaml", 1);
    CHECK(bad["status"] == "rolled_back");
    auto slack = receiver.requests_to("/services/T000/B000/s3cr3t");
    std::vector<std::string> subjects;
    for (const auto& request : slack) subjects.push_back(request.json()["text"]);
    CHECK(subjects == std::vector<std::string>{"Upgrade started: bad 1.5.0 in production",
                                               "Upgrade started: bad 1.5.0 in production",
                                               "[URGENT] Rolling back: bad 1.5.0 in production",
                                               "Rollback complete: bad 1.5.0 in production"});
    // The run's report was written when it ended, and the messages link to it.
    auto run_id = bad["run_id"].get<std::string>();
    CHECK(std::filesystem::exists(dir.path() / "reports" / (run_id + ".html")));
    auto blocks = slack.back().json()["attachments"][0]["blocks"];
    CHECK(blocks.back()["elements"][0]["text"] ==
          "<https://deploys.example.com/runs/" + run_id + ".html|Run report>");
    auto pagerduty = receiver.requests_to("/v2/enqueue");
    REQUIRE(pagerduty.size() == 2);
    CHECK(pagerduty[0].json()["event_action"] == "trigger");
    CHECK(pagerduty[0].json()["payload"]["custom_details"]["step"] == "migrate");
    CHECK(pagerduty[1].json()["event_action"] == "resolve");
    CHECK(pagerduty[0].json()["dedup_key"] == pagerduty[1].json()["dedup_key"]);
    CHECK(pagerduty[0].json()["dedup_key"] == "launchkit-" + bad["run_id"].get<std::string>());
    auto teams = receiver.requests_to("/teams/webhookb2/s3cr3t");
    REQUIRE(teams.size() == 1);  // only the moments it asked for
    CHECK(teams[0].json()["attachments"][0]["content"]["body"][0]["inlines"][0]["text"] ==
          "Rollback complete: bad 1.5.0 in production");

    // Every delivery is in the run's journal, with how many attempts it took.
    auto journal = *launchkit::util::read_file(fixture.state.path() / "runs" /
                                               (bad["run_id"].get<std::string>() + ".jsonl"));
    CHECK_THAT(journal, Catch::Contains("\"event\":\"notification_sent\"") &&
                            Catch::Contains("\"target\":\"slack ($TEST_SLACK_WEBHOOK)\"") &&
                            Catch::Contains("\"attempts\":2") && !Catch::Contains("s3cr3t"));

    // A notify step reaches Slack and a generic webhook; a later Teams outage fails nothing.
    auto good = deploy("1.5.1", "good.yaml", 0);
    CHECK(good["status"] == "succeeded");
    auto generic = receiver.requests_to("/generic");
    REQUIRE(generic.size() == 1);
    CHECK(generic[0].json()["event"] == "message");
    CHECK(generic[0].json()["text"] == "1.5.1 is out\n");
    CHECK(receiver.requests_to("/v2/enqueue").back().json()["event_action"] == "resolve");

    dir.write("teams-webhook.txt", "http://127.0.0.1:9/teams/webhookb2/s3cr3t\n");
    dir.write("launchkit.yaml", "notifications:\n  - teams: {webhook_file: teams-webhook.txt}\n");
    auto result =
        fixture.run("release-manager",
                    {"--config", (dir.path() / "launchkit.yaml").string(), "deploy", "1.5.2",
                     "production", "--playbook", (dir.path() / "good.yaml").string()},
                    environment);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.stderr_text, Catch::Contains("notification not delivered to teams (file "));
    CHECK(result.stderr_text.find("s3cr3t") == std::string::npos);
}

TEST_CASE("notifications: a target written wrong is refused when the config is read",
          "[cli][notify]") {
    StateFixture fixture;
    TempDir dir;
    struct Case {
        std::string yaml;
        std::string says;
    };
    for (const auto& [yaml, says] : std::vector<Case>{
             {"notifications: {slack: {}}\n", "notifications: expected a list of targets"},
             {"notifications:\n  - slack: {webhook: https://hooks.slack.com/x}\n",
              "notifications[0].slack.webhook: unknown key"},
             {"notifications:\n  - slack: {}\n",
              "notifications[0].slack: expected webhook_env (a variable holding it)"},
             {"notifications:\n  - pagerduty: {routing_key_env: K}\n    on: [deployed]\n",
              "'deployed' is not a moment"},
             {"notifications:\n  - email: {smtp: http://mail:25, from: a@b, to: c@d}\n",
              "notifications[0].email.smtp: expected smtp://HOST:PORT"},
             {"notifications:\n  - email: {smtp: smtp://mail:587, from: a@b, to: 'c@d, e@f'}\n",
              "'c@d, e@f' is not one address"},
             {"notifications:\n  - email: {smtp: smtp://mail:587, from: a@b, to: c@d, "
              "username_env: U}\n",
              "username_env needs password_env or password_file"},
             {"notifications:\n  - {slack: {webhook_env: A}, teams: {webhook_env: B}}\n",
              "notifications[0]: expected stdout, {file: PATH}"},
         }) {
        dir.write("launchkit.yaml", yaml);
        auto result = fixture.run("release-manager",
                                  {"--config", (dir.path() / "launchkit.yaml").string(), "status"});
        INFO(yaml);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.stderr_text, Catch::Contains(says));
    }
}

TEST_CASE("notifications: a status page incident opens with a rollback or a pause and is resolved",
          "[cli][notify]") {
    StateFixture fixture;
    WebhookReceiver receiver;
    TempDir dir;
    dir.write("launchkit.yaml", R"(notifications:
  - statuspage:
      page_id: kctbh9vrtdwd
      api_key_env: TEST_STATUSPAGE_KEY
      component_ids: [8kbf7d35c070]
      endpoint: ")" + receiver.url("/v1") +
                                    R"("
  - webhook: ")" + receiver.url("/chat") +
                                    R"("
    on: [control_paused, control_resumed]
)");
    dir.write("bad.yaml",
              "apiVersion: launchkit/v1\nname: bad\nsteps:\n"
              "  - {name: migrate, run: [\"false\"], on_failure: rollback}\n");
    launchkit::testing::Environment environment{
        {"TEST_STATUSPAGE_KEY", "5tatu5-k3y"},
        {"LAUNCHKIT_CONFIG", (dir.path() / "launchkit.yaml").string()}};
    auto bad = fixture.run(
        "release-manager",
        {"deploy", "1.5.0", "production", "--playbook", (dir.path() / "bad.yaml").string()},
        environment);
    CHECK(bad.exit_code == 1);
    auto incidents = receiver.requests();
    REQUIRE(incidents.size() == 2);  // opened by the rollback, resolved by its end
    CHECK(incidents[0].method == "POST");
    CHECK(incidents[0].path == "/v1/pages/kctbh9vrtdwd/incidents");
    CHECK(incidents[0].authorization == "OAuth 5tatu5-k3y");
    auto opened = incidents[0].json()["incident"];
    CHECK(opened["name"] == "[URGENT] Rolling back: bad 1.5.0 in production");
    CHECK(opened["status"] == "investigating");
    CHECK(opened["component_ids"] == nlohmann::json{"8kbf7d35c070"});
    CHECK(opened["components"]["8kbf7d35c070"] == "degraded_performance");
    CHECK(incidents[1].method == "PATCH");
    CHECK(incidents[1].path == "/v1/pages/kctbh9vrtdwd/incidents/incident-1");
    CHECK(incidents[1].json()["incident"]["status"] == "resolved");
    CHECK(incidents[1].json()["incident"]["components"]["8kbf7d35c070"] == "operational");

    // The Mycelia Rollback Procedures' pause of redemption: announced, an incident opened; the
    // resume, from another process, resolves that incident.
    CHECK(fixture.run("launchctl", {"pause", "redemption", "--reason", "INC-42"}, environment)
              .exit_code == 0);
    auto chat = receiver.requests_to("/chat");
    REQUIRE(chat.size() == 1);
    CHECK(chat[0].json()["event"] == "control_paused");
    CHECK(chat[0].json()["control"] == "redemption");
    CHECK_THAT(chat[0].json()["text"].get<std::string>(), Catch::Contains("Reason: INC-42"));
    auto paused = receiver.requests();
    REQUIRE(paused.size() == 4);
    CHECK(paused[2].json()["incident"]["name"] == "redemption paused");
    CHECK(fixture.run("launchctl", {"resume", "redemption"}, environment).exit_code == 0);
    auto all = receiver.requests();
    REQUIRE(all.size() == 6);
    auto resolve = all[4].path == "/chat" ? all[5] : all[4];
    CHECK(resolve.method == "PATCH");
    CHECK(resolve.path == "/v1/pages/kctbh9vrtdwd/incidents/incident-3");
    CHECK(resolve.json()["incident"]["status"] == "resolved");
    // Pausing again opens a new incident: the resolved one is forgotten.
    CHECK(fixture.run("launchctl", {"pause", "redemption"}, environment).exit_code == 0);
    CHECK(receiver.requests().back().method == "POST");
}

TEST_CASE("notifications: a pause step's incident is the control's, the rollback's its own",
          "[cli][notify]") {
    StateFixture fixture;
    WebhookReceiver receiver;
    TempDir dir;
    dir.write("launchkit.yaml", R"(notifications:
  - statuspage:
      page_id: kctbh9vrtdwd
      api_key_env: TEST_STATUSPAGE_KEY
      endpoint: ")" + receiver.url("/v1") +
                                    R"("
)");
    dir.write("pausing.yaml", R"(apiVersion: launchkit/v1
name: pausing
steps:
  - name: pause-redemption
    pause: {control: redemption, reason: upgrading}
  - {name: migrate, run: ["false"], on_failure: rollback}
)");
    launchkit::testing::Environment environment{
        {"TEST_STATUSPAGE_KEY", "5tatu5-k3y"},
        {"LAUNCHKIT_CONFIG", (dir.path() / "launchkit.yaml").string()}};
    auto run = fixture.run_json(
        "release-manager",
        {"deploy", "1.5.0", "production", "--playbook", (dir.path() / "pausing.yaml").string()},
        environment, 1);
    CHECK(run["status"] == "rolled_back");
    // The pause opens the control's incident; the rollback opens its own rather than updating
    // it; undoing the pause resolves the control's, the rollback's end its own.
    auto requests = receiver.requests();
    REQUIRE(requests.size() == 4);
    CHECK(requests[0].method == "POST");
    CHECK(requests[0].json()["incident"]["name"] == "redemption paused");
    CHECK(requests[1].method == "POST");
    CHECK(requests[1].json()["incident"]["name"] ==
          "[URGENT] Rolling back: pausing 1.5.0 in production");
    CHECK(requests[2].method == "PATCH");
    CHECK(requests[2].path == "/v1/pages/kctbh9vrtdwd/incidents/incident-1");
    CHECK(requests[2].json()["incident"]["status"] == "resolved");
    CHECK(requests[3].method == "PATCH");
    CHECK(requests[3].path == "/v1/pages/kctbh9vrtdwd/incidents/incident-2");
    CHECK(requests[3].json()["incident"]["status"] == "resolved");
    // The step's pause and its undo are journaled with the run's own notices.
    auto journaled = fixture.run_json("release-manager", {"runs", run["run_id"].get<std::string>()},
                                      environment);
    std::vector<std::string> notices;
    for (const auto& sent : journaled["notifications"]) {
        CHECK(sent["delivered"] == true);
        notices.push_back(sent["notice"].get<std::string>());
    }
    CHECK(notices == std::vector<std::string>{"control_paused", "rolling_back", "control_resumed",
                                              "rolled_back"});
    CHECK(journaled["notifications"][0]["reference"] == "incident-1");
}

TEST_CASE("notifications: a playbook's pause, an abandoned run and the flag server's resume",
          "[cli][notify]") {
    StateFixture fixture;
    WebhookReceiver receiver;
    TempDir dir;
    dir.write("launchkit.yaml", R"(notifications:
  - webhook: ")" + receiver.url("/chat") +
                                    R"("
    on: [paused, abandoned, control_paused, control_resumed]
  - pagerduty: {routing_key_env: TEST_PAGERDUTY_KEY, endpoint: ")" +
                                    receiver.url("/v2/enqueue") + R"("}
)");
    dir.write("pausing.yaml", R"(apiVersion: launchkit/v1
name: pausing
steps:
  - name: pause-redemption
    pause: {control: redemption, reason: upgrading}
  - {name: broken, run: [sh, -c, "exit 1"], on_failure: pause}
)");
    launchkit::testing::Environment environment{
        {"TEST_PAGERDUTY_KEY", "R0UT1NGKEY"},
        {"LAUNCHKIT_CONFIG", (dir.path() / "launchkit.yaml").string()}};
    auto run = fixture.run_json(
        "release-manager",
        {"deploy", "1.1.0", "qa", "--playbook", (dir.path() / "pausing.yaml").string()},
        environment, 1);
    CHECK(run["status"] == "paused");
    auto run_id = run["run_id"].get<std::string>();
    // The pause step is announced as `launchctl pause` is, then the run's own pause.
    auto chat = receiver.requests_to("/chat");
    REQUIRE(chat.size() == 2);
    CHECK(chat[0].json()["event"] == "control_paused");
    CHECK(chat[0].json()["control"] == "redemption");
    CHECK_THAT(chat[0].json()["text"].get<std::string>(), Catch::Contains("Reason: upgrading"));
    CHECK(chat[1].json()["event"] == "paused");
    auto pages = receiver.requests_to("/v2/enqueue");
    REQUIRE(pages.size() == 1);
    CHECK(pages[0].json()["event_action"] == "trigger");

    // Abandoned: nothing rolled back, so the people watching hear it and the alert stays open.
    auto abandoned = fixture.run_json(
        "release-manager", {"abort", run_id, "--abandon", "--reason", "superseded"}, environment);
    CHECK(abandoned["status"] == "abandoned");
    chat = receiver.requests_to("/chat");
    REQUIRE(chat.size() == 3);
    CHECK(chat[2].json()["event"] == "abandoned");
    CHECK(chat[2].json()["subject"] == "Upgrade abandoned: pausing 1.1.0 in qa");
    CHECK_THAT(chat[2].json()["text"].get<std::string>(),
               Catch::Contains("nothing was rolled back") && Catch::Contains("superseded"));
    pages = receiver.requests_to("/v2/enqueue");
    REQUIRE(pages.size() == 2);
    CHECK(pages[1].json()["event_action"] == "trigger");
    CHECK(pages[1].json()["dedup_key"] == pages[0].json()["dedup_key"]);
    CHECK(pages[1].json()["payload"]["summary"] == "Upgrade abandoned: pausing 1.1.0 in qa");
    // Both journaled with the run.
    auto journaled = fixture.run_json("release-manager", {"runs", run_id}, environment);
    size_t abandoned_notices = 0;
    for (const auto& sent : journaled["notifications"])
        abandoned_notices += sent["notice"] == "abandoned" && sent["delivered"] == true;
    CHECK(abandoned_notices == 2);

    // Redemption is still paused (the abandoned run undid nothing); an application's operator
    // resumes it through the flag server, announced as the token's name.
    auto tokens = fixture.state.write("tokens", "ops ops-token-0123456789abcdef\n");
    std::filesystem::permissions(tokens, std::filesystem::perms::owner_read);
    launchkit::testing::FlagServer server(fixture, {"--tokens-file", tokens.string()}, environment);
    auto resumed = server.post("/api/launch-controls/redemption/resume",
                               R"({"reason": "upgrade abandoned, reopening"})",
                               {{"Authorization", "Bearer ops-token-0123456789abcdef"}});
    REQUIRE(resumed.status == 200);
    chat = receiver.requests_to("/chat");
    REQUIRE(chat.size() == 4);
    CHECK(chat[3].json()["event"] == "control_resumed");
    CHECK_THAT(chat[3].json()["text"].get<std::string>(),
               Catch::Contains("redemption was resumed by ops") &&
                   Catch::Contains("Reason: upgrade abandoned, reopening"));
    // Resuming what runs already changes nothing and says nothing.
    CHECK(server
              .post("/api/launch-controls/redemption/resume", "{}",
                    {{"Authorization", "Bearer ops-token-0123456789abcdef"}})
              .json()["changed"] == false);
    CHECK(receiver.requests_to("/chat").size() == 4);
    CHECK(server.stop() == 0);
}

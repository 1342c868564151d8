// Delivering to a real HTTP server on loopback: retried with back-off while it answers 500, given
// up after a bounded number of attempts, not retried when it refuses the message, and the secret
// webhook URL never in what is reported.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "notify/delivery.h"
#include "support/webhook_receiver.h"

using namespace launchkit::notify;
using launchkit::testing::WebhookReceiver;

namespace {

nlohmann::json slack_target(const std::string& variable) {
    return {{"kind", "slack"}, {"secret_env", variable}, {"secret_file", ""}};
}

}  // namespace

TEST_CASE("a delivery retries a service in trouble with back-off, boundedly", "[notify]") {
    WebhookReceiver receiver;
    ::setenv("LAUNCHKIT_TEST_SLACK_URL", receiver.url("/services/T000/B000/s3cr3t").c_str(), 1);
    std::vector<std::chrono::milliseconds> waits;
    DeliveryPolicy policy;
    policy.sleep = [&](std::chrono::milliseconds wait) { waits.push_back(wait); };
    auto notice = describe_run_moment(NoticeKind::rolled_back, Notice{});

    receiver.fail_next(2);
    auto delivered = deliver(slack_target("LAUNCHKIT_TEST_SLACK_URL"), notice, policy);
    CHECK(delivered.delivered);
    CHECK(delivered.attempts == 3);
    CHECK(waits == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(500),
                                                          std::chrono::milliseconds(1000)});
    CHECK(receiver.requests().size() == 3);
    CHECK(receiver.requests().back().content_type == "application/json");
    CHECK(receiver.requests().back().json()["attachments"][0]["color"] == "#2eb886");

    waits.clear();
    receiver.fail_next(10);
    auto given_up = deliver(slack_target("LAUNCHKIT_TEST_SLACK_URL"), notice, policy);
    CHECK_FALSE(given_up.delivered);
    CHECK(given_up.attempts == 4);
    CHECK(waits.size() == 3);
    CHECK_THAT(given_up.error, Catch::Contains("slack answered 500"));
    CHECK(given_up.target == "slack ($LAUNCHKIT_TEST_SLACK_URL)");

    // A service that is down: the error names the channel, never its secret URL.
    ::setenv("LAUNCHKIT_TEST_SLACK_URL", "http://127.0.0.1:9/services/T000/B000/s3cr3t", 1);
    auto unreachable = deliver(slack_target("LAUNCHKIT_TEST_SLACK_URL"), notice, policy);
    CHECK_FALSE(unreachable.delivered);
    CHECK(unreachable.error.find("s3cr3t") == std::string::npos);
    CHECK_THAT(unreachable.error, Catch::Contains("<secret>"));

    // An unset variable is said, with nothing sent.
    ::unsetenv("LAUNCHKIT_TEST_SLACK_URL");
    auto unset = deliver(slack_target("LAUNCHKIT_TEST_SLACK_URL"), notice, policy);
    CHECK_FALSE(unset.delivered);
    CHECK_THAT(unset.error, Catch::Contains("LAUNCHKIT_TEST_SLACK_URL"));
}

TEST_CASE("PagerDuty: nothing is sent for a moment that is not an alert's", "[notify]") {
    WebhookReceiver receiver;
    ::setenv("LAUNCHKIT_TEST_PD_KEY", "R0UT1NGKEY", 1);
    nlohmann::json target{{"kind", "pagerduty"},
                          {"secret_env", "LAUNCHKIT_TEST_PD_KEY"},
                          {"secret_file", ""},
                          {"endpoint", receiver.url("/v2/enqueue")}};
    DeliveryPolicy policy;
    policy.sleep = [](std::chrono::milliseconds) {};
    auto started = deliver(target, describe_run_moment(NoticeKind::started, Notice{}), policy);
    CHECK(started.skipped);
    CHECK(receiver.requests().empty());
    Notice facts;
    facts.run_id = "run-1";
    auto trigger = deliver(target, describe_run_moment(NoticeKind::rolling_back, facts), policy);
    CHECK(trigger.delivered);
    REQUIRE(receiver.requests().size() == 1);
    CHECK(receiver.requests()[0].json()["routing_key"] == "R0UT1NGKEY");
    ::unsetenv("LAUNCHKIT_TEST_PD_KEY");
}

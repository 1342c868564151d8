// Kubernetes-style probing against a real server: thresholds, stable_for, retries, and waiting.
#include <catch2/catch.hpp>

#include "probe/check_schedule.h"
#include "support/http_server.h"

using namespace std::chrono_literals;
using namespace launchkit::probe;
using launchkit::testing::TestHttpServer;

namespace {

Check timed_check(const std::string& url, CheckTiming timing) {
    Check check;
    check.name = url;
    HttpProbe http;
    http.url = url;
    check.probe = http;
    timing.period = std::min(timing.period, std::chrono::milliseconds(40));
    check.timing = timing;
    return check;
}

ProbeResult schedule_one(const Check& check, ScheduleGoal goal = ScheduleGoal::decide,
                         std::chrono::milliseconds timeout = 10s) {
    ScheduleOptions options;
    options.goal = goal;
    options.timeout = timeout;
    auto scheduled = run_scheduled({&check}, options);
    REQUIRE(scheduled.report.results.size() == 1);
    return scheduled.report.results[0];
}

}  // namespace

TEST_CASE("the defaults probe once", "[probe][schedule]") {
    TestHttpServer server;
    CHECK(schedule_one(timed_check(server.url("/health"), {})).attempts == 1);
    auto failing = schedule_one(timed_check(server.url("/fail"), {}));
    CHECK_FALSE(failing.passed);
    CHECK(failing.attempts == 1);
}

TEST_CASE("failure and success thresholds count consecutive probes", "[probe][schedule]") {
    TestHttpServer server;
    CheckTiming three_failures;
    three_failures.failure_threshold = 3;
    auto failing = schedule_one(timed_check(server.url("/fail"), three_failures));
    CHECK_FALSE(failing.passed);
    CHECK(failing.attempts == 3);

    // 503, 503, then 200: three failures would be needed, so the check recovers in time.
    auto recovering = schedule_one(timed_check(server.url("/recovering"), three_failures));
    CHECK(recovering.passed);
    CHECK(recovering.attempts == 3);

    CheckTiming two_passes;
    two_passes.success_threshold = 2;
    auto passing = schedule_one(timed_check(server.url("/health"), two_passes));
    CHECK(passing.passed);
    CHECK(passing.attempts == 2);
}

TEST_CASE("stable_for passes only after passing continuously for the window", "[probe][schedule]") {
    TestHttpServer server;
    CheckTiming stable;
    stable.stable_for = 200ms;
    auto steady = schedule_one(timed_check(server.url("/health"), stable));
    CHECK(steady.passed);
    CHECK(steady.attempts >= 5);  // probed every 40ms across the 200ms window

    auto flapping = schedule_one(timed_check(server.url("/flap"), stable));
    CHECK_FALSE(flapping.passed);

    stable.failure_threshold = 100;  // never fails outright: undecided until the deadline
    auto undecided =
        schedule_one(timed_check(server.url("/flap"), stable), ScheduleGoal::decide, 500ms);
    CHECK_FALSE(undecided.passed);
    CHECK_THAT(undecided.detail, Catch::Contains("undecided at the deadline"));
}

TEST_CASE("retries with backoff absorb transient failures", "[probe][schedule]") {
    TestHttpServer server;
    CheckTiming retried;
    retried.retries = 2;
    retried.backoff = 10ms;
    auto recovering = schedule_one(timed_check(server.url("/recovering"), retried));
    CHECK(recovering.passed);
    CHECK(recovering.attempts == 3);
    auto failing = schedule_one(timed_check(server.url("/fail"), retried));
    CHECK_FALSE(failing.passed);
    CHECK(failing.attempts == 3);  // one try and two retries, then one failure counted
}

TEST_CASE("waiting polls until every critical check passes, or gives up", "[probe][schedule]") {
    TestHttpServer server;
    auto recovered = schedule_one(timed_check(server.url("/recovering"), {}),
                                  ScheduleGoal::all_critical_passing, 10s);
    CHECK(recovered.passed);
    CHECK(recovered.attempts == 3);

    std::vector<WaitProgress> progress;
    auto check = timed_check(server.url("/fail"), {});
    ScheduleOptions options;
    options.goal = ScheduleGoal::all_critical_passing;
    options.timeout = 300ms;
    options.on_progress = [&](const WaitProgress& update) { progress.push_back(update); };
    auto scheduled = run_scheduled({&check}, options);
    CHECK(scheduled.timed_out);
    CHECK_FALSE(scheduled.report.passed());
    REQUIRE_FALSE(progress.empty());
    CHECK_THAT(progress.back().failing.at(0), Catch::Contains("status 503"));

    // A failing warning check does not hold a wait up.
    auto warning = timed_check(server.url("/fail"), {});
    warning.severity = Severity::warning;
    auto healthy = timed_check(server.url("/health"), {});
    healthy.name = "healthy";
    options.on_progress = nullptr;
    options.timeout = 10s;
    auto mixed = run_scheduled({&warning, &healthy}, options);
    CHECK_FALSE(mixed.timed_out);
    CHECK(mixed.report.passed());
}

TEST_CASE("a passing check stays passing until failure_threshold failures in a row",
          "[probe][schedule]") {
    // Both flap; `first` passes on odd probes, `second` on even ones, so they never pass in the
    // same round. With failure_threshold 2 neither fails twice in a row: once each has passed,
    // both are passing, and the wait ends in the second round.
    TestHttpServer first_server;
    TestHttpServer second_server;
    (void)schedule_one(timed_check(second_server.url("/flap"), {}));  // its next answer is a 503
    CheckTiming tolerant;
    tolerant.failure_threshold = 2;
    auto first = timed_check(first_server.url("/flap"), tolerant);
    auto second = timed_check(second_server.url("/flap"), tolerant);
    second.name = "second";
    ScheduleOptions options;
    options.goal = ScheduleGoal::all_critical_passing;
    options.timeout = 2s;
    auto scheduled = run_scheduled({&first, &second}, options);
    CHECK_FALSE(scheduled.timed_out);
    CHECK(scheduled.report.passed());
    CHECK(scheduled.report.results[0].attempts == 2);
    CHECK_THAT(scheduled.report.results[0].detail,
               Catch::Contains("still passing, 1 of 2 failures tolerated"));
}

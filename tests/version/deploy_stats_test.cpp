#include "version/deploy_stats.h"

#include <catch2/catch.hpp>

#include "util/time.h"

using namespace launchkit::version;

namespace {

LedgerEntry entry(LedgerEvent event, std::string time, std::string version, std::string env = "",
                  std::string run = "", std::string started = "", std::string outcome = "") {
    LedgerEntry result;
    result.event = event;
    result.time = std::move(time);
    result.version = std::move(version);
    result.tag_prefix = "v";
    result.environment = std::move(env);
    result.run_id = std::move(run);
    result.started_at = std::move(started);
    result.outcome = std::move(outcome);
    return result;
}

}  // namespace

TEST_CASE("the Release Management Playbook's success metrics from a ledger worked out by hand",
          "[version]") {
    using E = LedgerEvent;
    std::vector<LedgerEntry> ledger{
        entry(E::created, "2026-11-01T09:00:00Z", "5.0.0"),
        entry(E::created, "2026-11-10T09:00:00Z", "5.1.0"),
        // 5.0.0: staging then production, 10 and 20 minutes each.
        entry(E::deployed, "2026-11-02T10:10:00Z", "5.0.0", "staging", "r1", "2026-11-02T10:00:00Z",
              "succeeded"),
        entry(E::deployed, "2026-11-03T10:20:00Z", "5.0.0", "production", "r2",
              "2026-11-03T10:00:00Z", "succeeded"),
        // 5.1.0 to production: a gate failed, rolled back 4 minutes after the rollback began.
        entry(E::rolled_back, "2026-11-11T10:04:00Z", "5.0.0", "production", "r3",
              "2026-11-11T10:00:00Z", "rolled_back"),
        // 5.1.0 again: deployed in 30 minutes, then rolled back by hand (6 minutes).
        entry(E::deployed, "2026-11-12T10:30:00Z", "5.1.0", "production", "r4",
              "2026-11-12T10:00:00Z", "succeeded"),
        entry(E::rolled_back, "2026-11-12T12:06:00Z", "5.0.0", "production", "r4",
              "2026-11-12T12:00:00Z", "rolled_back"),
        // An aborted run.
        entry(E::deploy_failed, "2026-11-13T10:01:00Z", "5.1.0", "production", "r5",
              "2026-11-13T10:00:00Z", "failed"),
        // Outside the window.
        entry(E::deployed, "2026-10-01T10:10:00Z", "4.9.0", "production", "r0",
              "2026-10-01T10:00:00Z", "succeeded"),
    };
    auto now = *launchkit::util::parse_rfc3339("2026-11-30T00:00:00Z");
    auto since = now - std::chrono::hours(24 * 30);
    auto production = compute_deploy_stats(ledger, "v", "production", since, now);
    CHECK(production.runs == 4);  // r2, r3, r4, r5
    CHECK(production.succeeded == 1);
    CHECK(production.rolled_back == 2);  // r3, and r4 rolled back later
    CHECK(production.failed == 1);
    CHECK(*production.success_rate == Approx(0.25));
    CHECK(*production.rollback_rate == Approx(0.5));
    CHECK(*production.mean_time_to_deploy_seconds == Approx((20 + 30) * 60 / 2.0));
    CHECK(*production.mean_time_to_restore_seconds == Approx((4 + 6) * 60 / 2.0));
    CHECK(production.deployments_per_day == Approx(2 / 30.0));
    // Post-release incidents: r3, r4 rolled back and r5 failed, over 5.0.0 and 5.1.0.
    CHECK(production.incidents == 3);
    CHECK(production.releases == 2);
    CHECK(*production.incidents_per_release == Approx(1.5));
    CHECK(production.downtime_seconds == Approx((4 + 6) * 60));
    auto json = to_json(production);
    CHECK(json["targets"]["success_rate"]["target"] == "> 95%");
    CHECK(json["targets"]["success_rate"]["met"] == false);
    CHECK(json["targets"]["mean_time_to_deploy_seconds"]["met"] == true);
    CHECK(json["targets"]["rollback_rate"]["met"] == false);
    CHECK(json["targets"]["incidents_per_release"]["met"] == true);
    CHECK(json["targets"]["downtime_seconds"]["met"] == false);
    // Lead time to production: 5.0.0 created Nov 1 09:00 → Nov 3 10:20; 5.1.0 Nov 10 09:00 → Nov 12
    // 10:30.
    CHECK(production.lead_time_samples == 2);
    CHECK(*production.lead_time_seconds == Approx(((49 * 60 + 20) + (49 * 60 + 30)) * 60 / 2.0));
    auto all = compute_deploy_stats(ledger, "v", "", since, now);
    CHECK(all.runs == 5);
    CHECK(all.lead_time_samples == 2);  // still measured to production
    auto empty = compute_deploy_stats({}, "v", "", since, now);
    CHECK(empty.runs == 0);
    CHECK_FALSE(empty.success_rate);
    CHECK(to_json(empty)["success_rate"].is_null());
    CHECK(to_json(empty)["targets"]["downtime_seconds"]["met"].is_null());
}

TEST_CASE("deployment frequency is over the span the ledger covers", "[version]") {
    using E = LedgerEvent;
    // A ledger begun two days ago: 4 deploys are 2 a day, not 4 in 30 days.
    std::vector<LedgerEntry> ledger{
        entry(E::deployed, "2026-11-28T00:10:00Z", "1.0.0", "production", "a",
              "2026-11-28T00:00:00Z", "succeeded"),
        entry(E::deployed, "2026-11-28T12:10:00Z", "1.0.1", "production", "b",
              "2026-11-28T12:00:00Z", "succeeded"),
        entry(E::deployed, "2026-11-29T00:10:00Z", "1.0.2", "production", "c",
              "2026-11-29T00:00:00Z", "succeeded"),
        entry(E::deployed, "2026-11-29T12:10:00Z", "1.0.3", "production", "d",
              "2026-11-29T12:00:00Z", "succeeded")};
    auto now = *launchkit::util::parse_rfc3339("2026-11-30T00:10:00Z");
    auto stats = compute_deploy_stats(ledger, "v", "", now - std::chrono::hours(24 * 30), now);
    CHECK(stats.span_days == Approx(2.0));
    CHECK(stats.deployments_per_day == Approx(2.0));
    // A sub-second rollback is measured in milliseconds, not rounded to nothing.
    std::vector<LedgerEntry> quick{entry(E::rolled_back, "2026-11-29T12:00:00.300Z", "1.0.0",
                                         "production", "q", "2026-11-29T12:00:00.000Z",
                                         "rolled_back")};
    auto restored = compute_deploy_stats(quick, "v", "", now - std::chrono::hours(24), now);
    CHECK(*restored.mean_time_to_restore_seconds == Approx(0.3));
    CHECK(restored.span_days == Approx(1.0));  // at least a day
}

// A hand-edited ledger may hold any time parse_rfc3339 accepts; 1678 to 2261 overflowed a
// difference taken in nanoseconds (undefined behaviour, a wrong mean at best).
TEST_CASE("times centuries apart in the ledger give their real difference", "[version]") {
    using E = LedgerEvent;
    std::vector<LedgerEntry> ledger{entry(E::deployed, "2261-12-31T00:00:00Z", "1.0.0",
                                          "production", "a", "1678-01-01T00:00:00Z", "succeeded")};
    auto now = *launchkit::util::parse_rfc3339("2026-11-30T00:00:00Z");
    auto stats = compute_deploy_stats(ledger, "v", "", now - std::chrono::hours(24 * 30), now);
    REQUIRE(stats.mean_time_to_deploy_seconds);
    CHECK(*stats.mean_time_to_deploy_seconds / 86'400 / 365.2425 == Approx(584).margin(0.1));
}

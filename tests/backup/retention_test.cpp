// restic's forget semantics, checked against restic's documented worked example and calendars
// worked out by hand.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>

#include "backup/retention.h"

using namespace launchkit::backup;

namespace {

std::vector<BackupManifest> backups_at(const std::vector<std::string>& times) {
    std::vector<BackupManifest> backups;
    for (const auto& time : times) {
        BackupManifest manifest;
        manifest.id = time;
        manifest.created_at = time;
        backups.push_back(manifest);
    }
    return backups;
}

std::vector<const BackupManifest*> pointers(const std::vector<BackupManifest>& backups) {
    std::vector<const BackupManifest*> result;
    for (const auto& backup : backups) result.push_back(&backup);
    return result;
}

std::set<std::string> kept(const std::vector<RetentionDecision>& decisions) {
    std::set<std::string> ids;
    for (const auto& decision : decisions)
        if (decision.keep) ids.insert(decision.backup->id);
    return ids;
}

}  // namespace

TEST_CASE("restic's example: 12 Sundays with --keep-daily 4 keep the last four",
          "[backup][retention]") {
    // doc/060_forget.rst: one backup every Sunday 2019-09-01 .. 2019-11-17, 11:00.
    auto backups =
        backups_at({"2019-09-01T11:00:00Z", "2019-09-08T11:00:00Z", "2019-09-15T11:00:00Z",
                    "2019-09-22T11:00:00Z", "2019-09-29T11:00:00Z", "2019-10-06T11:00:00Z",
                    "2019-10-13T11:00:00Z", "2019-10-20T11:00:00Z", "2019-10-27T11:00:00Z",
                    "2019-11-03T11:00:00Z", "2019-11-10T11:00:00Z", "2019-11-17T11:00:00Z"});
    auto decisions = apply_retention(pointers(backups), {.daily = 4});
    CHECK(kept(decisions) == std::set<std::string>{"2019-10-27T11:00:00Z", "2019-11-03T11:00:00Z",
                                                   "2019-11-10T11:00:00Z", "2019-11-17T11:00:00Z"});
    REQUIRE(decisions.front().backup->id == "2019-11-17T11:00:00Z");  // newest first
    CHECK(decisions.front().reasons == std::vector<std::string>{"daily snapshot"});
    CHECK(decisions.back().reasons.empty());
}

TEST_CASE("daily backups for two years under daily, weekly and monthly rules",
          "[backup][retention]") {
    using namespace std::chrono;
    std::vector<std::string> times;
    for (auto day = sys_days(2025y / January / 1); day <= sys_days(2026y / November / 25);
         day += days(1)) {
        year_month_day date(day);
        times.push_back(fmt::format("{:04}-{:02}-{:02}T12:00:00Z", static_cast<int>(date.year()),
                                    static_cast<unsigned>(date.month()),
                                    static_cast<unsigned>(date.day())));
    }
    auto backups = backups_at(times);
    auto decisions = apply_retention(pointers(backups), {.daily = 7, .weekly = 5, .monthly = 12});
    // Daily: Nov 19–25. Weekly (ISO weeks end on Sunday): Nov 25 and 22 are dailies already, then
    // Nov 15, Nov 8 and Nov 1. Monthly: Nov 25 again, then the last day of the 11 months before.
    CHECK(kept(decisions) ==
          std::set<std::string>{
              "2026-11-25T12:00:00Z", "2026-11-24T12:00:00Z", "2026-11-23T12:00:00Z",
              "2026-11-22T12:00:00Z", "2026-11-21T12:00:00Z", "2026-11-20T12:00:00Z",
              "2026-11-19T12:00:00Z", "2026-11-15T12:00:00Z", "2026-11-08T12:00:00Z",
              "2026-11-01T12:00:00Z", "2026-10-31T12:00:00Z", "2026-09-30T12:00:00Z",
              "2026-08-31T12:00:00Z", "2026-07-31T12:00:00Z", "2026-06-30T12:00:00Z",
              "2026-05-31T12:00:00Z", "2026-04-30T12:00:00Z", "2026-03-31T12:00:00Z",
              "2026-02-28T12:00:00Z", "2026-01-31T12:00:00Z", "2025-12-31T12:00:00Z"});
    CHECK(decisions.front().reasons ==
          std::vector<std::string>{"daily snapshot", "weekly snapshot", "monthly snapshot"});
}

TEST_CASE("a rule with room left keeps the oldest backup too", "[backup][retention]") {
    // Three backups on one day and --keep-daily 5: the newest is that day's, and since the rule
    // could keep more, the oldest is kept as "oldest daily snapshot" (restic >= 0.16).
    auto backups =
        backups_at({"2026-11-25T08:00:00Z", "2026-11-25T12:00:00Z", "2026-11-25T16:00:00Z"});
    auto decisions = apply_retention(pointers(backups), {.daily = 5});
    CHECK(kept(decisions) == std::set<std::string>{"2026-11-25T16:00:00Z", "2026-11-25T08:00:00Z"});
    CHECK(decisions.back().reasons == std::vector<std::string>{"oldest daily snapshot"});
}

TEST_CASE("keep-last, hourly buckets and unlimited", "[backup][retention]") {
    auto backups =
        backups_at({"2026-11-25T08:10:00Z", "2026-11-25T08:50:00Z", "2026-11-25T09:05:00Z",
                    "2026-11-25T09:55:00Z", "2026-11-25T10:30:00Z"});
    CHECK(kept(apply_retention(pointers(backups), {.last = 2})) ==
          std::set<std::string>{"2026-11-25T10:30:00Z", "2026-11-25T09:55:00Z"});
    // Hourly 2: 10:30 (10 h), 09:55 (9 h); the rule is used up before the oldest.
    CHECK(kept(apply_retention(pointers(backups), {.hourly = 2})) ==
          std::set<std::string>{"2026-11-25T10:30:00Z", "2026-11-25T09:55:00Z"});
    // Unlimited hourly: the newest of every hour, plus the oldest.
    CHECK(kept(apply_retention(pointers(backups), {.hourly = -1})) ==
          std::set<std::string>{"2026-11-25T10:30:00Z", "2026-11-25T09:55:00Z",
                                "2026-11-25T08:50:00Z", "2026-11-25T08:10:00Z"});
}

TEST_CASE("weekly buckets are ISO weeks across a year boundary", "[backup][retention]") {
    // 2026-01-01 is a Thursday: ISO week 1 of 2026 runs Mon 2025-12-29 .. Sun 2026-01-04.
    auto backups = backups_at({"2025-12-28T12:00:00Z", "2025-12-29T12:00:00Z",
                               "2026-01-04T12:00:00Z", "2026-01-05T12:00:00Z"});
    CHECK(kept(apply_retention(pointers(backups), {.weekly = 2})) ==
          std::set<std::string>{"2026-01-05T12:00:00Z", "2026-01-04T12:00:00Z"});
    CHECK(kept(apply_retention(pointers(backups), {.weekly = 3})) ==
          std::set<std::string>{"2026-01-05T12:00:00Z", "2026-01-04T12:00:00Z",
                                "2025-12-28T12:00:00Z"});
}

#include "backup/retention.h"

#include <algorithm>
#include <chrono>
#include <functional>

namespace launchkit::backup {
namespace {

struct Bucket {
    int count;
    std::string reason;
    std::function<long long(const std::chrono::sys_seconds&, std::size_t)> bucket_of;
    std::optional<long long> last{};
};

long long calendar(const std::chrono::sys_seconds& time, int fields) {
    auto day = std::chrono::floor<std::chrono::days>(time);
    std::chrono::year_month_day date(day);
    auto hour = std::chrono::duration_cast<std::chrono::hours>(time - day).count();
    long long value = static_cast<int>(date.year());
    if (fields >= 2) value = value * 100 + static_cast<unsigned>(date.month());
    if (fields >= 3) value = value * 100 + static_cast<unsigned>(date.day());
    if (fields >= 4) value = value * 100 + hour;
    return value;
}

// ISO 8601 week: weeks start on Monday and belong to the year of their Thursday.
long long iso_week(const std::chrono::sys_seconds& time) {
    using namespace std::chrono;
    auto day = floor<days>(time);
    weekday weekday_of(day);
    auto monday = day - days((weekday_of.c_encoding() + 6) % 7);
    auto thursday = monday + days(3);
    year_month_day thursday_date(thursday);
    auto first_day = sys_days(thursday_date.year() / January / 1);
    auto week = (thursday - first_day).count() / 7 + 1;
    return static_cast<int>(thursday_date.year()) * 100LL + week;
}

}  // namespace

std::vector<RetentionDecision> apply_retention(const std::vector<const BackupManifest*>& backups,
                                               const RetentionPolicy& policy) {
    struct Dated {
        const BackupManifest* backup;
        std::chrono::sys_seconds time;
    };
    std::vector<Dated> list;
    for (const auto* backup : backups) {
        auto time = util::parse_rfc3339(backup->created_at).value_or(util::TimePoint{});
        list.push_back({backup, std::chrono::floor<std::chrono::seconds>(time)});
    }
    std::sort(list.begin(), list.end(), [](const Dated& a, const Dated& b) {
        return std::tie(a.time, a.backup->id) > std::tie(b.time, b.backup->id);
    });

    std::vector<Bucket> buckets = {
        {policy.last, "last",
         [](auto&, std::size_t index) { return static_cast<long long>(index); }},
        {policy.hourly, "hourly", [](auto& time, std::size_t) { return calendar(time, 4); }},
        {policy.daily, "daily", [](auto& time, std::size_t) { return calendar(time, 3); }},
        {policy.weekly, "weekly", [](auto& time, std::size_t) { return iso_week(time); }},
        {policy.monthly, "monthly", [](auto& time, std::size_t) { return calendar(time, 2); }},
        {policy.yearly, "yearly", [](auto& time, std::size_t) { return calendar(time, 1); }},
    };
    std::vector<RetentionDecision> decisions;
    for (std::size_t index = 0; index < list.size(); ++index) {
        RetentionDecision decision{list[index].backup, false, {}};
        bool oldest = index + 1 == list.size();
        for (auto& bucket : buckets) {
            if (bucket.count == 0) continue;
            auto value = bucket.bucket_of(list[index].time, index);
            bool new_bucket = !bucket.last || *bucket.last != value;
            // Room left at the oldest backup: keep it too, so the history reaches as far back as
            // the rule allows (restic >= 0.16 behaviour, marked "oldest").
            bool keep_oldest = !new_bucket && oldest && bucket.reason != "last";
            if (!new_bucket && !keep_oldest) continue;
            decision.keep = true;
            bucket.last = value;
            if (bucket.count > 0) --bucket.count;
            decision.reasons.push_back(
                fmt::format("{}{} snapshot", keep_oldest ? "oldest " : "", bucket.reason));
        }
        decisions.push_back(std::move(decision));
    }
    return decisions;
}

}  // namespace launchkit::backup

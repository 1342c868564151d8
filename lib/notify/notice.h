// What a notification says, before any channel shapes it: the kind of moment (a run started, was
// rolled back, a message from a `notify` step), the run it belongs to, and the words for people.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace launchkit::notify {

enum class NoticeKind {
    message,          // a playbook's notify step
    started,          // a run began
    succeeded,        // it deployed
    failed,           // it stopped without rolling back (abort)
    paused,           // it waits for resume or rollback
    rolling_back,     // a rollback began
    rolled_back,      // the rollback finished cleanly
    rollback_failed,  // a rollback step failed: people must act
};
std::string_view to_string(NoticeKind kind);
std::optional<NoticeKind> parse_notice_kind(std::string_view text);

// How a channel colours it: good (green), warning (amber), danger (red), neutral (grey).
enum class Tone { good, warning, danger, neutral };
Tone tone_of(NoticeKind kind);

struct Notice {
    NoticeKind kind = NoticeKind::message;
    std::string subject{};
    std::string text{};
    std::string run_id{};
    std::string playbook{};
    std::string version{};
    std::string environment{};
    std::string previous_version{};
    std::string step{};                 // the failed or current step
    std::string reason{};               // why it failed, paused or rolled back
    nlohmann::json decision = nullptr;  // the gate's decision that caused it, when one did
    std::string report_url{};           // where the run's report is, when known
    std::string time{};                 // RFC 3339
};

// The subject and text of a run's moment, as the runbooks word their announcements.
Notice describe_run_moment(NoticeKind kind, Notice facts);

}  // namespace launchkit::notify

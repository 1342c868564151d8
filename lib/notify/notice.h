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
    control_paused,   // `launchctl pause NAME`
    control_resumed,  // `launchctl resume NAME`
    abandoned,        // `release-manager abort --abandon`: nothing rolled back, people must look
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
    std::string control{};              // control moments: the launch control's name
    // The status page incident an earlier notice of the same run or pause opened, which this
    // one updates or resolves; empty: none open.
    std::string incident_id{};
};

// The subject and text of a run's moment, as the runbooks word their announcements.
Notice describe_run_moment(NoticeKind kind, Notice facts);

// A launch control paused or resumed, by whom and why (the Mycelia Rollback Procedures announce
// the pause of redemption).
Notice describe_control_moment(NoticeKind kind, const std::string& control,
                               const std::string& actor, const std::string& reason);

}  // namespace launchkit::notify

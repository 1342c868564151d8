#include "notify/notice.h"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace launchkit::notify {
namespace {

constexpr std::array<std::pair<NoticeKind, std::string_view>, 11> kind_names{{
    {NoticeKind::message, "message"},
    {NoticeKind::started, "started"},
    {NoticeKind::succeeded, "succeeded"},
    {NoticeKind::failed, "failed"},
    {NoticeKind::paused, "paused"},
    {NoticeKind::rolling_back, "rolling_back"},
    {NoticeKind::rolled_back, "rolled_back"},
    {NoticeKind::rollback_failed, "rollback_failed"},
    {NoticeKind::control_paused, "control_paused"},
    {NoticeKind::control_resumed, "control_resumed"},
    {NoticeKind::abandoned, "abandoned"},
}};

std::string or_dash(const std::string& text) {
    return text.empty() ? "-" : text;
}

}  // namespace

std::string_view to_string(NoticeKind kind) {
    for (const auto& [value, name] : kind_names)
        if (value == kind) return name;
    return "message";
}

std::optional<NoticeKind> parse_notice_kind(std::string_view text) {
    for (const auto& [value, name] : kind_names)
        if (name == text) return value;
    return std::nullopt;
}

Tone tone_of(NoticeKind kind) {
    switch (kind) {
        case NoticeKind::succeeded:
        case NoticeKind::rolled_back:
        case NoticeKind::control_resumed:
            return Tone::good;
        case NoticeKind::paused:
        case NoticeKind::rolling_back:
        case NoticeKind::control_paused:
        case NoticeKind::abandoned:
            return Tone::warning;
        case NoticeKind::failed:
        case NoticeKind::rollback_failed:
            return Tone::danger;
        case NoticeKind::message:
        case NoticeKind::started:
            return Tone::neutral;
    }
    return Tone::neutral;
}

Notice describe_run_moment(NoticeKind kind, Notice facts) {
    facts.kind = kind;
    auto what = fmt::format("{} {} in {}", or_dash(facts.playbook), or_dash(facts.version),
                            or_dash(facts.environment));
    auto reason = facts.reason.empty() ? std::string() : "\nReason: " + facts.reason;
    auto step = facts.step.empty() ? std::string() : "\nStep: " + facts.step;
    switch (kind) {
        case NoticeKind::started:
            facts.subject = fmt::format("Upgrade started: {}", what);
            facts.text =
                fmt::format("Version {} is being deployed to {} (now {}).\nRun: {}",
                            or_dash(facts.version), or_dash(facts.environment),
                            facts.previous_version.empty() ? "none" : facts.previous_version,
                            or_dash(facts.run_id));
            break;
        case NoticeKind::succeeded:
            facts.subject = fmt::format("Upgrade completed: {}", what);
            facts.text = fmt::format("{} now runs {}.\nRun: {}", or_dash(facts.environment),
                                     or_dash(facts.version), or_dash(facts.run_id));
            break;
        case NoticeKind::failed:
            facts.subject = fmt::format("Upgrade stopped: {}", what);
            facts.text = fmt::format("The run stopped without rolling back.{}{}\nRun: {}", step,
                                     reason, or_dash(facts.run_id));
            break;
        case NoticeKind::paused:
            facts.subject = fmt::format("Upgrade paused: {}", what);
            facts.text = fmt::format(
                "The run waits for `release-manager resume {}` or a "
                "rollback.{}{}",
                or_dash(facts.run_id), step, reason);
            break;
        case NoticeKind::rolling_back:
            facts.subject = fmt::format("[URGENT] Rolling back: {}", what);
            facts.text = fmt::format(
                "An automatic rollback to {} has started.{}{}\nRun: {}",
                facts.previous_version.empty() ? "the previous state" : facts.previous_version,
                step, reason, or_dash(facts.run_id));
            break;
        case NoticeKind::rolled_back:
            facts.subject = fmt::format("Rollback complete: {}", what);
            facts.text = fmt::format(
                "{} is back on {}.{}\nRun: {}", or_dash(facts.environment),
                facts.previous_version.empty() ? "its previous state" : facts.previous_version,
                reason, or_dash(facts.run_id));
            break;
        case NoticeKind::rollback_failed:
            facts.subject = fmt::format("[URGENT] Rollback failed: {}", what);
            facts.text = fmt::format(
                "A rollback step failed; the environment needs a person "
                "now.{}{}\nRun: {}",
                step, reason, or_dash(facts.run_id));
            break;
        case NoticeKind::abandoned:
            facts.subject = fmt::format("Upgrade abandoned: {}", what);
            facts.text = fmt::format(
                "The run was marked abandoned: nothing was rolled back, and {} is as the run "
                "left it. Check it by hand.{}{}\nRun: {}",
                or_dash(facts.environment), step, reason, or_dash(facts.run_id));
            break;
        case NoticeKind::message:
        case NoticeKind::control_paused:
        case NoticeKind::control_resumed:
            break;
    }
    return facts;
}

Notice describe_control_moment(NoticeKind kind, const std::string& control,
                               const std::string& actor, const std::string& reason) {
    Notice notice;
    notice.kind = kind;
    notice.control = control;
    notice.reason = reason;
    bool paused = kind == NoticeKind::control_paused;
    notice.subject = fmt::format("{} {}", control, paused ? "paused" : "resumed");
    notice.text = fmt::format("{} was {} by {}.{}", control, paused ? "paused" : "resumed",
                              or_dash(actor), reason.empty() ? "" : "\nReason: " + reason);
    return notice;
}

}  // namespace launchkit::notify

#include "playbook/run_announcements.h"

#include "notify/delivery.h"
#include "notify/notification_target.h"
#include "report/run_report_html.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::playbook {

std::optional<notify::NoticeKind> moment_of(const RunEvent& event) {
    using notify::NoticeKind;
    if (std::holds_alternative<RunStarted>(event)) return NoticeKind::started;
    if (std::holds_alternative<RollbackStarted>(event)) return NoticeKind::rolling_back;
    if (std::holds_alternative<RunPaused>(event)) return NoticeKind::paused;
    if (const auto* finished = std::get_if<RunFinished>(&event)) {
        switch (finished->status) {
            case RunStatus::succeeded:
                return NoticeKind::succeeded;
            case RunStatus::rolled_back:
                return NoticeKind::rolled_back;
            case RunStatus::rollback_failed:
                return NoticeKind::rollback_failed;
            case RunStatus::failed:
                return NoticeKind::failed;
            case RunStatus::abandoned:
                return NoticeKind::abandoned;
            default:
                return std::nullopt;
        }
    }
    return std::nullopt;
}

std::string report_url(const Context& context, const RunState& state) {
    auto url = context.config.reports_url;
    for (const auto& [name, value] : {std::pair{std::string("${run_id}"), state.run_id},
                                      std::pair{std::string("${env}"), state.started.env}})
        for (auto at = url.find(name); at != std::string::npos; at = url.find(name, at))
            url.replace(at, name.size(), value);
    return url;
}

namespace {

// The gate decision that failed the run, if a gate did.
nlohmann::json failing_decision(const RunState& state) {
    auto found = state.steps.find(state.failed_step);
    if (found == state.steps.end() || !found->second.decision.is_object()) return nullptr;
    return found->second.decision;
}

// The incident an earlier notice of this run opened on `target` and nothing has resolved yet.
// A launch control's incident, journaled when a step paused it, is the control's own: its
// resume resolves it, the run's notices never update it.
std::string open_incident(const RunState& state, const std::string& target) {
    for (auto sent = state.notifications.rbegin(); sent != state.notifications.rend(); ++sent) {
        if (sent->target != target || sent->reference.empty() || !sent->delivered) continue;
        auto kind = notify::parse_notice_kind(sent->notice);
        if (kind == notify::NoticeKind::control_paused ||
            kind == notify::NoticeKind::control_resumed)
            continue;
        bool resolved = kind && (*kind == notify::NoticeKind::succeeded ||
                                 *kind == notify::NoticeKind::rolled_back);
        return resolved ? std::string() : sent->reference;
    }
    return "";
}

}  // namespace

NotificationSent notification_sent(notify::Delivery delivery, std::string_view notice) {
    return {{},
            std::move(delivery.target),
            std::string(notice),
            delivery.delivered,
            delivery.attempts,
            std::move(delivery.error),
            std::move(delivery.reference)};
}

std::vector<NotificationSent> announce(
    const Context& context, const RunState& state, notify::NoticeKind kind,
    const std::function<void(std::chrono::milliseconds)>& sleep) {
    std::vector<NotificationSent> sent;
    const auto& environment = state.started.env;
    std::vector<const nlohmann::json*> targets;
    for (const auto& target : context.config.notifications)
        if (notify::target_covers(target, environment) && notify::target_hears(target, kind))
            targets.push_back(&target);
    if (targets.empty()) return sent;
    notify::Notice facts;
    facts.run_id = state.run_id;
    facts.playbook = state.started.playbook;
    facts.version = state.started.version;
    facts.environment = environment;
    facts.previous_version = state.started.previous_version;
    facts.step = state.failed_step;
    facts.reason = state.failure_reason;
    facts.decision = failing_decision(state);
    facts.time = util::format_rfc3339(context.now());
    facts.report_url = report_url(context, state);
    auto notice = notify::describe_run_moment(kind, std::move(facts));
    notify::DeliveryPolicy policy;
    policy.text_output = context.err;  // stdout may carry the run's JSON
    if (sleep) policy.sleep = sleep;
    for (const auto* target : targets) {
        notice.incident_id = open_incident(state, notify::describe_target(*target));
        auto delivery = notify::deliver(*target, notice, policy);
        if (delivery.skipped) continue;
        if (!delivery.delivered)
            *context.err << "  warning: " << to_string(kind) << " notification not delivered to "
                         << delivery.target << ": " << delivery.error << '\n'
                         << std::flush;
        sent.push_back(notification_sent(std::move(delivery), to_string(kind)));
    }
    return sent;
}

void write_run_report(const Context& context, const RunState& state, const RunJournal& journal) {
    const auto& directory = context.config.reports_directory;
    if (directory.empty()) return;
    size_t offset = 0;
    auto events = journal.read_from(offset);
    auto written = [&]() -> Result<void> {
        if (!events) return std::unexpected(events.error());
        LAUNCHKIT_TRY(util::create_directories(directory));
        return util::write_file_atomically(directory / (state.run_id + ".html"),
                                           report::render_run_report(state, *events), 0644);
    }();
    if (!written)
        *context.err << "  warning: the run's report was not written: "
                     << util::printable(written.error().message) << '\n'
                     << std::flush;
}

Result<void> record_event(const Context& context, RunState& state, const RunJournal& journal,
                          RunEvent event) {
    std::visit(
        [&context](auto& typed) {
            if (typed.time.empty()) typed.time = util::format_rfc3339_ms(context.now());
        },
        event);
    LAUNCHKIT_TRY(journal.append(event));
    playbook::apply(state, event);
    if (std::holds_alternative<RunFinished>(event) || std::holds_alternative<RunPaused>(event))
        write_run_report(context, state, journal);
    if (auto moment = moment_of(event))
        for (auto& sent : announce(context, state, *moment, context.sleep))
            LAUNCHKIT_TRY(record_event(context, state, journal, std::move(sent)));
    return {};
}

}  // namespace launchkit::playbook

// A run announces itself where launchkit.yaml's `notifications:` say, without a notify step: its
// start, success, pause, stop, rollback and a failed rollback, each journaled as it goes out.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "core/context.h"
#include "notify/delivery.h"
#include "notify/notice.h"
#include "playbook/run_event.h"
#include "playbook/run_journal.h"
#include "playbook/run_state.h"

namespace launchkit::playbook {

// Where launchkit.yaml's `reports.url` says the run's report is, ${run_id} and ${env} filled in;
// empty when it says nothing.
std::string report_url(const Context& context, const RunState& state);

// The moment an event is, for the people watching: nullopt for the events in between.
std::optional<notify::NoticeKind> moment_of(const RunEvent& event);

// A delivery as the journal keeps it, under the moment (or "message") it announced.
NotificationSent notification_sent(notify::Delivery delivery, std::string_view notice);

// Sends the moment to every configured target for the run's environment that hears it, and
// returns what happened to each, to be journaled. Never fails: a target that could not be reached
// is in its NotificationSent with the error.
std::vector<NotificationSent> announce(const Context& context, const RunState& state,
                                       notify::NoticeKind kind,
                                       const std::function<void(std::chrono::milliseconds)>& sleep);

// Writes the run's HTML report where launchkit.yaml's `reports.directory` says. A report that
// cannot be written is a warning on stderr, never a reason to fail the run it reports on.
void write_run_report(const Context& context, const RunState& state, const RunJournal& journal);

// What happens to every event of a run, wherever it comes from (the runner, or `abort --abandon`
// of a run nothing holds): journaled and applied, then made public — the report rewritten when
// the run ends or pauses (first, so that the notifications' link to it works when they arrive),
// the moment announced, and each delivery journaled.
Result<void> record_event(const Context& context, RunState& state, const RunJournal& journal,
                          RunEvent event);

}  // namespace launchkit::playbook

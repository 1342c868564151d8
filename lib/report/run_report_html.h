// `release-manager report RUN_ID`: one self-contained HTML page about a run — its steps on a
// timeline, traffic over time, each gate's metrics against their thresholds, the decision and the
// rollback — readable offline and attachable to a postmortem (inline CSS and SVG, no script).
#pragma once

#include <string>
#include <vector>

#include "playbook/run_event.h"
#include "playbook/run_state.h"

namespace launchkit::report {

// <!DOCTYPE html> up to <body>: the shared style (light and dark), and a Content-Security-Policy
// under which the page can fetch nothing.
std::string report_page_start(const std::string& title);

// The page for a run, from its replayed state and its journal's events (oldest first).
std::string render_run_report(const playbook::RunState& run,
                              const std::vector<playbook::RunEvent>& events);

}  // namespace launchkit::report

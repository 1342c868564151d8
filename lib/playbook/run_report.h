// What a run prints when it ends (a summary table, or the run as JSON), and the JSON of a run
// that `release-manager runs` shows.
#pragma once

#include <nlohmann/json.hpp>

#include "core/context.h"
#include "playbook/playbook.h"
#include "playbook/run_journal.h"

namespace launchkit::playbook {

nlohmann::json to_json(const RunState& state);
void print_run_report(Context& context, const Playbook& playbook, const RunState& state);

}  // namespace launchkit::playbook

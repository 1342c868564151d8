// `release-manager abort`, `promote` and `pause`: steering a deploy from another shell, as Argo
// Rollouts' users do. A live run (its environment's lock held by its runner) gets the request as
// a journal event and acts on it at its next safe point, while the command waits to report what
// happened; a dead run is aborted by the command itself, under the lock.
#pragma once

#include <string>

#include "core/context.h"
#include "playbook/run_event.h"

namespace launchkit::playbook {

struct ControlOptions {
    std::string target{};  // a run id, or an environment: its latest run
    RunControl control = RunControl::abort;
    std::string reason{};
    bool abandon = false;  // abort: mark a dead run abandoned, touching nothing
};

Result<ExitCode> run_control(Context& context, const ControlOptions& options);

}  // namespace launchkit::playbook

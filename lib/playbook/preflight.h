// Everything a run will need, checked before its first side effect: `deploy` refuses (exit 2, no
// run written) and `plan` reports what is missing, instead of a run that takes backups, flips a
// flag and stages a release before it finds out.
#pragma once

#include <string>
#include <vector>

#include "core/context.h"
#include "playbook/playbook.h"
#include "playbook/variables.h"

namespace launchkit::playbook {

struct PreflightRequest {
    std::string environment{};
    std::string strategy{};  // --strategy: every deploy step must have its commands
    Variables known{};       // the variables known before the run (a ${...} using others waits)
};

// Checks, in the playbook's steps and its rollback: every deploy step has the commands of the
// strategy it will run with; every token_env and password_env is set and not empty; every flag a
// step sets exists (or the step says create: true); the environment is declared when the config
// declares environments; every gate's rules file, checklist file and inline probe block parses,
// with the rules' own token sources. Each problem is one line naming the step; all are returned.
std::vector<std::string> preflight_problems(const Context& context, const Playbook& playbook,
                                            const PreflightRequest& request);

// The same as an error (exit 2) listing every problem, or nothing when there is none.
Result<void> check_before_run(const Context& context, const Playbook& playbook,
                              const PreflightRequest& request);

}  // namespace launchkit::playbook

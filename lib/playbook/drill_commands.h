// `release-manager drill`: a rehearsal of an upgrade and its rollback in a non-production
// environment (the Artifortress Upgrade and Rollback Runbook's `make phase6-drill`, the Mycelia
// Rollback Procedures's monthly rollback drills), timed and recorded in the ledger so `stats` shows
// rollback and recovery times.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/context.h"

namespace launchkit::playbook {

struct DrillOptions {
    std::filesystem::path playbook{};  // the upgrade
    std::string environment{};
    std::string version{};                      // empty: the newest release in the ledger
    std::filesystem::path rollback_playbook{};  // empty: `rollback ENV` of the upgrade's run
    std::vector<std::string> checks{};          // --check URL: healthy when each answers 2xx
    std::filesystem::path checklist{};          // --checklist FILE: a diagnose checklist
    std::string recovery_timeout = "5m";
    std::vector<std::string> vars{};  // --var, for both playbooks (each takes what it declares)
    std::vector<std::string> approvals{};  // --approve, for both
    std::string tag_prefix{};
};

// Exit 0 when the upgrade deployed, was healthy, rolled back and was healthy again in time.
Result<ExitCode> run_drill(Context& context, const DrillOptions& options);

}  // namespace launchkit::playbook

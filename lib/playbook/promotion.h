// The promotion path before a deploy starts: a version must have been deployed to every
// environment the target `requires` (Release Management Playbook: staging before production), and
// an environment with `approval: true` needs a person's yes, and one with `require_signed: true` a
// release signed by a trusted key. `--force` with a reason skips the requirements and is written
// to the store's audit log.
#pragma once

#include <string>
#include <vector>

#include "core/context.h"
#include "version/release_ledger.h"

namespace launchkit::playbook {

struct PromotionRequest {
    std::string version{};
    std::string environment{};
    std::string tag_prefix{};
    bool approved = false;  // --approve deploy (or all)
    bool force = false;
    std::string reason{};  // required with force
};

struct PromotionOutcome {
    std::vector<std::string> missing{};  // required environments skipped by --force
    bool forced = false;
    // require_signed: the key that signed the release, or why none verified (with --force).
    std::string signed_by{};
    std::string unsigned_release{};
};

// Exit code 1 saying why the deploy may not start; exit code 2 for --force without --reason.
Result<PromotionOutcome> check_promotion(Context& context, const PromotionRequest& request,
                                         const std::vector<version::LedgerEntry>& ledger);

// Writes the forced promotion to the store's hash-chained audit log (key audit/forced/RUN_ID).
Result<void> audit_forced_promotion(Context& context, const PromotionRequest& request,
                                    const PromotionOutcome& outcome, const std::string& run_id);

}  // namespace launchkit::playbook

#include "playbook/promotion.h"

#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/open_store.h"
#include "util/strings.h"
#include "version/signed_release.h"

namespace launchkit::playbook {

Result<PromotionOutcome> check_promotion(Context& context, const PromotionRequest& request,
                                         const std::vector<version::LedgerEntry>& ledger) {
    PromotionOutcome outcome;
    if (request.force && request.reason.empty())
        return fail(ExitCode::invalid_input,
                    "--force needs --reason: forced promotions are audited");
    auto found = context.config.environments.find(request.environment);
    if (found == context.config.environments.end()) return outcome;
    const auto& environment = found->second;
    for (const auto& required : environment.required_environments) {
        bool deployed = std::any_of(ledger.begin(), ledger.end(), [&](const auto& entry) {
            return entry.event == version::LedgerEvent::deployed && entry.environment == required &&
                   entry.version == request.version && entry.tag_prefix == request.tag_prefix;
        });
        if (!deployed) outcome.missing.push_back(required);
    }
    if (!outcome.missing.empty()) {
        if (!request.force)
            return fail(ExitCode::said_no,
                        "{} has not been deployed to {} yet; {} requires it ({}). Deploy there "
                        "first, or pass --force --reason WHY",
                        request.version, fmt::join(outcome.missing, ", "), request.environment,
                        environment.where);
        outcome.forced = true;
        *context.err << fmt::format("warning: forcing {} into {} without {}: {}\n", request.version,
                                    request.environment, fmt::join(outcome.missing, ", "),
                                    util::printable(request.reason));
    }
    if (environment.require_signed) {
        auto signed_release = version::verify_signed_release(
            ledger, request.version, request.tag_prefix, context.config.signing_public_keys);
        if (signed_release) {
            outcome.signed_by = signed_release->key_id;
        } else if (!request.force) {
            return fail(signed_release.error().code,
                        "{} requires a signed release ({}): {}. Sign it, or pass --force "
                        "--reason WHY",
                        request.environment, environment.where, signed_release.error().message);
        } else {
            outcome.forced = true;
            outcome.unsigned_release = signed_release.error().message;
            *context.err << fmt::format(
                "warning: forcing {} into {} without a verified "
                "signature ({}): {}\n",
                request.version, request.environment, util::printable(outcome.unsigned_release),
                util::printable(request.reason));
        }
    }
    if (environment.approval && !request.approved) {
        if (!context.interactive)
            return fail(ExitCode::said_no, "{} needs approval ({}): pass --approve deploy",
                        request.environment, environment.where);
        if (!context.confirm(fmt::format("Deploy {} to {}?", request.version, request.environment)))
            return fail(ExitCode::said_no, "deploy to {} not approved", request.environment);
    }
    return outcome;
}

Result<void> audit_forced_promotion(Context& context, const PromotionRequest& request,
                                    const PromotionOutcome& outcome, const std::string& run_id) {
    if (!outcome.forced) return {};
    LAUNCHKIT_TRY_ASSIGN(auto store, store::open_store(context));
    store::Mutation record;
    record.key = "audit/forced/" + run_id;
    record.value = {{"run_id", run_id},
                    {"version", request.version},
                    {"env", request.environment},
                    {"skipped", outcome.missing},
                    {"unsigned_release", outcome.unsigned_release},
                    {"reason", request.reason}};
    record.expected_revision = 0;  // one record per run, never overwritten
    LAUNCHKIT_TRY_ASSIGN(auto committed,
                         store->commit({record}, store::change_note(context, request.reason)));
    if (!committed.committed)
        return fail(ExitCode::environment, "could not audit the forced promotion of run {}",
                    run_id);
    return {};
}

}  // namespace launchkit::playbook

// verify steps: what the release shipped is what was signed, before anything changes.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "playbook/step_executor.h"
#include "sign/release_verification.h"
#include "util/strings.h"

namespace launchkit::playbook {
namespace {

Result<std::vector<sign::PublicKey>> trusted_keys(const nlohmann::json& body,
                                                  const StepContext& run) {
    std::vector<std::filesystem::path> paths;
    if (auto key = body.value("public_key", ""); !key.empty())
        paths.push_back(path_beside_playbook(run.playbook, key));
    else
        paths = run.context.config.signing_public_keys;
    if (paths.empty())
        return fail(ExitCode::invalid_input,
                    "no public key: give the step public_key: FILE or set signing.public_keys");
    std::vector<sign::PublicKey> keys;
    for (const auto& path : paths) {
        LAUNCHKIT_TRY_ASSIGN(auto key, sign::read_public_key_file(path, "public key"));
        keys.push_back(key);
    }
    return keys;
}

Result<StepOutcome> verify(const nlohmann::json& body, const StepContext& run) {
    LAUNCHKIT_TRY_ASSIGN(auto keys, trusted_keys(body, run));
    auto beside = [&](const char* key) {
        return path_beside_playbook(run.playbook, body.value(key, "")).string();
    };
    StepOutcome outcome;
    std::vector<std::string> said;
    outcome.outputs["key_id"] = "";
    outcome.outputs["files"] = 0;
    outcome.outputs["predicate_type"] = "";
    if (auto checksums = beside("checksums"); !checksums.empty()) {
        LAUNCHKIT_TRY_ASSIGN(auto verified, sign::verify_checksums_signature(keys, checksums));
        LAUNCHKIT_TRY_ASSIGN(auto files, sign::check_listed_files(verified, checksums));
        if (auto changed = sign::first_changed_file(files, checksums))
            return fail(ExitCode::said_no, "{}: its SHA-256 is not the one {} lists", *changed,
                        checksums);
        outcome.outputs["key_id"] = sign::key_id_text(verified.signature.key_id);
        outcome.outputs["files"] = files.size();
        said.push_back(fmt::format(
            "{} signed by key {}, {} intact", std::filesystem::path(checksums).filename().string(),
            sign::key_id_text(verified.signature.key_id), util::count_of(files.size(), "file")));
    }
    if (auto envelope = beside("attestation"); !envelope.empty()) {
        std::vector<std::filesystem::path> paths;
        for (const auto& artifact : body.value("artifacts", std::vector<std::string>{}))
            paths.push_back(path_beside_playbook(run.playbook, artifact));
        auto predicate_type = body.value("predicate_type", "");
        // The key that signed it, among the trusted ones.
        std::optional<Error> refused;
        std::optional<sign::VerifiedAttestation> verified;
        std::string key_id;
        for (const auto& key : keys) {
            auto checked = sign::verify_attestation_file(key, envelope, paths, predicate_type);
            if (checked) {
                verified = std::move(*checked);
                key_id = sign::key_id_text(key.key_id);
                break;
            }
            if (!refused) refused = checked.error();
        }
        if (!verified) return std::unexpected(*refused);
        if (outcome.outputs["key_id"] == "") outcome.outputs["key_id"] = key_id;
        outcome.outputs["predicate_type"] = verified->predicate_type;
        said.push_back(fmt::format(
            "{} ({}) signed by key {}{}", std::filesystem::path(envelope).filename().string(),
            verified->predicate_type, key_id,
            paths.empty()
                ? ""
                : fmt::format(", {} attested", util::count_of(paths.size(), "artifact"))));
    }
    outcome.succeeded = true;
    outcome.message = fmt::format("{}", fmt::join(said, "; "));
    return outcome;
}

}  // namespace

Result<StepOutcome> execute_verify_step(const nlohmann::json& body, StepContext& run) {
    auto verified = verify(body, run);
    if (verified) return verified;
    // A signature that does not hold fails the step like any check; so does a missing file.
    StepOutcome outcome;
    outcome.outputs = {{"key_id", ""}, {"files", 0}, {"predicate_type", ""}};
    outcome.message = verified.error().message;
    return outcome;
}

}  // namespace launchkit::playbook

#include "sign/release_verification.h"

#include <algorithm>

#include <fmt/format.h>

#include "sign/checksums.h"
#include "util/file_io.h"
#include "util/sha256.h"

namespace launchkit::sign {

Result<PublicKey> read_public_key_file(const std::filesystem::path& path, std::string_view what) {
    LAUNCHKIT_TRY_ASSIGN(auto text, util::read_file_at_most(path, max_key_bytes, what));
    return read_public_key(text, path.string());
}

std::filesystem::path signature_path_of(const std::filesystem::path& path) {
    return std::filesystem::path(path.string() + ".minisig");
}

Result<SignedChecksums> verify_checksums_signature(const std::vector<PublicKey>& keys,
                                                   const std::filesystem::path& checksums) {
    if (keys.empty()) return fail(ExitCode::invalid_input, "no public key to verify with");
    auto signature_path = signature_path_of(checksums);
    SignedChecksums verified;
    LAUNCHKIT_TRY_ASSIGN(verified.text,
                         util::read_file_at_most(checksums, max_checksums_bytes, "checksums file"));
    LAUNCHKIT_TRY_ASSIGN(auto signature,
                         util::read_file_at_most(signature_path, max_key_bytes, "signature"));
    verified.sha256 = util::sha256_hex(verified.text);
    // With several trusted keys (a rotation), the one whose id made the signature decides.
    std::optional<Error> first_error;
    for (const auto& key : keys) {
        auto checked = verify_message(key, verified.text, signature, signature_path.string());
        if (checked) {
            verified.signature = std::move(*checked);
            return verified;
        }
        bool other_key = checked.error().code == ExitCode::said_no &&
                         checked.error().message.find("not by the given key") != std::string::npos;
        if (!other_key) return std::unexpected(checked.error());
        if (!first_error) first_error = checked.error();
    }
    if (keys.size() == 1) return std::unexpected(*first_error);
    return fail(ExitCode::said_no, "{}: signed by a key that is none of the {} trusted keys",
                signature_path.string(), keys.size());
}

Result<std::vector<FileCheck>> check_listed_files(const SignedChecksums& checksums,
                                                  const std::filesystem::path& path) {
    LAUNCHKIT_TRY_ASSIGN(auto entries, parse_checksums(checksums.text, path.string()));
    auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::vector<FileCheck> files;
    for (const auto& entry : entries) {
        LAUNCHKIT_TRY_ASSIGN(auto digest, file_sha256(folder / entry.name));
        files.push_back({entry.name, digest, digest == entry.digest});
    }
    return files;
}

std::optional<std::string> first_changed_file(const std::vector<FileCheck>& files,
                                              const std::filesystem::path& checksums) {
    auto bad = std::ranges::find_if(files, [](const auto& file) { return !file.intact; });
    if (bad == files.end()) return std::nullopt;
    return checksums.parent_path().empty() ? bad->name
                                           : (checksums.parent_path() / bad->name).string();
}

Result<VerifiedAttestation> verify_attestation_file(
    const PublicKey& key, const std::filesystem::path& envelope,
    const std::vector<std::filesystem::path>& artifacts, const std::string& predicate_type) {
    LAUNCHKIT_TRY_ASSIGN(auto text,
                         util::read_file_at_most(envelope, max_envelope_bytes, "envelope"));
    LAUNCHKIT_TRY_ASSIGN(auto verified, verify_attestation(key, text, envelope.string()));
    if (!predicate_type.empty() && verified.predicate_type != predicate_type)
        return fail(ExitCode::said_no, "{}: the predicate type is '{}', not {}", envelope.string(),
                    verified.predicate_type, predicate_type);
    for (const auto& artifact : artifacts) {
        LAUNCHKIT_TRY_ASSIGN(auto digest, file_sha256(artifact));
        bool listed = std::ranges::any_of(
            verified.subjects, [&](const auto& subject) { return subject.sha256 == digest; });
        if (!listed)
            return fail(ExitCode::said_no,
                        "{}: its SHA-256 is not a subject of {} (changed, or not attested)",
                        artifact.string(), envelope.string());
    }
    return verified;
}

}  // namespace launchkit::sign

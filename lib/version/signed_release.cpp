#include "version/signed_release.h"

#include <algorithm>

#include <fmt/format.h>

#include "sign/release_verification.h"

namespace launchkit::version {

Result<SignedRelease> verify_signed_release(
    const std::vector<LedgerEntry>& ledger, const std::string& version,
    const std::string& tag_prefix, const std::vector<std::filesystem::path>& trusted_keys) {
    auto release = std::find_if(ledger.rbegin(), ledger.rend(), [&](const LedgerEntry& entry) {
        return entry.event == LedgerEvent::created && entry.version == version &&
               entry.tag_prefix == tag_prefix;
    });
    if (release == ledger.rend())
        return fail(ExitCode::said_no, "{} was never released here (no ledger entry to verify)",
                    version);
    if (release->signing_key_id.empty() || release->checksums.empty())
        return fail(ExitCode::said_no,
                    "release {} was not signed (create releases with --sign FILE...)", version);
    std::vector<sign::PublicKey> keys;
    for (const auto& path : trusted_keys) {
        LAUNCHKIT_TRY_ASSIGN(auto key, sign::read_public_key_file(path, "signing.public_keys"));
        keys.push_back(key);
    }
    auto verified = sign::verify_checksums_signature(keys, release->checksums);
    if (!verified)
        return fail(ExitCode::said_no, "the signature of release {} does not verify: {}", version,
                    verified.error().message);
    if (verified->sha256 != release->checksums_sha256)
        return fail(ExitCode::said_no,
                    "{} is not the checksums file release {} signed (its SHA-256 differs from the "
                    "ledger's)",
                    release->checksums, version);
    return SignedRelease{sign::key_id_text(verified->signature.key_id), release->checksums,
                         verified->signature.trusted_comment};
}

}  // namespace launchkit::version

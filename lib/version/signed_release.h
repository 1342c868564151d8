// Whether a release was signed, checked again before it is deployed: the ledger's `create --sign`
// record, the checksums file it names still the one signed, and its signature by a trusted key.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "version/release_ledger.h"

namespace launchkit::version {

struct SignedRelease {
    std::string key_id;
    std::string checksums;  // the checksums file's path
    std::string trusted_comment;
};

// Exit 1 saying why `version` has no verified signature (never signed, the checksums file changed
// or is gone, a key that is not trusted, a bad signature); 2 for an unreadable trusted key.
Result<SignedRelease> verify_signed_release(const std::vector<LedgerEntry>& ledger,
                                            const std::string& version,
                                            const std::string& tag_prefix,
                                            const std::vector<std::filesystem::path>& trusted_keys);

}  // namespace launchkit::version

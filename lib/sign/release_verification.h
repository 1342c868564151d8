// Checking what a release shipped: a signed SHA256SUMS and the files it lists, an attestation
// about artifacts. One implementation for `release-manager verify`, `attest verify`, a playbook's
// `verify:` step and the `require_signed` deploy check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "sign/attestation.h"
#include "sign/minisign.h"

namespace launchkit::sign {

// What each input can be at most: a key or a signature is a few hundred bytes; a checksums file
// lists a release's artifacts; an envelope or predicate carries provenance, rarely a megabyte.
inline constexpr std::uint64_t max_key_bytes = 64 * 1024;
inline constexpr std::uint64_t max_checksums_bytes = 16 * 1024 * 1024;
inline constexpr std::uint64_t max_envelope_bytes = 16 * 1024 * 1024;

// A public key file (minisign's .pub, or the base64 line alone); `what` names it in errors.
Result<PublicKey> read_public_key_file(const std::filesystem::path& path, std::string_view what);

// `path` + ".minisig": where minisign and launchkit put a file's signature.
std::filesystem::path signature_path_of(const std::filesystem::path& path);

struct SignedChecksums {
    std::string text;    // the checksums file as signed
    std::string sha256;  // its digest, as the release ledger records it
    VerifiedSignature signature;
};

// Reads CHECKSUMS and CHECKSUMS.minisig and checks the signature by one of `keys` (the key whose
// id signed it). Exit 1 naming what failed; 2 for files that are not what they claim; 3 unreadable.
Result<SignedChecksums> verify_checksums_signature(const std::vector<PublicKey>& keys,
                                                   const std::filesystem::path& checksums);

struct FileCheck {
    std::string name;    // as listed
    std::string sha256;  // found now
    bool intact = false;
};

// Every file the checksums list, digested beside the checksums file; exit 2 for a list that is
// not sha256sum's format, 3 for a listed file that cannot be read.
Result<std::vector<FileCheck>> check_listed_files(const SignedChecksums& checksums,
                                                  const std::filesystem::path& path);

// The first file whose digest changed, as a path a person can open, or none.
std::optional<std::string> first_changed_file(const std::vector<FileCheck>& files,
                                              const std::filesystem::path& checksums);

// Reads an envelope and checks it is signed by `key`, its predicate type (when given) and that
// every artifact's SHA-256 is one of its subjects. Exit 1 naming what fails.
Result<VerifiedAttestation> verify_attestation_file(
    const PublicKey& key, const std::filesystem::path& envelope,
    const std::vector<std::filesystem::path>& artifacts, const std::string& predicate_type);

}  // namespace launchkit::sign

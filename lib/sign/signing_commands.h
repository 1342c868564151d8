// `release-manager keygen`, `sign` and `verify`: minisign key pairs, signed SHA256SUMS files for a
// release's artifacts, and their verification. Passwords come from $LAUNCHKIT_SIGNING_PASSWORD or
// a file, never argv, and are never printed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/exit_code.h"
#include "core/context.h"

namespace launchkit::sign {

// Where an encrypted key's password comes from.
struct PasswordSource {
    std::filesystem::path file;  // else $LAUNCHKIT_SIGNING_PASSWORD
};

struct KeygenOptions {
    std::filesystem::path output = "launchkit";  // writes OUTPUT.pub and OUTPUT.key
    PasswordSource password;
    bool unencrypted = false;  // minisign -W: for CI keys kept in a secret store
    bool force = false;        // replace existing files
};
Result<ExitCode> run_keygen(Context& context, const KeygenOptions& options);

struct SignOptions {
    std::vector<std::filesystem::path> files;
    std::filesystem::path key = "launchkit.key";
    std::filesystem::path output = "SHA256SUMS";  // and OUTPUT.minisig beside it
    std::string trusted_comment;                  // empty: what was signed, when, by whom
    PasswordSource password;
};
Result<ExitCode> run_sign(Context& context, const SignOptions& options);

// A signature made but not yet written: `release-manager create --sign` makes it before the
// release commit (a wrong password or an unreadable artifact stops the release before it starts)
// and writes it after.
struct PreparedSignature {
    std::filesystem::path checksums;  // and CHECKSUMS.minisig beside it
    std::string checksums_text;
    std::string signature_text;
    std::string trusted_comment;
    std::string key_id;
    std::string checksums_sha256;
    size_t files = 0;
};
Result<PreparedSignature> prepare_signature(Context& context, const SignOptions& options);
Result<void> write_signature(const PreparedSignature& prepared);
nlohmann::json to_json(const PreparedSignature& prepared);

struct VerifyOptions {
    std::filesystem::path checksums = "SHA256SUMS";  // and CHECKSUMS.minisig beside it
    std::string public_key;                          // the base64 line (minisign -P)
    std::filesystem::path public_key_file;
};
// Exit 0 when the signature and every listed file's digest hold; 1 naming the first bad one; 2 for
// usage; 3 when a file cannot be read.
Result<ExitCode> run_verify(Context& context, const VerifyOptions& options);

struct AttestOptions {
    std::vector<std::filesystem::path> files;
    std::string predicate_type;            // a URI, e.g. https://slsa.dev/provenance/v1
    std::filesystem::path predicate_file;  // a JSON object; empty: {}
    std::filesystem::path key = "launchkit.key";
    std::filesystem::path output = "attestation.dsse.json";
    PasswordSource password;
};
// Writes an in-toto Statement v1 about the files in a DSSE envelope signed with the key.
Result<ExitCode> run_attest(Context& context, const AttestOptions& options);

struct AttestVerifyOptions {
    std::filesystem::path envelope;
    std::vector<std::filesystem::path> artifacts;  // each must be a subject (by its digest)
    std::string predicate_type;                    // when given, must be the statement's
    std::string public_key;
    std::filesystem::path public_key_file;
};
// Exit 0 when signed by the key and every artifact is a subject; 1 naming what fails.
Result<ExitCode> run_attest_verify(Context& context, const AttestVerifyOptions& options);

}  // namespace launchkit::sign

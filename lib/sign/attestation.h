// in-toto attestations: a Statement v1 (each subject a file name and its SHA-256, a predicate
// type and predicate) wrapped in a DSSE envelope signed with the release key's Ed25519, over
// DSSE's pre-authentication encoding (PAE), as sigstore and in-toto tools verify them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "sign/minisign.h"

namespace launchkit::sign {

inline constexpr std::string_view in_toto_payload_type = "application/vnd.in-toto+json";
inline constexpr std::string_view in_toto_statement_type = "https://in-toto.io/Statement/v1";

struct AttestationSubject {
    std::string name;
    std::string sha256;
};

// DSSE's PAE: "DSSEv1 LEN(type) type LEN(body) body", lengths in decimal ASCII.
std::string dsse_pae(std::string_view payload_type, std::string_view payload);

// The envelope's JSON text. `predicate_type` must be a URI (it has a scheme); `predicate` an
// object (exit 2 otherwise).
Result<std::string> make_attestation(const SecretKey& key,
                                     const std::vector<AttestationSubject>& subjects,
                                     std::string_view predicate_type,
                                     const nlohmann::json& predicate);

struct VerifiedAttestation {
    std::string predicate_type;
    std::vector<AttestationSubject> subjects;
    nlohmann::json predicate;
};

// Checks the envelope: its payload type, a signature by `key` over the PAE, and that the payload
// is an in-toto Statement v1. Exit 1 naming what failed, 2 for text that is not an envelope.
Result<VerifiedAttestation> verify_attestation(const PublicKey& key, std::string_view envelope,
                                               std::string_view where);

}  // namespace launchkit::sign

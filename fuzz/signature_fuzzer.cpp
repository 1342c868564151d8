// What `release-manager verify` and `sign` read from files anyone may hand them (lib/sign): a
// public key, a secret key (unencrypted: a password would run scrypt), a .minisig and a
// SHA256SUMS, also read as a DSSE attestation envelope. Input: the four texts separated by lines
// of "--". Nothing verifies that was not signed by the key the harness holds.
#include "fuzz_input.h"
#include "sign/attestation.h"
#include "sign/checksums.h"
#include "sign/minisign.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto pair = sign::generate_key_pair();
    auto [public_text, rest] = fuzz::split_once(fuzz::as_text(data, size), "\n--\n");
    auto [secret_text, rest2] = fuzz::split_once(rest, "\n--\n");
    auto [signature_text, checksums_text] = fuzz::split_once(rest2, "\n--\n");

    (void)sign::read_public_key(public_text, "fuzz.pub");
    (void)sign::secret_key_is_encrypted(secret_text);
    (void)sign::read_secret_key(secret_text, std::nullopt, "fuzz.key");
    (void)sign::parse_checksums(checksums_text, "SHA256SUMS");
    // The harness's own key never made these bytes: they must not verify with it.
    if (sign::verify_message(pair.public_key, checksums_text, signature_text, "fuzz.minisig"))
        __builtin_trap();
    // The same for a DSSE envelope: the fourth text read as one.
    if (sign::verify_attestation(pair.public_key, checksums_text, "fuzz.dsse.json"))
        __builtin_trap();
    return 0;
}

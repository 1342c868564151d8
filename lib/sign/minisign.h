// minisign's formats (jedisct1/minisign), with libsodium doing every cryptographic step: Ed25519
// key pairs, secret keys encrypted with scrypt, and signatures of BLAKE2b-512 prehashes with a
// signed trusted comment. Files launchkit signs verify with `minisign -V`, and the reverse.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace launchkit::sign {

using KeyId = std::array<unsigned char, 8>;

struct PublicKey {
    KeyId key_id{};
    std::array<unsigned char, 32> key{};
};

// A secret key in memory, unencrypted; wiped when destroyed.
class SecretKey {
  public:
    SecretKey() = default;
    ~SecretKey();
    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;
    SecretKey(SecretKey&& other) noexcept;
    SecretKey& operator=(SecretKey&& other) noexcept;

    KeyId key_id{};
    std::array<unsigned char, 64> key{};  // libsodium's Ed25519 secret key (seed and public key)

    PublicKey public_key() const;
};

// minisign prints a key id as 16 upper-case hex digits of its little-endian value.
std::string key_id_text(const KeyId& key_id);

struct KeyPair {
    PublicKey public_key;
    SecretKey secret_key;
};
KeyPair generate_key_pair();

// The .pub file: "untrusted comment: minisign public key ID" and the key in base64.
std::string public_key_file(const PublicKey& key);
// Reads a .pub file, or the base64 line alone (minisign -P); `where` names it in errors (exit 2).
Result<PublicKey> read_public_key(std::string_view text, std::string_view where);

// minisign's memory and work for scrypt (its "sensitive" settings: 1 GiB, about 2 s).
inline constexpr std::uint64_t scrypt_opslimit = 33554432;
inline constexpr std::uint64_t scrypt_memlimit = 1073741824;

// The .key file; encrypted with `password` unless it is nullopt (minisign -W's unencrypted keys).
Result<std::string> secret_key_file(const SecretKey& key,
                                    const std::optional<std::string>& password,
                                    std::uint64_t opslimit = scrypt_opslimit,
                                    std::uint64_t memlimit = scrypt_memlimit);
// Reads a .key file; an encrypted one needs `password`. Exit 2 for a damaged file or a wrong
// password (the checksum does not match), naming `where`.
Result<SecretKey> read_secret_key(std::string_view text, const std::optional<std::string>& password,
                                  std::string_view where);
bool secret_key_is_encrypted(std::string_view text);

// A .minisig for `message`: prehashed Ed25519 ("ED"), with the trusted comment signed too.
// Comments are one line each (exit 2 otherwise).
Result<std::string> sign_message(const SecretKey& key, std::string_view message,
                                 std::string_view trusted_comment,
                                 std::string_view untrusted_comment = "signature from launchkit");

struct VerifiedSignature {
    KeyId key_id{};
    std::string trusted_comment;
};

// Checks a .minisig against `message` and `key`: the key id, the signature (prehashed "ED" or
// legacy "Ed"), then the trusted comment's. Exit 1 naming what failed when it does not verify,
// 2 for a file that is not a minisign signature.
Result<VerifiedSignature> verify_message(const PublicKey& key, std::string_view message,
                                         std::string_view signature, std::string_view where);

}  // namespace launchkit::sign

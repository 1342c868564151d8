#include "sign/minisign.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "util/strings.h"

namespace launchkit::sign {

namespace {

constexpr size_t keynum_secret_bytes = 8 + 64 + 32;  // key id, secret key, checksum
constexpr size_t secret_key_bytes = 2 + 2 + 2 + 32 + 8 + 8 + keynum_secret_bytes;
constexpr size_t public_key_bytes = 2 + 8 + 32;
constexpr size_t signature_bytes = 2 + 8 + 64;
constexpr std::string_view untrusted_prefix = "untrusted comment: ";
constexpr std::string_view trusted_prefix = "trusted comment: ";

void ensure_sodium() {
    // Idempotent and thread-safe; fails only without a randomness source.
    if (sodium_init() < 0) std::abort();
}

std::string to_base64(const unsigned char* data, size_t size) {
    std::string text(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    text.resize(std::strlen(text.c_str()));
    return text;
}

std::optional<std::vector<unsigned char>> from_base64(std::string_view text) {
    // Nothing decodes to nothing, which no minisign field is (and libsodium wants a buffer).
    if (text.empty()) return std::nullopt;
    std::vector<unsigned char> bytes(text.size());
    size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &length,
                          &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    bytes.resize(length);
    return bytes;
}

void store_le64(unsigned char* out, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(value >> (8 * i));
}

std::uint64_t load_le64(const unsigned char* in) {
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) value = (value << 8) | in[i];
    return value;
}

// The lines of a minisign file, without their line ends.
std::vector<std::string_view> file_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (auto line : util::split(text, '\n')) {
        if (line.ends_with('\r')) line.remove_suffix(1);
        lines.push_back(line);
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

// The base64 line of a one-key file: after an untrusted comment, or alone.
std::optional<std::vector<unsigned char>> key_payload(std::string_view text) {
    auto lines = file_lines(text);
    if (lines.size() == 2 && lines[0].starts_with(untrusted_prefix)) return from_base64(lines[1]);
    if (lines.size() == 1) return from_base64(util::trim(lines[0]));
    return std::nullopt;
}

std::array<unsigned char, 32> secret_key_checksum(const unsigned char* sig_alg, const KeyId& key_id,
                                                  const std::array<unsigned char, 64>& key) {
    std::array<unsigned char, 32> checksum{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, checksum.size());
    crypto_generichash_update(&state, sig_alg, 2);
    crypto_generichash_update(&state, key_id.data(), key_id.size());
    crypto_generichash_update(&state, key.data(), key.size());
    crypto_generichash_final(&state, checksum.data(), checksum.size());
    return checksum;
}

// scrypt's stream, XORed over the key id, key and checksum: encrypts and decrypts alike.
bool apply_password(unsigned char* keynum_secret, const std::string& password,
                    const unsigned char* salt, std::uint64_t opslimit, std::uint64_t memlimit) {
    std::array<unsigned char, keynum_secret_bytes> stream{};
    if (crypto_pwhash_scryptsalsa208sha256(stream.data(), stream.size(), password.data(),
                                           password.size(), salt, opslimit,
                                           static_cast<size_t>(memlimit)) != 0)
        return false;
    for (size_t i = 0; i < stream.size(); ++i) keynum_secret[i] ^= stream[i];
    sodium_memzero(stream.data(), stream.size());
    return true;
}

bool one_line(std::string_view text) {
    return text.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace

SecretKey::~SecretKey() {
    sodium_memzero(key.data(), key.size());
}

SecretKey::SecretKey(SecretKey&& other) noexcept : key_id(other.key_id), key(other.key) {
    sodium_memzero(other.key.data(), other.key.size());
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
    key_id = other.key_id;
    key = other.key;
    sodium_memzero(other.key.data(), other.key.size());
    return *this;
}

PublicKey SecretKey::public_key() const {
    PublicKey public_key;
    public_key.key_id = key_id;
    crypto_sign_ed25519_sk_to_pk(public_key.key.data(), key.data());
    return public_key;
}

std::string key_id_text(const KeyId& key_id) {
    return fmt::format("{:016X}", load_le64(key_id.data()));
}

KeyPair generate_key_pair() {
    ensure_sodium();
    KeyPair pair;
    randombytes_buf(pair.secret_key.key_id.data(), pair.secret_key.key_id.size());
    pair.public_key.key_id = pair.secret_key.key_id;
    crypto_sign_keypair(pair.public_key.key.data(), pair.secret_key.key.data());
    return pair;
}

std::string public_key_file(const PublicKey& key) {
    std::array<unsigned char, public_key_bytes> bytes{};
    std::memcpy(bytes.data(), "Ed", 2);
    std::memcpy(bytes.data() + 2, key.key_id.data(), 8);
    std::memcpy(bytes.data() + 10, key.key.data(), 32);
    return fmt::format("{}minisign public key {}\n{}\n", untrusted_prefix, key_id_text(key.key_id),
                       to_base64(bytes.data(), bytes.size()));
}

Result<PublicKey> read_public_key(std::string_view text, std::string_view where) {
    ensure_sodium();
    auto bytes = key_payload(text);
    if (!bytes || bytes->size() != public_key_bytes || std::memcmp(bytes->data(), "Ed", 2) != 0)
        return fail(ExitCode::invalid_input,
                    "{}: not a minisign public key (expected an untrusted comment line and the "
                    "key's base64)",
                    where);
    PublicKey key;
    std::memcpy(key.key_id.data(), bytes->data() + 2, 8);
    std::memcpy(key.key.data(), bytes->data() + 10, 32);
    return key;
}

Result<std::string> secret_key_file(const SecretKey& key,
                                    const std::optional<std::string>& password,
                                    std::uint64_t opslimit, std::uint64_t memlimit) {
    ensure_sodium();
    std::array<unsigned char, secret_key_bytes> bytes{};
    unsigned char* sig_alg = bytes.data();
    std::memcpy(sig_alg, "Ed", 2);
    std::memcpy(bytes.data() + 2, password ? "Sc" : "\0\0", 2);
    std::memcpy(bytes.data() + 4, "B2", 2);
    unsigned char* salt = bytes.data() + 6;
    unsigned char* keynum_secret = bytes.data() + 6 + 32 + 16;
    if (password) {
        randombytes_buf(salt, 32);
        store_le64(bytes.data() + 38, opslimit);
        store_le64(bytes.data() + 46, memlimit);
    }
    auto checksum = secret_key_checksum(sig_alg, key.key_id, key.key);
    std::memcpy(keynum_secret, key.key_id.data(), 8);
    std::memcpy(keynum_secret + 8, key.key.data(), 64);
    std::memcpy(keynum_secret + 72, checksum.data(), 32);
    if (password && !apply_password(keynum_secret, *password, salt, opslimit, memlimit))
        return fail(ExitCode::environment,
                    "scrypt could not derive the key's encryption (out of memory?)");
    auto text = fmt::format("{}minisign {}secret key\n{}\n", untrusted_prefix,
                            password ? "encrypted " : "", to_base64(bytes.data(), bytes.size()));
    sodium_memzero(bytes.data(), bytes.size());
    return text;
}

bool secret_key_is_encrypted(std::string_view text) {
    auto bytes = key_payload(text);
    return bytes && bytes->size() == secret_key_bytes &&
           std::memcmp(bytes->data() + 2, "Sc", 2) == 0;
}

Result<SecretKey> read_secret_key(std::string_view text, const std::optional<std::string>& password,
                                  std::string_view where) {
    ensure_sodium();
    auto bytes = key_payload(text);
    if (!bytes || bytes->size() != secret_key_bytes || std::memcmp(bytes->data(), "Ed", 2) != 0 ||
        std::memcmp(bytes->data() + 4, "B2", 2) != 0)
        return fail(ExitCode::invalid_input, "{}: not a minisign secret key", where);
    unsigned char* keynum_secret = bytes->data() + 54;
    bool encrypted = std::memcmp(bytes->data() + 2, "Sc", 2) == 0;
    if (!encrypted && std::memcmp(bytes->data() + 2, "\0\0", 2) != 0)
        return fail(ExitCode::invalid_input, "{}: an unknown key derivation (expected scrypt)",
                    where);
    if (encrypted) {
        if (!password)
            return fail(ExitCode::invalid_input,
                        "{}: the key is encrypted: give its password ($LAUNCHKIT_SIGNING_PASSWORD "
                        "or a password file)",
                        where);
        auto opslimit = load_le64(bytes->data() + 38);
        auto memlimit = load_le64(bytes->data() + 46);
        // Twice minisign's own settings at most: a crafted key must not make us spend minutes
        // or gigabytes.
        if (opslimit > 2 * scrypt_opslimit || memlimit > 2 * scrypt_memlimit)
            return fail(ExitCode::invalid_input,
                        "{}: scrypt limits beyond reason ({} operations, {} bytes)", where,
                        opslimit, memlimit);
        if (!apply_password(keynum_secret, *password, bytes->data() + 6, opslimit, memlimit))
            return fail(ExitCode::environment, "{}: scrypt failed (out of memory?)", where);
    }
    SecretKey key;
    std::memcpy(key.key_id.data(), keynum_secret, 8);
    std::memcpy(key.key.data(), keynum_secret + 8, 64);
    // minisign -W leaves an unencrypted key's checksum zero; the key's own halves must still
    // agree (the public half is derived from the seed).
    std::array<unsigned char, 32> derived_public{};
    std::array<unsigned char, 64> derived_secret{};
    crypto_sign_seed_keypair(derived_public.data(), derived_secret.data(), key.key.data());
    bool intact = sodium_memcmp(derived_secret.data(), key.key.data(), 64) == 0;
    sodium_memzero(derived_secret.data(), derived_secret.size());
    std::array<unsigned char, 32> zero{};
    if (encrypted || sodium_memcmp(keynum_secret + 72, zero.data(), 32) != 0) {
        auto checksum = secret_key_checksum(bytes->data(), key.key_id, key.key);
        intact = intact && sodium_memcmp(checksum.data(), keynum_secret + 72, 32) == 0;
    }
    sodium_memzero(bytes->data(), bytes->size());
    if (!intact)
        return fail(ExitCode::invalid_input, "{}: {}", where,
                    encrypted ? "wrong password for this key (or a damaged key file)"
                              : "the key's checksum does not match: the file is damaged");
    return key;
}

Result<std::string> sign_message(const SecretKey& key, std::string_view message,
                                 std::string_view trusted_comment,
                                 std::string_view untrusted_comment) {
    ensure_sodium();
    if (!one_line(trusted_comment) || !one_line(untrusted_comment))
        return fail(ExitCode::invalid_input, "a signature's comments are one line each");
    std::array<unsigned char, crypto_generichash_BYTES_MAX> prehash{};
    crypto_generichash(prehash.data(), prehash.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       nullptr, 0);
    std::array<unsigned char, signature_bytes> signature{};
    std::memcpy(signature.data(), "ED", 2);
    std::memcpy(signature.data() + 2, key.key_id.data(), 8);
    crypto_sign_detached(signature.data() + 10, nullptr, prehash.data(), prehash.size(),
                         key.key.data());
    std::vector<unsigned char> global(signature.begin() + 10, signature.end());
    global.insert(global.end(), trusted_comment.begin(), trusted_comment.end());
    std::array<unsigned char, 64> global_signature{};
    crypto_sign_detached(global_signature.data(), nullptr, global.data(), global.size(),
                         key.key.data());
    return fmt::format("{}{}\n{}\n{}{}\n{}\n", untrusted_prefix, untrusted_comment,
                       to_base64(signature.data(), signature.size()), trusted_prefix,
                       trusted_comment,
                       to_base64(global_signature.data(), global_signature.size()));
}

Result<VerifiedSignature> verify_message(const PublicKey& key, std::string_view message,
                                         std::string_view signature_text, std::string_view where) {
    ensure_sodium();
    auto lines = file_lines(signature_text);
    if (lines.size() != 4 || !lines[0].starts_with(untrusted_prefix) ||
        !lines[2].starts_with(trusted_prefix))
        return fail(ExitCode::invalid_input,
                    "{}: not a minisign signature (expected four lines: untrusted comment, "
                    "signature, trusted comment, its signature)",
                    where);
    auto signature = from_base64(lines[1]);
    auto global_signature = from_base64(lines[3]);
    if (!signature || signature->size() != signature_bytes || !global_signature ||
        global_signature->size() != 64)
        return fail(ExitCode::invalid_input, "{}: the signature lines are not minisign's base64",
                    where);
    bool prehashed = std::memcmp(signature->data(), "ED", 2) == 0;
    if (!prehashed && std::memcmp(signature->data(), "Ed", 2) != 0)
        return fail(ExitCode::invalid_input, "{}: an unknown signature algorithm", where);
    VerifiedSignature verified;
    std::memcpy(verified.key_id.data(), signature->data() + 2, 8);
    if (verified.key_id != key.key_id)
        return fail(ExitCode::said_no, "{}: signed by key {}, not by the given key {}", where,
                    key_id_text(verified.key_id), key_id_text(key.key_id));
    int checked;
    if (prehashed) {
        std::array<unsigned char, crypto_generichash_BYTES_MAX> prehash{};
        crypto_generichash(prehash.data(), prehash.size(),
                           reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                           nullptr, 0);
        checked = crypto_sign_verify_detached(signature->data() + 10, prehash.data(),
                                              prehash.size(), key.key.data());
    } else {
        checked = crypto_sign_verify_detached(
            signature->data() + 10, reinterpret_cast<const unsigned char*>(message.data()),
            message.size(), key.key.data());
    }
    if (checked != 0)
        return fail(ExitCode::said_no, "{}: the signature does not match the signed file", where);
    verified.trusted_comment = std::string(lines[2].substr(trusted_prefix.size()));
    std::vector<unsigned char> global(signature->begin() + 10, signature->end());
    global.insert(global.end(), verified.trusted_comment.begin(), verified.trusted_comment.end());
    if (crypto_sign_verify_detached(global_signature->data(), global.data(), global.size(),
                                    key.key.data()) != 0)
        return fail(ExitCode::said_no, "{}: the trusted comment's signature does not match", where);
    return verified;
}

}  // namespace launchkit::sign

// minisign's formats through libsodium: round trips, every tampering refused with its reason, and
// Debian's own `minisign` verifying what launchkit signs and signing what launchkit verifies.
#include <catch2/catch.hpp>

#include <string>

#include "sign/minisign.h"
#include "support/temp_dir.h"
#include "util/file_io.h"
#include "util/process.h"

using namespace launchkit::sign;
using launchkit::ExitCode;
using launchkit::testing::TempDir;

namespace {

std::string flipped(std::string text, size_t at) {
    text[at] = static_cast<char>(text[at] ^ 0x01);
    return text;
}

launchkit::util::ProcessResult run(std::vector<std::string> argv) {
    auto result = launchkit::util::run_process({.argv = std::move(argv)});
    REQUIRE(result);
    return *result;
}

}  // namespace

TEST_CASE("a minisign signature verifies, and any change to what it covers is refused",
          "[sign][minisign]") {
    auto pair = generate_key_pair();
    std::string message = "launchkit 1.4.0 artifacts\n";
    auto signature = sign_message(pair.secret_key, message, "launchkit 1.4.0 release");
    REQUIRE(signature);
    auto verified = verify_message(pair.public_key, message, *signature, "SHA256SUMS.minisig");
    REQUIRE(verified);
    CHECK(verified->trusted_comment == "launchkit 1.4.0 release");
    CHECK(verified->key_id == pair.public_key.key_id);

    auto tampered = verify_message(pair.public_key, flipped(message, 3), *signature, "s.minisig");
    REQUIRE_FALSE(tampered);
    CHECK(tampered.error().code == ExitCode::said_no);
    CHECK_THAT(tampered.error().message, Catch::Contains("does not match the signed file"));

    // The trusted comment is signed too.
    auto comment_at = signature->find("\ntrusted comment: ") + 21;
    auto edited = verify_message(pair.public_key, message, flipped(*signature, comment_at), "s");
    REQUIRE_FALSE(edited);
    CHECK_THAT(edited.error().message, Catch::Contains("trusted comment's signature"));

    auto other = generate_key_pair();
    auto wrong_key = verify_message(other.public_key, message, *signature, "s");
    REQUIRE_FALSE(wrong_key);
    CHECK_THAT(wrong_key.error().message,
               Catch::Contains("signed by key " + key_id_text(pair.public_key.key_id)));

    auto garbage = verify_message(pair.public_key, message, "not a signature\n", "s");
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().code == ExitCode::invalid_input);
    CHECK_FALSE(sign_message(pair.secret_key, message, "two\nlines"));
}

TEST_CASE("minisign key files: public, unencrypted and scrypt-encrypted secret keys",
          "[sign][minisign]") {
    auto pair = generate_key_pair();
    auto public_text = public_key_file(pair.public_key);
    CHECK_THAT(public_text, Catch::StartsWith("untrusted comment: minisign public key " +
                                              key_id_text(pair.public_key.key_id) + "\n"));
    auto public_key = read_public_key(public_text, "key.pub");
    REQUIRE(public_key);
    CHECK(public_key->key == pair.public_key.key);
    CHECK(read_public_key(public_text.substr(public_text.find('\n') + 1), "-P"));  // base64 alone
    CHECK_FALSE(read_public_key("untrusted comment: x\nAAAA\n", "key.pub"));
    // Found by the signature fuzzer: an empty base64 line reached libsodium with no buffer.
    CHECK_FALSE(read_public_key("", "key.pub"));
    CHECK_FALSE(read_public_key("untrusted comment: x\n\n", "key.pub"));
    CHECK_FALSE(verify_message(pair.public_key, "m",
                               "untrusted comment: a\n\ntrusted comment: b\n\n", "s"));

    auto plain = secret_key_file(pair.secret_key, std::nullopt);
    REQUIRE(plain);
    CHECK_FALSE(secret_key_is_encrypted(*plain));
    auto read_plain = read_secret_key(*plain, std::nullopt, "key");
    REQUIRE(read_plain);
    CHECK(read_plain->key == pair.secret_key.key);

    // Encrypted, with scrypt limits kept small for the test (the format stores them).
    auto sealed = secret_key_file(pair.secret_key, std::string("correct horse"), 524288, 16777216);
    REQUIRE(sealed);
    CHECK(secret_key_is_encrypted(*sealed));
    auto opened = read_secret_key(*sealed, std::string("correct horse"), "key");
    REQUIRE(opened);
    CHECK(opened->key == pair.secret_key.key);
    CHECK(opened->public_key().key == pair.public_key.key);
    auto wrong = read_secret_key(*sealed, std::string("battery staple"), "key");
    REQUIRE_FALSE(wrong);
    CHECK_THAT(wrong.error().message, Catch::Contains("wrong password"));
    auto missing = read_secret_key(*sealed, std::nullopt, "key");
    REQUIRE_FALSE(missing);
    CHECK_THAT(missing.error().message, Catch::Contains("the key is encrypted"));
    // A damaged unencrypted key fails its checksum.
    auto line = plain->find('\n') + 1;
    auto damaged = read_secret_key(flipped(*plain, line + 100), std::nullopt, "key");
    REQUIRE_FALSE(damaged);
}

TEST_CASE("Debian's minisign verifies launchkit's signatures, and launchkit verifies minisign's",
          "[sign][minisign]") {
    TempDir dir;
    auto artifact = dir.write("release.tar", std::string(100000, 'x') + "end");

    // launchkit signs; minisign -V checks it.
    auto pair = generate_key_pair();
    auto public_file = dir.write("launchkit.pub", public_key_file(pair.public_key));
    auto signature =
        sign_message(pair.secret_key, *launchkit::util::read_file(artifact), "launchkit 2.0.0");
    REQUIRE(signature);
    dir.write("release.tar.minisig", *signature);
    auto checked = run({"minisign", "-V", "-p", public_file.string(), "-m", artifact.string()});
    INFO(checked.stdout_text << checked.stderr_text);
    CHECK(checked.exit_code == 0);
    CHECK_THAT(checked.stdout_text, Catch::Contains("Trusted comment: launchkit 2.0.0"));
    dir.write("release.tar.minisig", flipped(*signature, signature->find('\n') + 20));
    CHECK(run({"minisign", "-V", "-p", public_file.string(), "-m", artifact.string()}).exit_code !=
          0);

    // minisign makes an (unencrypted) key pair and signs; launchkit reads both and verifies.
    auto their_public = dir.path() / "minisign.pub";
    auto their_secret = dir.path() / "minisign.key";
    auto generated =
        run({"minisign", "-G", "-W", "-p", their_public.string(), "-s", their_secret.string()});
    INFO(generated.stderr_text);
    REQUIRE(generated.exit_code == 0);
    auto signed_by_them = run({"minisign", "-S", "-s", their_secret.string(), "-m",
                               artifact.string(), "-t", "signed by minisign"});
    INFO(signed_by_them.stderr_text);
    REQUIRE(signed_by_them.exit_code == 0);
    auto key = read_public_key(*launchkit::util::read_file(their_public), "minisign.pub");
    REQUIRE(key);
    auto verified = verify_message(*key, *launchkit::util::read_file(artifact),
                                   *launchkit::util::read_file(dir.path() / "release.tar.minisig"),
                                   "release.tar.minisig");
    INFO((verified ? "" : verified.error().message));
    REQUIRE(verified);
    CHECK(verified->trusted_comment == "signed by minisign");
    // Their secret key signs in launchkit too, and minisign verifies that.
    auto their_key =
        read_secret_key(*launchkit::util::read_file(their_secret), std::nullopt, "minisign.key");
    REQUIRE(their_key);
    auto again = sign_message(*their_key, *launchkit::util::read_file(artifact), "re-signed");
    REQUIRE(again);
    dir.write("release.tar.minisig", *again);
    CHECK(run({"minisign", "-V", "-p", their_public.string(), "-m", artifact.string()}).exit_code ==
          0);
}

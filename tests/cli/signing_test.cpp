// `release-manager keygen`, `sign` and `verify` as release engineers run them, checked against
// `sha256sum -c` and Debian's `minisign`; every tampering refused, naming what is wrong.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/state_fixture.h"
#include "util/file_io.h"

using launchkit::testing::StateFixture;

namespace {

constexpr const char* password = "a long signing passphrase";

void append(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::app) << text;
}

}  // namespace

TEST_CASE_METHOD(StateFixture, "sign and verify release artifacts, sha256sum and minisign agree",
                 "[cli][sign]") {
    auto dist = state.path() / "dist";
    state.write("dist/app-1.4.0.tar.gz", std::string(300000, 'a'));
    state.write("dist/app-1.4.0.sbom.json", "{\"components\": []}\n");
    auto keygen = run_in(state.path(), "release-manager", {"keygen", "-o", "ci", "--unencrypted"});
    INFO(keygen.stderr_text);
    REQUIRE(keygen.exit_code == 0);
    CHECK((std::filesystem::status(state.path() / "ci.key").permissions() &
           std::filesystem::perms::group_read) == std::filesystem::perms::none);
    auto sign =
        run_in(state.path(), "release-manager",
               {"sign", "dist/app-1.4.0.tar.gz", "dist/app-1.4.0.sbom.json", "--key", "ci.key",
                "-o", "dist/SHA256SUMS", "--trusted-comment", "app 1.4.0", "--json"});
    INFO(sign.stderr_text);
    REQUIRE(sign.exit_code == 0);
    auto signed_view = nlohmann::json::parse(sign.stdout_text);
    CHECK(signed_view["files"] == 2);

    CHECK(launchkit::testing::run_program({"sha256sum", "-c", "SHA256SUMS"}, dist).exit_code == 0);
    auto minisign = launchkit::testing::run_program(
        {"minisign", "-V", "-p", "../ci.pub", "-m", "SHA256SUMS"}, dist);
    INFO(minisign.stderr_text);
    CHECK(minisign.exit_code == 0);
    CHECK_THAT(minisign.stdout_text, Catch::Contains("Trusted comment: app 1.4.0"));

    auto verify =
        run_json("release-manager", {"verify", (dist / "SHA256SUMS").string(), "--pubkey-file",
                                     (state.path() / "ci.pub").string()});
    CHECK(verify["verified"] == true);
    CHECK(verify["trusted_comment"] == "app 1.4.0");
    CHECK(verify["key_id"] == signed_view["key_id"]);
    // The base64 line alone, as minisign -P takes it.
    auto pub = *launchkit::util::read_file(state.path() / "ci.pub");
    auto line = pub.substr(pub.find('\n') + 1);
    line.pop_back();
    CHECK(run_in(dist, "release-manager", {"verify", "--pubkey", line}).exit_code == 0);

    SECTION("a changed artifact is named") {
        append(dist / "app-1.4.0.sbom.json", " ");
        auto bad = run_in(dist, "release-manager", {"verify", "--pubkey", line});
        CHECK(bad.exit_code == 1);
        CHECK_THAT(bad.stderr_text,
                   Catch::Contains("app-1.4.0.sbom.json: its SHA-256 is not the one"));
    }
    SECTION("a changed checksums file breaks the signature") {
        auto sums = *launchkit::util::read_file(dist / "SHA256SUMS");
        sums[3] = sums[3] == 'a' ? 'b' : 'a';
        std::ofstream(dist / "SHA256SUMS") << sums;
        auto bad = run_in(dist, "release-manager", {"verify", "--pubkey", line});
        CHECK(bad.exit_code == 1);
        CHECK_THAT(bad.stderr_text, Catch::Contains("does not match the signed file"));
    }
    SECTION("another key is refused by its id") {
        REQUIRE(run_in(state.path(), "release-manager", {"keygen", "-o", "other", "--unencrypted"})
                    .exit_code == 0);
        auto bad = run_in(dist, "release-manager", {"verify", "--pubkey-file", "../other.pub"});
        CHECK(bad.exit_code == 1);
        CHECK_THAT(bad.stderr_text, Catch::Contains("not by the given key"));
    }
    SECTION("a missing artifact is unreadable, exit 3") {
        std::filesystem::remove(dist / "app-1.4.0.tar.gz");
        CHECK(run_in(dist, "release-manager", {"verify", "--pubkey", line}).exit_code == 3);
    }
}

TEST_CASE_METHOD(StateFixture,
                 "minisign's signatures verify, and encrypted keys need their password",
                 "[cli][sign]") {
    state.write("app.tar", "release bytes\n");
    state.write("SHA256SUMS", "");
    // minisign signs a checksums file sha256sum wrote; release-manager verifies it.
    auto sums = launchkit::testing::run_program({"sha256sum", "app.tar"}, state.path());
    std::ofstream(state.path() / "SHA256SUMS") << sums.stdout_text;
    REQUIRE(launchkit::testing::run_program({"minisign", "-G", "-W", "-p", "m.pub", "-s", "m.key"},
                                            state.path())
                .exit_code == 0);
    REQUIRE(launchkit::testing::run_program(
                {"minisign", "-S", "-s", "m.key", "-m", "SHA256SUMS", "-t", "by minisign"},
                state.path())
                .exit_code == 0);
    auto verify = run_in(state.path(), "release-manager", {"verify", "--pubkey-file", "m.pub"});
    INFO(verify.stderr_text);
    CHECK(verify.exit_code == 0);
    CHECK_THAT(verify.stdout_text, Catch::Contains("by minisign"));

    // An encrypted key: made with the password from the environment, used with it from a file.
    auto no_password = run_in(state.path(), "release-manager", {"keygen", "-o", "release"});
    CHECK(no_password.exit_code == 2);
    CHECK_THAT(no_password.stderr_text, Catch::Contains("LAUNCHKIT_SIGNING_PASSWORD"));
    auto keygen = run_in(state.path(), "release-manager", {"keygen", "-o", "release"},
                         {{"LAUNCHKIT_SIGNING_PASSWORD", password}});
    REQUIRE(keygen.exit_code == 0);
    CHECK(run_in(state.path(), "release-manager", {"keygen", "-o", "release", "--unencrypted"})
              .exit_code == 2);  // exists
    auto locked = run_in(state.path(), "release-manager",
                         {"sign", "app.tar", "--key", "release.key", "-o", "OWN_SUMS"});
    CHECK(locked.exit_code == 2);
    CHECK_THAT(locked.stderr_text, Catch::Contains("the key is encrypted"));
    state.write("wrong-password", "not it\n");
    auto wrong = run_in(state.path(), "release-manager",
                        {"sign", "app.tar", "--key", "release.key", "-o", "OWN_SUMS",
                         "--password-file", "wrong-password"});
    CHECK(wrong.exit_code == 2);
    CHECK_THAT(wrong.stderr_text, Catch::Contains("wrong password"));
    state.write("password", std::string(password) + "\n");
    auto made = run_in(state.path(), "release-manager",
                       {"sign", "app.tar", "--key", "release.key", "-o", "OWN_SUMS",
                        "--password-file", "password"});
    INFO(made.stderr_text);
    CHECK(made.exit_code == 0);
    for (const auto& output :
         {keygen.stdout_text + keygen.stderr_text, made.stdout_text + made.stderr_text})
        CHECK(output.find(password) == std::string::npos);
    CHECK(launchkit::testing::run_program({"minisign", "-V", "-p", "release.pub", "-m", "OWN_SUMS"},
                                          state.path())
              .exit_code == 0);
}

TEST_CASE_METHOD(StateFixture,
                 "attest and attest verify: the Mycelia Rollback Procedures' proof of reserves",
                 "[cli][sign][attest]") {
    state.write("release/mainnet/por.json", "{\"reserves\": 21000000}\n");
    state.write("predicate.json", "{\"auditor\": \"example\"}");
    REQUIRE(
        run_in(state.path(), "release-manager", {"keygen", "-o", "k", "--unencrypted"}).exit_code ==
        0);
    auto made = run_in(state.path(), "release-manager",
                       {"attest", "release/mainnet/por.json", "--predicate-type",
                        "https://mycelia.example/proof-of-reserves/v1", "--predicate",
                        "predicate.json", "--key", "k.key", "-o", "por.dsse.json", "--json"});
    INFO(made.stderr_text);
    REQUIRE(made.exit_code == 0);
    auto verify = [&](std::vector<std::string> extra) {
        std::vector<std::string> arguments = {"attest", "verify", "por.dsse.json", "--pubkey-file",
                                              "k.pub"};
        arguments.insert(arguments.end(), extra.begin(), extra.end());
        return run_in(state.path(), "release-manager", arguments);
    };
    auto good = verify({"--artifact", "release/mainnet/por.json", "--predicate-type",
                        "https://mycelia.example/proof-of-reserves/v1", "--json"});
    INFO(good.stderr_text);
    REQUIRE(good.exit_code == 0);
    auto view = nlohmann::json::parse(good.stdout_text);
    CHECK(view["predicate"]["auditor"] == "example");
    CHECK(view["subjects"][0]["name"] == "por.json");
    CHECK(verify({"--predicate-type", "https://other/v1"}).exit_code == 1);
    append(state.path() / "release/mainnet/por.json", " ");
    auto changed = verify({"--artifact", "release/mainnet/por.json"});
    CHECK(changed.exit_code == 1);
    CHECK_THAT(changed.stderr_text, Catch::Contains("por.json: its SHA-256 is not a subject"));
    CHECK(
        run_in(state.path(), "release-manager", {"attest", "release/mainnet/por.json"}).exit_code ==
        2);
}

TEST_CASE_METHOD(StateFixture, "keys, signatures, checksums and envelopes are read within limits",
                 "[cli][sign]") {
    REQUIRE(
        run_in(state.path(), "release-manager", {"keygen", "-o", "k", "--unencrypted"}).exit_code ==
        0);
    // An endless source (a mistyped path to a device, a FIFO) is refused, not read into memory.
    auto endless_key =
        run_in(state.path(), "release-manager", {"verify", "--pubkey-file", "/dev/zero"});
    CHECK(endless_key.exit_code == 2);
    CHECK_THAT(endless_key.stderr_text,
               Catch::Contains("--pubkey-file '/dev/zero': larger than 64.0 KiB"));
    auto endless_secret =
        run_in(state.path(), "release-manager", {"sign", "k.pub", "--key", "/dev/zero"});
    CHECK(endless_secret.exit_code == 2);
    CHECK_THAT(endless_secret.stderr_text, Catch::Contains("--key '/dev/zero'"));
    auto endless_envelope = run_in(state.path(), "release-manager",
                                   {"attest", "verify", "/dev/zero", "--pubkey-file", "k.pub"});
    CHECK(endless_envelope.exit_code == 2);
    CHECK_THAT(endless_envelope.stderr_text, Catch::Contains("envelope '/dev/zero': larger than"));
    state.write("SHA256SUMS", std::string(17 * 1024 * 1024, 'a'));
    auto huge_sums = run_in(state.path(), "release-manager", {"verify", "--pubkey-file", "k.pub"});
    CHECK(huge_sums.exit_code == 2);
    CHECK_THAT(huge_sums.stderr_text,
               Catch::Contains("checksums file 'SHA256SUMS': larger than 16.0 MiB"));
}

// `release-manager attest` and `attest verify` against securesystemslib (Debian's
// python3-securesystemslib, the library in-toto's tools sign with): each verifies what the other
// signed, and a changed payload or another key is refused by both.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/state_fixture.h"
#include "util/file_io.h"
#include "util/sha256.h"

using launchkit::testing::StateFixture;

namespace {

// Debian's python3-* packages belong to /usr/bin/python3, not to whichever python3 is first on
// PATH.
launchkit::util::ProcessResult securesystemslib(std::vector<std::string> arguments,
                                                const std::filesystem::path& directory) {
    arguments.insert(arguments.begin(),
                     {"/usr/bin/python3",
                      std::string(LAUNCHKIT_SOURCE_DIR) + "/tests/sign/dsse_securesystemslib.py"});
    return launchkit::testing::run_program(std::move(arguments), directory);
}

}  // namespace

TEST_CASE_METHOD(StateFixture, "DSSE envelopes verify across launchkit and securesystemslib",
                 "[cli][sign][attest]") {
    state.write("release/mainnet/por.json", "{\"reserves_btc\": 2100}\n");
    auto por = state.path() / "release/mainnet/por.json";
    REQUIRE(
        run_in(state.path(), "release-manager", {"keygen", "-o", "k", "--unencrypted"}).exit_code ==
        0);

    // launchkit signs, securesystemslib verifies.
    REQUIRE(run_in(state.path(), "release-manager",
                   {"attest", por.string(), "--predicate-type",
                    "https://mycelia.example/attestations/proof-of-reserves/v1", "--key", "k.key",
                    "-o", "por.dsse.json"})
                .exit_code == 0);
    auto checked = securesystemslib({"verify", "por.dsse.json", "k.pub"}, state.path());
    INFO(checked.stderr_text);
    REQUIRE(checked.exit_code == 0);
    auto view = nlohmann::json::parse(checked.stdout_text);
    CHECK(view["predicateType"] == "https://mycelia.example/attestations/proof-of-reserves/v1");
    CHECK(view["subjects"][0]["digest"]["sha256"] ==
          launchkit::util::sha256_hex(*launchkit::util::read_file(por)));
    // A payload changed after signing fails there too.
    auto envelope =
        nlohmann::json::parse(*launchkit::util::read_file(state.path() / "por.dsse.json"));
    // One base64 letter of the payload changed: other bytes than those signed.
    auto changed = envelope;
    auto payload = envelope["payload"].get<std::string>();
    payload[payload.size() / 2] = payload[payload.size() / 2] == 'A' ? 'B' : 'A';
    changed["payload"] = payload;
    state.write("changed.dsse.json", changed.dump());
    CHECK(securesystemslib({"verify", "changed.dsse.json", "k.pub"}, state.path()).exit_code == 1);

    // securesystemslib signs a statement about por.json, launchkit verifies.
    nlohmann::json statement = {
        {"_type", "https://in-toto.io/Statement/v1"},
        {"subject",
         {{{"name", "por.json"},
           {"digest",
            {{"sha256", launchkit::util::sha256_hex(*launchkit::util::read_file(por))}}}}}},
        {"predicateType", "https://slsa.dev/provenance/v1"},
        {"predicate", {{"builder", {{"id", "securesystemslib"}}}}}};
    state.write("statement.json", statement.dump());
    REQUIRE(
        securesystemslib({"sign", "statement.json", "theirs.dsse.json", "theirs.pub"}, state.path())
            .exit_code == 0);
    auto verify = [&](const std::string& envelope_file, const std::string& key) {
        return run_in(state.path(), "release-manager",
                      {"attest", "verify", envelope_file, "--pubkey-file", key, "--artifact",
                       por.string(), "--predicate-type", "https://slsa.dev/provenance/v1"});
    };
    auto theirs = verify("theirs.dsse.json", "theirs.pub");
    INFO(theirs.stderr_text);
    CHECK(theirs.exit_code == 0);
    auto wrong_key = verify("theirs.dsse.json", "k.pub");
    CHECK(wrong_key.exit_code == 1);
    CHECK_THAT(wrong_key.stderr_text, Catch::Contains("no signature by key"));
    // The statement does not name an artifact it was not about.
    state.write("other.bin", "another artifact\n");
    auto unlisted = run_in(state.path(), "release-manager",
                           {"attest", "verify", "theirs.dsse.json", "--pubkey-file", "theirs.pub",
                            "--artifact", "other.bin"});
    CHECK(unlisted.exit_code == 1);
    CHECK_THAT(unlisted.stderr_text, Catch::Contains("other.bin: its SHA-256 is not a subject"));
}

// Signed releases end to end: `create --sign` records the signature in the ledger, an environment
// with `require_signed` deploys only what verifies, and a playbook's `verify:` step stops a
// tampered artifact before anything changes.
#include <catch2/catch.hpp>

#include <fstream>

#include <nlohmann/json.hpp>

#include "store/file_store.h"
#include "support/release_fixture.h"
#include "util/file_io.h"

using launchkit::testing::ReleaseFixture;
using launchkit::testing::TempDir;

namespace {

std::vector<nlohmann::json> ledger_of(const TempDir& state) {
    std::vector<nlohmann::json> entries;
    std::ifstream in(state.path() / "releases.jsonl");
    for (std::string line; std::getline(in, line);) entries.push_back(nlohmann::json::parse(line));
    return entries;
}

struct SignedReleaseFixture : ReleaseFixture {
    TempDir files;  // keys, artifacts, the config and the playbook: outside the work tree

    SignedReleaseFixture() {
        repo.commit("feat: first");
        files.write("dist/app.tar.gz", std::string(100000, 'x'));
        files.write("dist/app.sbom.json", "{\"components\": []}\n");
        REQUIRE(release_manager({"keygen", "-o", path("release"), "--unencrypted"}).exit_code == 0);
        files.write("launchkit.yaml",
                    "signing: {public_keys: [release.pub]}\n"
                    "environments:\n"
                    "  staging: {}\n"
                    "  production: {requires: [staging], require_signed: true}\n");
        files.write("ship.yaml",
                    "apiVersion: launchkit/v1\nname: ship\nsteps:\n"
                    "  - {name: go, run: [touch, \"shipped-${version}-${env}\"]}\n");
    }
    std::string path(const std::string& relative) const {
        return (files.path() / relative).string();
    }
    launchkit::util::ProcessResult deploy(const std::string& version, const std::string& env,
                                          std::vector<std::string> extra = {}) {
        std::vector<std::string> arguments{
            "--config", path("launchkit.yaml"), "deploy",         version,
            env,        "--playbook",           path("ship.yaml")};
        arguments.insert(arguments.end(), extra.begin(), extra.end());
        return release_manager(arguments);
    }
    bool shipped(const std::string& version, const std::string& env) const {
        return std::filesystem::exists(files.path() / ("shipped-" + version + "-" + env));
    }
};

}  // namespace

TEST_CASE_METHOD(SignedReleaseFixture,
                 "create --sign signs the artifacts and records the signature in the ledger",
                 "[cli][sign][release]") {
    auto created =
        release_manager({"create", "minor", "--sign", path("dist/app.tar.gz"),
                         path("dist/app.sbom.json"), "--key", path("release.key"), "--json"});
    INFO(created.stderr_text);
    REQUIRE(created.exit_code == 0);
    auto view = nlohmann::json::parse(created.stdout_text);
    CHECK(view["signature"]["files"] == 2);
    CHECK(view["signature"]["checksums"] == path("dist/SHA256SUMS"));
    auto entries = ledger_of(state);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0]["signing_key_id"] == view["signature"]["key_id"]);
    CHECK(entries[0]["checksums"] == path("dist/SHA256SUMS"));
    CHECK(entries[0]["checksums_sha256"] == view["signature"]["checksums_sha256"]);
    // What it wrote is what sha256sum and minisign check; the trusted comment names the release.
    auto dist = files.path() / "dist";
    CHECK(launchkit::testing::run_program({"sha256sum", "-c", "SHA256SUMS"}, dist).exit_code == 0);
    auto minisign = launchkit::testing::run_program(
        {"minisign", "-V", "-p", path("release.pub"), "-m", "SHA256SUMS"}, dist);
    INFO(minisign.stderr_text);
    CHECK(minisign.exit_code == 0);
    CHECK_THAT(minisign.stdout_text, Catch::Contains("release 0.1.0 (v0.1.0), 2 files"));
    CHECK(repo.git({"status", "--porcelain"}).empty());
    auto status = release_manager({"status", "0.1.0"});
    CHECK_THAT(status.stdout_text,
               Catch::Contains("Signed by key " + view["signature"]["key_id"].get<std::string>()));

    SECTION("a key that cannot be used stops the release before anything is written") {
        repo.commit("fix: second");
        auto head = repo.git({"rev-parse", "HEAD"});
        files.write("locked.key", "not a key\n");
        auto refused = release_manager(
            {"create", "patch", "--sign", path("dist/app.tar.gz"), "--key", path("locked.key")});
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.stderr_text, Catch::Contains("locked.key"));
        CHECK(repo.git({"rev-parse", "HEAD"}) == head);
        CHECK(tags() == "v0.1.0\n");
        CHECK(ledger_of(state).size() == 1);
        auto missing = release_manager(
            {"create", "patch", "--sign", path("dist/gone.tar"), "--key", path("release.key")});
        CHECK(missing.exit_code == 3);
        CHECK(repo.git({"rev-parse", "HEAD"}) == head);
        CHECK(release_manager({"create", "patch", "--key", "x.key"}).exit_code == 2);
    }
}

TEST_CASE_METHOD(SignedReleaseFixture,
                 "require_signed: only a release whose signature verifies is deployed",
                 "[cli][sign][playbook]") {
    // 0.1.0 signed, 0.1.1 not.
    REQUIRE(release_manager({"create", "minor", "--sign", path("dist/app.tar.gz"), "--key",
                             path("release.key")})
                .exit_code == 0);
    repo.commit("fix: unsigned");
    REQUIRE(release_manager({"create", "patch"}).exit_code == 0);
    for (const char* version : {"0.1.0", "0.1.1"})
        REQUIRE(deploy(version, "staging").exit_code == 0);

    auto unsigned_release = deploy("0.1.1", "production");
    CHECK(unsigned_release.exit_code == 1);
    CHECK_THAT(unsigned_release.stderr_text,
               Catch::Contains("production requires a signed release") &&
                   Catch::Contains("launchkit.yaml:4") &&
                   Catch::Contains("release 0.1.1 was not signed"));
    CHECK_FALSE(shipped("0.1.1", "production"));  // refused before any step ran

    auto signed_release = deploy("0.1.0", "production");
    INFO(signed_release.stderr_text);
    CHECK(signed_release.exit_code == 0);
    CHECK(shipped("0.1.0", "production"));

    SECTION("a checksums file changed since the release is refused") {
        std::ofstream(files.path() / "dist/SHA256SUMS", std::ios::app) << "\n";
        auto changed = deploy("0.1.0", "production");
        CHECK(changed.exit_code == 1);
        CHECK_THAT(changed.stderr_text, Catch::Contains("does not match the signed file"));
    }
    SECTION("a signature by a key the config does not trust is refused") {
        REQUIRE(release_manager({"keygen", "-o", path("other"), "--unencrypted"}).exit_code == 0);
        files.write("launchkit.yaml",
                    "signing: {public_keys: [other.pub]}\n"
                    "environments:\n"
                    "  staging: {}\n"
                    "  production: {require_signed: true}\n");
        auto other = deploy("0.1.0", "production");
        CHECK(other.exit_code == 1);
        CHECK_THAT(other.stderr_text, Catch::Contains("not by the given key"));
    }
    SECTION("--force --reason deploys it anyway, and the audit log says why") {
        CHECK(deploy("0.1.1", "production", {"--force"}).exit_code == 2);
        auto forced = deploy("0.1.1", "production", {"--force", "--reason", "INC-7 hotfix"});
        INFO(forced.stderr_text);
        CHECK(forced.exit_code == 0);
        CHECK_THAT(forced.stderr_text, Catch::Contains("without a verified signature") &&
                                           Catch::Contains("INC-7 hotfix"));
        launchkit::store::FileStore store(state.path() / "store");
        auto audit = store.audit("audit/forced/");
        REQUIRE(audit);
        REQUIRE(audit->size() == 1);
        CHECK((*audit)[0].note.reason == "INC-7 hotfix");
        CHECK_THAT((*audit)[0].changes[0].new_value["unsigned_release"].get<std::string>(),
                   Catch::Contains("was not signed"));
    }
    SECTION("require_signed without trusted keys is a configuration error") {
        files.write("launchkit.yaml", "environments:\n  production: {require_signed: true}\n");
        auto invalid = deploy("0.1.0", "production");
        CHECK(invalid.exit_code == 2);
        CHECK_THAT(invalid.stderr_text,
                   Catch::Contains("environments.production.require_signed: needs "
                                   "signing.public_keys"));
    }
}

TEST_CASE_METHOD(SignedReleaseFixture,
                 "a verify: step stops a tampered artifact before anything changes",
                 "[cli][sign][playbook]") {
    REQUIRE(release_manager({"sign", path("dist/app.tar.gz"), path("dist/app.sbom.json"), "--key",
                             path("release.key"), "-o", path("dist/SHA256SUMS")})
                .exit_code == 0);
    REQUIRE(release_manager({"attest", path("dist/app.tar.gz"), "--predicate-type",
                             "https://slsa.dev/provenance/v1", "--key", path("release.key"), "-o",
                             path("dist/app.dsse.json")})
                .exit_code == 0);
    files.write("verified.yaml", R"(apiVersion: launchkit/v1
name: verified
steps:
  - name: verify-release
    verify:
      checksums: dist/SHA256SUMS
      attestation: dist/app.dsse.json
      predicate_type: https://slsa.dev/provenance/v1
      artifacts: [dist/app.tar.gz]
  - {name: go, run: [touch, "shipped-${version}-${env}"]}
  - {name: report, run: [echo, "${steps.verify-release.key_id}"]}
)");
    auto deploy_verified = [&](const std::string& version) {
        return release_manager({"--config", path("launchkit.yaml"), "deploy", version, "staging",
                                "--playbook", path("verified.yaml"), "--json"});
    };
    auto good = deploy_verified("1.0.0");
    INFO(good.stderr_text);
    REQUIRE(good.exit_code == 0);
    CHECK(shipped("1.0.0", "staging"));
    auto run = nlohmann::json::parse(good.stdout_text);
    CHECK(run["steps"][0]["outputs"]["files"] == 2);
    CHECK(run["steps"][0]["outputs"]["predicate_type"] == "https://slsa.dev/provenance/v1");

    std::ofstream(files.path() / "dist/app.tar.gz", std::ios::app) << "tampered";
    auto tampered = deploy_verified("1.0.1");
    CHECK(tampered.exit_code == 1);
    auto failed = nlohmann::json::parse(tampered.stdout_text);
    CHECK(failed["failed_step"] == "verify-release");
    CHECK_THAT(failed["reason"].get<std::string>(),
               Catch::Contains("app.tar.gz: its SHA-256 is not the one"));
    CHECK_FALSE(shipped("1.0.1", "staging"));

    // Without a key in the step or the configuration, the run is refused before it starts.
    auto no_key =
        release_manager({"deploy", "1.0.2", "staging", "--playbook", path("verified.yaml")});
    CHECK(no_key.exit_code == 2);
    CHECK_THAT(no_key.stderr_text, Catch::Contains("has no public key"));
}

TEST_CASE_METHOD(SignedReleaseFixture,
                 "the signing password and key never reach output, records or a child's argv",
                 "[cli][sign][release]") {
    const std::string password = "correct horse battery staple 42";
    REQUIRE(launchkit::testing::run_tool("release-manager", {"keygen", "-o", path("locked")},
                                         files.path(), {{"LAUNCHKIT_SIGNING_PASSWORD", password}})
                .exit_code == 0);
    // Every git the release runs goes through a wrapper that records its argv.
    files.write("bin/git",
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$GIT_ARGV_LOG\"\n"
                "exec /usr/bin/git \"$@\"\n");
    std::filesystem::permissions(files.path() / "bin/git", std::filesystem::perms::owner_all);
    auto created =
        launchkit::testing::run_tool("release-manager",
                                     {"create", "minor", "--sign", path("dist/app.tar.gz"), "--key",
                                      path("locked.key"), "--json"},
                                     repo.root(),
                                     {{"LAUNCHKIT_STATE_DIR", state.path().string()},
                                      {"LAUNCHKIT_SIGNING_PASSWORD", password},
                                      {"GIT_ARGV_LOG", path("git-argv.log")},
                                      {"PATH", path("bin") + ":" + std::getenv("PATH")}});
    INFO(created.stderr_text);
    REQUIRE(created.exit_code == 0);
    auto argv_log = *launchkit::util::read_file(files.path() / "git-argv.log");
    CHECK_THAT(argv_log, Catch::Contains("tag"));  // the wrapper did see the release's git calls
    // The secret key's base64 line, as it is on disk.
    auto secret_file = *launchkit::util::read_file(files.path() / "locked.key");
    auto secret_line = secret_file.substr(secret_file.find('\n') + 1, 40);
    std::vector<std::string> seen{created.stdout_text, created.stderr_text, argv_log};
    for (const auto& entry : std::filesystem::recursive_directory_iterator(state.path()))
        if (entry.is_regular_file()) seen.push_back(*launchkit::util::read_file(entry.path()));
    for (const auto& text : seen) {
        CHECK(text.find(password) == std::string::npos);
        CHECK(text.find(secret_line) == std::string::npos);
    }
}

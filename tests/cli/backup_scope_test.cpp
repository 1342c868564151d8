// A rollback restores only its own environment's backups: `latest:TAG` inside a run looks among
// the backups runs in that environment took, and outside a run it needs --env when backups with
// that tag belong to several environments.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

TEST_CASE("a production rollback never restores a staging run's backup", "[cli][backup]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("config/app.conf", "staging settings\n");
    auto take = dir.write("take.yaml", fmt::format(R"(apiVersion: launchkit/v1
name: take
steps:
  - name: backup-config
    backup: {{source: "dir:{}", tag: app-config}}
)",
                                                   (dir.path() / "config").string()));
    auto restore = dir.write("restore.yaml", fmt::format(R"(apiVersion: launchkit/v1
name: restore
steps:
  - name: restore-config
    restore: {{backup: "latest:app-config", to: "{}"}}
)",
                                                         (dir.path() / "restored").string()));
    auto deploy = [&](const std::filesystem::path& playbook, const std::string& environment) {
        return fixture.run("release-manager", {"deploy", "1.0.0", environment, "--playbook",
                                               playbook.string(), "--json"});
    };
    REQUIRE(deploy(take, "staging").exit_code == 0);

    auto refused = deploy(restore, "production");
    INFO(refused.stdout_text << refused.stderr_text);
    CHECK(refused.exit_code == 1);
    auto run = nlohmann::json::parse(refused.stdout_text);
    CHECK(run["steps"][0]["status"] == "failed");
    CHECK_THAT(run["steps"][0]["message"].get<std::string>(),
               Catch::Contains("no backup tagged 'app-config' for production") &&
                   Catch::Contains("there are some of staging"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "restored"));

    // In staging the same playbook finds staging's backup.
    CHECK(deploy(restore, "staging").exit_code == 0);
    CHECK(*launchkit::util::read_file(dir.path() / "restored" / "app.conf") ==
          "staging settings\n");

    // Outside a run, two environments' backups under one tag need --env.
    REQUIRE(deploy(take, "production").exit_code == 0);
    auto ambiguous =
        fixture.run("release-manager", {"backup", "restore", "latest:app-config", "--to",
                                        (dir.path() / "by-hand").string(), "--yes"});
    CHECK(ambiguous.exit_code == 2);
    CHECK_THAT(ambiguous.stderr_text,
               Catch::Contains("belong to more than one environment (production, staging)"));
    auto named = fixture.run(
        "release-manager", {"backup", "restore", "latest:app-config", "--env", "production", "--to",
                            (dir.path() / "by-hand").string(), "--yes"});
    INFO(named.stderr_text);
    CHECK(named.exit_code == 0);
}

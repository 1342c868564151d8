// Black-box tests of the promotion path (environments in launchkit.yaml) and of
// `release-manager stats` over runs recorded by real deploys.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "store/file_store.h"
#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

TEST_CASE("promotion: production requires staging first and an approval, --force is audited",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("launchkit.yaml", R"(environments:
  staging: {}
  production: {requires: [staging], approval: true}
)");
    dir.write("ship.yaml",
              "apiVersion: launchkit/v1\nname: ship\nsteps:\n  - {name: go, run: [true]}\n");
    auto config = (dir.path() / "launchkit.yaml").string();
    auto playbook = (dir.path() / "ship.yaml").string();
    auto deploy = [&](std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), {"--config", config, "deploy"});
        arguments.insert(arguments.end(), {"--playbook", playbook});
        return fixture.run("release-manager", arguments);
    };
    auto refused = deploy({"5.1.0", "production", "--approve", "deploy"});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(
        refused.stderr_text,
        Catch::Contains("5.1.0 has not been deployed to staging yet; production requires it") &&
            Catch::Contains("launchkit.yaml:3"));
    CHECK_FALSE(std::filesystem::exists(fixture.state.path() / "runs"));
    CHECK(deploy({"5.1.0", "staging"}).exit_code == 0);
    auto unapproved = deploy({"5.1.0", "production"});
    CHECK(unapproved.exit_code == 1);
    CHECK_THAT(unapproved.stderr_text,
               Catch::Contains("production needs approval") && Catch::Contains("--approve deploy"));
    CHECK(deploy({"5.1.0", "production", "--approve", "deploy"}).exit_code == 0);

    CHECK(deploy({"5.2.0", "production", "--approve", "deploy", "--force"}).exit_code == 2);
    auto forced = deploy({"5.2.0", "production", "--approve", "deploy", "--force", "--reason",
                          "hotfix for incident 42"});
    CHECK(forced.exit_code == 0);
    CHECK_THAT(forced.stderr_text, Catch::Contains("warning: forcing 5.2.0 into production"));
    auto history = fixture.run_json("release-manager", {"history", "--env", "production"});
    CHECK_THAT(history[0]["note"].get<std::string>(),
               Catch::Contains("forced: hotfix for incident 42"));
    // The store's hash-chained audit log holds the forced promotion with who and why.
    launchkit::store::FileStore store(fixture.store_dir());
    auto audit = store.audit("audit/forced/");
    REQUIRE(audit);
    REQUIRE(audit->size() == 1);
    CHECK((*audit)[0].note.reason == "hotfix for incident 42");
    CHECK((*audit)[0].note.actor == "oncall");
    CHECK((*audit)[0].changes[0].new_value["skipped"] == nlohmann::json{"staging"});
    CHECK(store.verify_audit()->intact);
}

TEST_CASE("stats: success and rollback rates from the runs recorded in the ledger",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("ok.yaml",
              "apiVersion: launchkit/v1\nname: ok\nsteps:\n  - {name: go, run: [true]}\n");
    dir.write("bad.yaml",
              "apiVersion: launchkit/v1\nname: bad\nsteps:\n"
              "  - {name: go, run: [\"false\"], on_failure: rollback}\n");
    auto deploy = [&](const char* version, const char* file) {
        return fixture.run("release-manager", {"deploy", version, "production", "--playbook",
                                               (dir.path() / file).string()});
    };
    CHECK(deploy("1.0.0", "ok.yaml").exit_code == 0);
    CHECK(deploy("1.1.0", "bad.yaml").exit_code == 1);
    CHECK(deploy("1.1.1", "ok.yaml").exit_code == 0);
    auto stats = fixture.run_json("release-manager", {"stats", "--env", "production"});
    CHECK(stats["runs"] == 3);
    CHECK(stats["succeeded"] == 2);
    CHECK(stats["rolled_back"] == 1);
    CHECK(stats["success_rate"].get<double>() == Approx(2.0 / 3));
    CHECK(stats["rollback_rate"].get<double>() == Approx(1.0 / 3));
    CHECK(stats["mean_time_to_deploy_seconds"].is_number());
    CHECK(stats["mean_time_to_restore_seconds"].is_number());
    auto status = fixture.run("release-manager", {"status", "1.1.1", "--env", "production"});
    CHECK(status.exit_code == 0);
    auto table = fixture.run("release-manager", {"stats"});
    CHECK_THAT(table.stdout_text, Catch::Contains("deployment success rate") &&
                                      Catch::Contains("66.7%") && Catch::Contains("2 of 3 runs"));
    // The same metrics week by week, each against its target, as a page.
    auto page = (dir.path() / "stats.html").string();
    auto html_run = fixture.run("release-manager", {"stats", "--since", "28d", "--html", page});
    INFO(html_run.stderr_text);
    REQUIRE(html_run.exit_code == 0);
    auto html = *launchkit::util::read_file(page);
    CHECK_THAT(html, Catch::Contains("4 weeks to") && Catch::Contains("3 runs, 2 deployments"));
    for (const char* fetched : {"<script", "src=", "href=\"http", "url(", "@import"})
        CHECK(html.find(fetched) == std::string::npos);
    size_t charts = 0;
    for (auto at = html.find("<svg class=\"chart stats-chart\""); at != std::string::npos;
         at = html.find("<svg class=\"chart stats-chart\"", at + 1))
        ++charts;
    CHECK(charts == 5);
    CHECK_THAT(html,
               Catch::Contains("target &lt; 5%") && Catch::Contains("Over the window: 33.3%"));
}

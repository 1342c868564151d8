// `release-manager store migrate` and `store verify` through the real executable and a real etcd:
// a state directory's flags, controls, audit chain, ledger and runs arrive whole and verify there;
// an occupied prefix or a damaged local chain is refused before anything is written.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/etcd_server.h"
#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::Environment;
using launchkit::testing::EtcdCluster;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

namespace {

std::string fresh_url() {
    return EtcdCluster::shared().store_url(EtcdCluster::unique_prefix("migrate"));
}

// A state directory with history: flags, a paused control and one deploy (journal and ledger).
void give_history(const StateFixture& fixture, const TempDir& dir) {
    REQUIRE(fixture.flags({"create", "checkout-v2"}).exit_code == 0);
    REQUIRE(fixture.flags({"enable", "checkout-v2", "--reason", "launch"}).exit_code == 0);
    REQUIRE(fixture.launchctl({"pause", "redemption", "--reason", "incident"}).exit_code == 0);
    dir.write("playbook.yaml",
              "apiVersion: launchkit/v1\nname: noop\nsteps:\n"
              "  - name: flag-on\n    flag: {name: checkout-v2, state: "
              "enabled}\n");
    auto deployed = fixture.run("release-manager", {"deploy", "1.0.0", "qa", "--playbook",
                                                    (dir.path() / "playbook.yaml").string()});
    INFO(deployed.stderr_text);
    REQUIRE(deployed.exit_code == 0);
}

}  // namespace

TEST_CASE("store migrate copies a state directory into etcd, history and chain included",
          "[cli][etcd]") {
    StateFixture local;
    TempDir dir;
    give_history(local, dir);
    auto url = fresh_url();
    Environment shared{{"LAUNCHKIT_STORE", url}};

    auto copied = local.run_json("release-manager", {"store", "migrate", "--to", url});
    CHECK(copied["records"] == 4);  // create, enable, pause, the deploy's flag step
    CHECK(copied["ledger_entries"] == 1);
    CHECK(copied["runs"] == 1);

    StateFixture other_machine;
    auto verified = other_machine.run_json("release-manager", {"store", "verify"}, shared);
    CHECK(verified["intact"] == true);
    CHECK(verified["records"] == 4);
    CHECK(other_machine.flags({"get", "checkout-v2", "--env", "qa"}, shared).exit_code == 0);
    CHECK(other_machine.flags({"get", "checkout-v2"}, shared).exit_code == 0);
    CHECK(other_machine.launchctl({"status", "redemption"}, shared).exit_code == 1);
    auto history = other_machine.run_json("feature-flags", {"history", "checkout-v2"}, shared);
    CHECK(history["history"].size() == 3);
    auto ledger = other_machine.run_json("release-manager", {"history", "--env", "qa"}, shared);
    REQUIRE(ledger.size() == 1);
    CHECK(ledger[0]["version"] == "1.0.0");
    auto runs = other_machine.run_json("release-manager", {"runs"}, shared);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0]["status"] == "succeeded");
    // Work goes on from the copy: the next commit extends the copied chain.
    REQUIRE(other_machine.flags({"disable", "checkout-v2"}, shared).exit_code == 0);
    CHECK(other_machine.run_json("release-manager", {"store", "verify"}, shared)["records"] == 5);

    // An occupied prefix is refused unless --force, which replaces it.
    auto again = local.run("release-manager", {"store", "migrate", "--to", url});
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.stderr_text, Catch::Contains("--force replaces them"));
    CHECK(local.run_json("release-manager",
                         {"store", "migrate", "--to", url, "--force"})["records"] == 4);
    CHECK(other_machine.run_json("release-manager", {"store", "verify"}, shared)["records"] == 4);
}

TEST_CASE("store migrate refuses a damaged local chain and writes nothing", "[cli][etcd]") {
    StateFixture local;
    TempDir dir;
    give_history(local, dir);
    auto log = local.store_dir() / "audit.jsonl";
    auto text = *launchkit::util::read_file(log);
    auto at = text.find("launch");
    REQUIRE(at != std::string::npos);
    text.replace(at, 6, "LAUNCH");
    launchkit::util::write_file_atomically(log, text);

    auto damaged = local.run("release-manager", {"store", "verify"});
    CHECK(damaged.exit_code == 1);
    auto url = fresh_url();
    auto refused = local.run("release-manager", {"store", "migrate", "--to", url});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.stderr_text, Catch::Contains("audit chain is damaged"));
    StateFixture other_machine;
    auto empty =
        other_machine.run_json("release-manager", {"store", "verify"}, {{"LAUNCHKIT_STORE", url}});
    CHECK(empty["records"] == 0);
}

// A process killed in the middle of appending to the release ledger or a run journal (half a
// line on disk, as kill -9 or a power cut leaves it): every reader still works, and the next
// writer starts a clean line.
#include <catch2/catch.hpp>

#include <csignal>

#include <nlohmann/json.hpp>

#include "playbook/run_journal.h"
#include "support/state_fixture.h"
#include "util/file_io.h"

using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

namespace {

constexpr const char* three_steps = R"(apiVersion: launchkit/v1
name: three
steps:
  - {name: one, run: ["true"]}
  - {name: two, run: ["true"]}
  - {name: three, run: ["true"]}
)";

}  // namespace

TEST_CASE("a ledger append torn by a kill is skipped, and cut by the next writer",
          "[cli][durability]") {
    StateFixture fixture;
    TempDir dir;
    auto playbook = dir.write("three.yaml", three_steps);
    auto killed = fixture.run("release-manager",
                              {"deploy", "1.0.0", "staging", "--playbook", playbook.string()},
                              {{"LAUNCHKIT_TEST_CRASH_AT", "append-torn:releases.jsonl"}});
    REQUIRE(killed.signal == SIGKILL);
    auto ledger = fixture.state.path() / "releases.jsonl";
    auto torn = launchkit::util::read_file(ledger).value();
    REQUIRE_FALSE(torn.ends_with("\n"));  // half a line is on disk

    auto history = fixture.run("release-manager", {"history", "--json"});
    INFO(history.stderr_text);
    CHECK(history.exit_code == 0);
    CHECK(nlohmann::json::parse(history.stdout_text).empty());

    auto again = fixture.run("release-manager",
                             {"deploy", "1.0.1", "staging", "--playbook", playbook.string()});
    INFO(again.stderr_text);
    REQUIRE(again.exit_code == 0);
    auto entries =
        nlohmann::json::parse(fixture.run("release-manager", {"history", "--json"}).stdout_text);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0]["version"] == "1.0.1");
    auto text = launchkit::util::read_file(ledger).value();
    CHECK(text.find(torn) == std::string::npos);  // the torn half was cut, not kept mid-file
}

TEST_CASE("a run killed mid-way through a journal append is read and resumed",
          "[cli][durability]") {
    StateFixture fixture;
    TempDir dir;
    auto playbook = dir.write("three.yaml", three_steps);
    // The journal's fourth append: after run_started, step one's start and finish.
    auto killed = fixture.run("release-manager",
                              {"deploy", "1.0.0", "staging", "--playbook", playbook.string()},
                              {{"LAUNCHKIT_TEST_CRASH_AT", "append-torn:runs#4"}});
    REQUIRE(killed.signal == SIGKILL);
    auto runs =
        nlohmann::json::parse(fixture.run("release-manager", {"runs", "--json"}).stdout_text);
    REQUIRE(runs.size() == 1);
    auto run_id = runs[0]["run_id"].get<std::string>();
    CHECK(runs[0]["status"] == "running");

    auto resumed = fixture.run("release-manager", {"resume", run_id, "--json"});
    INFO(resumed.stderr_text);
    REQUIRE(resumed.exit_code == 0);
    auto run = nlohmann::json::parse(resumed.stdout_text);
    CHECK(run["status"] == "succeeded");
    auto replayed = fixture.run("release-manager", {"runs", run_id, "--json"});
    CHECK(replayed.exit_code == 0);
    CHECK(nlohmann::json::parse(replayed.stdout_text)["status"] == "succeeded");
}

// Found by the [long] random-kill test: a deploy killed while writing its journal's first event
// left a journal with no whole event, and every later deploy and rollback of the environment
// stopped at it ("does not begin with a run_started event").
TEST_CASE("a run killed before its first event is passed over, not a wall", "[cli][durability]") {
    StateFixture fixture;
    TempDir dir;
    auto playbook = dir.write("three.yaml", three_steps);
    auto killed = fixture.run("release-manager",
                              {"deploy", "1.0.0", "staging", "--playbook", playbook.string()},
                              {{"LAUNCHKIT_TEST_CRASH_AT", "append-torn:runs#1"}});
    REQUIRE(killed.signal == SIGKILL);
    auto ids = launchkit::playbook::list_run_ids(fixture.state.path());
    REQUIRE(ids.size() == 1);
    CHECK(fixture.run("release-manager", {"runs", "--json"}).stdout_text == "[]\n");
    auto shown = fixture.run("release-manager", {"runs", ids[0]});
    CHECK(shown.exit_code == 3);
    CHECK_THAT(shown.stderr_text, Catch::Contains("never started"));
    CHECK(fixture.run("release-manager", {"doctor"}).exit_code == 0);
    auto deployed = fixture.run("release-manager",
                                {"deploy", "1.0.1", "staging", "--playbook", playbook.string()});
    INFO(deployed.stderr_text);
    CHECK(deployed.exit_code == 0);
    CHECK(fixture.run("release-manager", {"rollback", "staging"}).exit_code == 0);
}

// Run events and replay: every event survives its journal line, journals of the code before typed
// events still read, and the runner's own state always equals the one replayed from its journal.
#include <catch2/catch.hpp>

#include <sstream>

#include <fmt/format.h>

#include "playbook/playbook_parser.h"
#include "playbook/playbook_runner.h"
#include "playbook/run_journal.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using namespace launchkit::playbook;
using launchkit::Context;
using launchkit::testing::TempDir;

namespace {

std::vector<RunEvent> one_of_each() {
    RunStarted started;
    started.time = "2026-11-29T10:00:00Z";
    started.run_id = "20261129T100000000Z-abcd";
    started.playbook_file = "/srv/playbook.yaml";
    started.playbook_digest = "ab12";
    started.playbook = "api";
    started.version = "1.5.0";
    started.env = "production";
    started.previous_version = "1.4.0";
    started.tag_prefix = "v";
    started.actor = "oncall";
    started.command = "release-manager deploy 1.5.0 production";
    started.strategy = "canary";
    started.initial_traffic = 5;
    started.approvals = {"all"};
    started.vars = {{"service", "api"}};
    started.forced = ForcedPromotion{"hotfix", {"staging"}};
    started.owner_pid = 4242;
    auto at = [](int second) { return fmt::format("2026-11-29T10:00:{:02}Z", second); };
    return {started,
            StepStarted{at(1), "canary", StepPhase::forward, "deploy"},
            TrafficChanged{at(2), "canary", 25, 5},
            GateDecided{at(3), "canary", "canary@25%", "promote", "all rules passed",
                        nlohmann::json{{"verdict", "promote"}}},
            StepProgress{at(4), "canary", StepPhase::forward,
                         nlohmann::json{{"strategy", "canary"}, {"index", 1}, {"weight", 25}}},
            ControlRequested{at(5), RunControl::promote_full, "lead", "looks good"},
            ControlHandled{at(6), RunControl::promote_full, "went to 100%"},
            RunInterrupted{at(7), "SIGTERM", OnInterrupt::pause},
            RunPaused{at(8), "interrupted by SIGTERM", "canary"},
            RunContinued{at(9)},
            StepFinished{at(10), "canary", StepPhase::forward, StepStatus::failed,
                         nlohmann::json{{"weight", 25}},
                         nlohmann::json{{"strategy", "canary"}, {"weight", 25}}, nullptr,
                         "gate said rollback", 1.5},
            RollbackStarted{at(11), "step canary failed", "canary"},
            StepStarted{at(12), "undo:canary", StepPhase::rollback, "deploy"},
            StepFinished{at(13), "undo:canary", StepPhase::rollback, StepStatus::succeeded,
                         nlohmann::json::object(), nullptr, nullptr, "sh exited 0", 0.25},
            RunFinished{at(14), RunStatus::rolled_back, "step canary failed", "canary"}};
}

Context quiet_context(const std::filesystem::path& state_dir, std::ostringstream& sink) {
    Context context;
    context.state_dir = state_dir;
    context.actor = "tester";
    context.out = &sink;
    context.err = &sink;
    return context;
}

// Runs the playbook's run through a PlaybookRunner, then checks that replaying its journal gives
// exactly the state the runner ended with.
RunState run_and_compare(const TempDir& dir, const std::string& yaml) {
    auto path = dir.write("playbook.yaml", yaml);
    auto playbook = parse_playbook(yaml, path);
    REQUIRE(playbook);
    std::ostringstream sink;
    auto context = quiet_context(dir.path() / "state", sink);
    RunJournal journal(context.state_dir, new_run_id());
    RunStarted started;
    started.time = "2026-11-29T10:00:00Z";
    started.run_id = journal.run_id();
    started.playbook_file = path.string();
    started.version = "1.0.0";
    started.env = "qa";
    REQUIRE(journal.append(started));
    RunState state;
    apply(state, started);
    RunOptions options;
    Variables variables{{"run_id", journal.run_id()}, {"env", "qa"}, {"version", "1.0.0"}};
    PlaybookRunner runner(context, *playbook, journal, options, variables, state);
    context.sleep = [](std::chrono::milliseconds) {};
    auto finished = runner.run();
    INFO(sink.str());
    REQUIRE(finished);
    auto replayed = journal.replay();
    REQUIRE(replayed);
    CHECK(*replayed == *finished);
    CHECK(*replayed == runner.state());
    return *finished;
}

}  // namespace

TEST_CASE("every run event survives its journal line", "[playbook][journal]") {
    for (const auto& event : one_of_each()) {
        INFO(to_json(event).dump());
        auto line = to_json(event).dump();
        auto parsed = parse_run_event(nlohmann::json::parse(line), "runs/x.jsonl:1");
        REQUIRE(parsed);
        CHECK(*parsed == event);
        CHECK(event_name(*parsed) == to_json(event)["event"].get<std::string>());
    }
}

TEST_CASE("a journal line that is not a known event is refused naming its file and line",
          "[playbook][journal]") {
    auto where = std::string("runs/x.jsonl:7");
    auto unknown = parse_run_event({{"event", "teleported"}, {"time", "t"}}, where);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message == "runs/x.jsonl:7: unknown event 'teleported'");
    auto wrong_type = parse_run_event(
        {{"event", "traffic_changed"}, {"time", "t"}, {"step", "c"}, {"weight", "25"}}, where);
    REQUIRE_FALSE(wrong_type);
    CHECK(wrong_type.error().message == "runs/x.jsonl:7: field 'weight' expected an integer");
    // 2^32 + 25 is an integer, but not a weight: read as int it wrapped to 25.
    auto wrapped = parse_run_event(
        {{"event", "traffic_changed"}, {"time", "t"}, {"step", "c"}, {"weight", 4294967321LL}},
        where);
    REQUIRE_FALSE(wrapped);
    CHECK(wrapped.error().message == "runs/x.jsonl:7: field 'weight' expected an integer");
    auto no_status = parse_run_event({{"event", "run_finished"}, {"time", "t"}}, where);
    REQUIRE_FALSE(no_status);
    CHECK(no_status.error().message == "runs/x.jsonl:7: field 'status' is missing");

    TempDir dir;
    RunJournal journal(dir.path(), "r1");
    REQUIRE(journal.append(one_of_each().front()));
    launchkit::util::append_durably(journal.location(),
                                    "{\"event\": \"teleported\", \"time\": \"t\"}\n");
    REQUIRE(journal.append(RunContinued{"t2"}));
    auto replayed = journal.replay();
    REQUIRE_FALSE(replayed);
    CHECK(replayed.error().message == journal.location() + ":2: unknown event 'teleported'");
}

TEST_CASE("journals written before typed events replay as they did", "[playbook][journal]") {
    TempDir dir;
    // As the runner wrote them until events were typed: strategy twice, no owner_pid, a torn
    // last line from a kill.
    dir.write(
        "runs/old.jsonl",
        R"({"event":"run_started","time":"2026-11-20T09:00:00Z","run_id":"old","playbook_file":"/p.yaml","playbook_digest":"d","playbook":"api","version":"2.0.0","env":"staging","previous_version":"","tag_prefix":"v","actor":"ci","command":"release-manager deploy","strategy":"rolling","strategy_override":"rolling","approvals":[],"vars":{}}
{"event":"step_started","time":"2026-11-20T09:00:01Z","step":"migrate","phase":"forward","kind":"run"}
{"event":"step_finished","time":"2026-11-20T09:00:02Z","step":"migrate","phase":"forward","status":"succeeded","outputs":{"exit_code":0},"undo":null,"decision":null,"message":"sh exited 0","seconds":0.4}
{"event":"step_started","time":"2026-11-20T09:00:03Z","step":"rollout","phase":"forward","kind":"deploy"}
{"event":"step_progress","time":"2026-11-20T09:00:04Z","step":"rollout","phase":"forward","progress":{"strategy":"rolling","index":0}}
{"event":"step_fin)");
    auto state = RunJournal(dir.path(), "old").replay();
    REQUIRE(state);
    CHECK(state->started.strategy == "rolling");
    CHECK(state->started.env == "staging");
    CHECK(state->started.owner_pid == 0);
    CHECK(state->status == RunStatus::running);
    CHECK(state->completed == std::vector<std::string>{"migrate"});
    CHECK(state->steps.at("migrate").started_at == "2026-11-20T09:00:01Z");
    CHECK(state->steps.at("rollout").status == StepStatus::running);
    CHECK(state->steps.at("rollout").progress["index"] == 0);
}

TEST_CASE("the runner's state equals the one replayed from its journal", "[playbook][journal]") {
    TempDir dir;
    SECTION("a run that succeeds") {
        auto state = run_and_compare(dir, R"(apiVersion: launchkit/v1
name: plain
steps:
  - name: only
    run: [sh, -c, "echo hi"]
)");
        CHECK(state.status == RunStatus::succeeded);
        // The live runner knows when a step started, as a replay does.
        CHECK_FALSE(state.steps.at("only").started_at.empty());
    }
    SECTION("a run that fails, continues past a failure and rolls back") {
        auto state = run_and_compare(dir, R"(apiVersion: launchkit/v1
name: failing
steps:
  - name: first
    run: [sh, -c, "echo first"]
  - name: optional
    run: [sh, -c, "exit 3"]
    on_failure: continue
  - name: broken
    run: [sh, -c, "exit 1"]
    on_failure: rollback
rollback:
  - name: cleanup
    run: [sh, -c, "echo cleanup"]
)");
        CHECK(state.status == RunStatus::rolled_back);
        CHECK(state.failed_step == "broken");
        CHECK(state.rollback_order == std::vector<std::string>{"cleanup"});
        CHECK(state.steps.at("optional").status == StepStatus::failed);
    }
    SECTION("a run that pauses, then an abort") {
        auto state = run_and_compare(dir, R"(apiVersion: launchkit/v1
name: pausing
steps:
  - name: broken
    run: [sh, -c, "exit 1"]
    on_failure: pause
)");
        CHECK(state.status == RunStatus::paused);
        auto aborted = run_and_compare(dir, R"(apiVersion: launchkit/v1
name: aborting
steps:
  - name: broken
    run: [sh, -c, "exit 1"]
)");
        CHECK(aborted.status == RunStatus::failed);
        CHECK(aborted.failed_step == "broken");
    }
}

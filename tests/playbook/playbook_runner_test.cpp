// The runner through its one entry point, execute_run(), on a fake clock: every wait advances the
// clock instead of sleeping, so a canary whose three gates measure five times a minute apart, a
// rollback and a resume each take milliseconds. After each run the state the runner ended with
// must equal the one replayed from its journal.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>

#include <fmt/format.h>

#include "playbook/run_journal.h"
#include "playbook/run_report.h"
#include "playbook/run_request.h"
#include "support/metrics_server.h"
#include "support/temp_dir.h"
#include "util/file_io.h"
#include "util/time.h"

using namespace launchkit::playbook;
using launchkit::Context;
using launchkit::ExitCode;
using launchkit::testing::MetricsServer;
using launchkit::testing::TempDir;

namespace {

// A canary 10 → 50 → 100 % with a gate after each traffic step: five measurements a minute
// apart, so each gate takes four minutes of the fake clock.
struct FakeClockDeploy {
    TempDir dir;
    MetricsServer metrics;
    std::ostringstream output;
    launchkit::util::TimePoint now = std::chrono::sys_days{std::chrono::November / 29 / 2026};
    std::chrono::milliseconds slept{0};
    Context context;

    FakeClockDeploy() {
        metrics.set("/metrics", "http_error_ratio 0.01\n");
        dir.write("rules.yaml", fmt::format(R"(
sources:
  app: {{prometheus_text: "{}"}}
metrics:
  error_rate: {{source: app, select: http_error_ratio}}
thresholds:
  - {{name: error-rate, metric: error_rate, fail_when: "> 5%"}}
analysis: {{interval: 1m, count: 5}}
)",
                                            metrics.url("/metrics")));
        dir.write("playbook.yaml", R"(apiVersion: launchkit/v1
name: fake-clock-canary
steps:
  - name: announce
    run: [sh, -c, "echo announce >> ${run_dir}/../../log"]
  - name: sign-off
    approve: {message: "Ship it?"}
    on_failure: pause
  - name: canary
    deploy:
      strategy: canary
      steps: [10, 50, 100]
      set_weight: {argv: [sh, -c, "echo ${weight} >> ${run_dir}/../../weights"]}
    gate: {rules: rules.yaml}
    on_failure: rollback
rollback:
  - name: all-traffic-back
    run: [sh, -c, "echo back >> ${run_dir}/../../log"]
)");
        context.state_dir = dir.path() / "state";
        context.actor = "tester";
        context.out = &output;
        context.err = &output;
        context.clock = [this] { return now; };
        context.sleep = [this](std::chrono::milliseconds duration) {
            now += duration;
            slept += duration;
        };
    }

    DeployOptions deploy(std::vector<std::string> approvals) const {
        DeployOptions options;
        options.version = "2.0.0";
        options.environment = "staging";
        options.playbook = dir.path() / "playbook.yaml";
        options.approvals = std::move(approvals);
        return options;
    }

    // Runs the request and checks that the journal replays to exactly the state it ended with.
    RunOutcome run(RunRequest request) {
        auto outcome = execute_run(context, request);
        INFO(output.str());
        REQUIRE(outcome);
        REQUIRE(outcome->run);
        auto replayed = RunJournal(context.state_dir, outcome->run->run_id).replay();
        REQUIRE(replayed);
        CHECK(*replayed == *outcome->run);
        return std::move(*outcome);
    }

    std::string file(const std::string& name) const {
        auto text = launchkit::util::read_file(context.state_dir / name);
        return text ? *text : "";
    }
    int gates(const RunState& state) const {
        size_t offset = 0;
        auto events = RunJournal(context.state_dir, state.run_id).read_from(offset);
        REQUIRE(events);
        int count = 0;
        for (const auto& event : *events) count += std::holds_alternative<GateDecided>(event);
        return count;
    }
};

using Clock = std::chrono::steady_clock;

}  // namespace

TEST_CASE("a canary with three gates runs on a fake clock", "[playbook][runner]") {
    FakeClockDeploy deploy;
    auto began = Clock::now();
    auto outcome = deploy.run({deploy.deploy({"sign-off"})});
    CHECK(Clock::now() - began < std::chrono::seconds(1));
    CHECK(outcome.exit_code == ExitCode::ok);
    CHECK(outcome.run->status == RunStatus::succeeded);
    CHECK(deploy.file("weights") == "10\n50\n100\n");
    CHECK(deploy.gates(*outcome.run) == 3);
    // Three gates of four intervals each, all on the fake clock.
    CHECK(deploy.slept >= std::chrono::minutes(12));
    CHECK(deploy.metrics.requests("/metrics") == 15);
    CHECK(outcome.run->steps.at("canary").started_at == "2026-11-29T00:00:00.000Z");
    CHECK(outcome.run->finished_at == "2026-11-29T00:12:00.000Z");
}

TEST_CASE("a gate that sees errors rolls back on a fake clock", "[playbook][runner]") {
    FakeClockDeploy deploy;
    deploy.metrics.set("/metrics", "http_error_ratio 0.2\n");
    auto began = Clock::now();
    auto outcome = deploy.run({deploy.deploy({"sign-off"})});
    CHECK(Clock::now() - began < std::chrono::seconds(1));
    CHECK(outcome.exit_code == ExitCode::said_no);
    CHECK(outcome.run->status == RunStatus::rolled_back);
    CHECK(outcome.run->failed_step == "canary");
    CHECK(deploy.file("weights").starts_with("10\n"));
    CHECK(deploy.file("log") == "announce\nback\n");
    CHECK(outcome.run->rollback.contains("all-traffic-back"));
}

TEST_CASE("an approval's message is asked with its control characters escaped",
          "[playbook][runner]") {
    FakeClockDeploy deploy;
    auto text = launchkit::util::read_file(deploy.dir.path() / "playbook.yaml");
    REQUIRE(text);
    auto at = text->find("Ship it?");
    REQUIRE(at != std::string::npos);
    // A message that would erase the line above the question at a terminal.
    deploy.dir.write("playbook.yaml", text->replace(at, 8, R"(Ship it?\r\e[2K\e[1A)"));
    std::istringstream typed("y\n");
    deploy.context.in = &typed;
    deploy.context.interactive = true;
    auto outcome = deploy.run({deploy.deploy({})});
    CHECK(outcome.exit_code == ExitCode::ok);
    CHECK(outcome.run->steps.at("sign-off").outputs.at("approved_by") == "tester");
    auto asked = deploy.output.str();
    CHECK(asked.find('\x1b') == std::string::npos);
    CHECK(asked.find('\r') == std::string::npos);
    CHECK_THAT(asked, Catch::Contains("Approve step 'sign-off'?"));
}

TEST_CASE("a paused run resumes where it stopped, on a fake clock", "[playbook][runner]") {
    FakeClockDeploy deploy;
    auto began = Clock::now();
    // No one to ask and no --approve: the sign-off fails and its on_failure pauses the run.
    auto paused = deploy.run({deploy.deploy({})});
    CHECK(paused.exit_code == ExitCode::said_no);
    REQUIRE(paused.run->status == RunStatus::paused);
    CHECK(paused.run->failed_step == "sign-off");
    CHECK(deploy.file("weights").empty());

    ResumeOptions resume;
    resume.run_id = paused.run->run_id;
    resume.approvals = {"sign-off"};
    auto resumed = deploy.run({resume});
    CHECK(Clock::now() - began < std::chrono::seconds(1));
    CHECK(resumed.exit_code == ExitCode::ok);
    CHECK(resumed.run->status == RunStatus::succeeded);
    // What paused it is history now: the run's last line and its JSON no longer name it.
    CHECK(resumed.run->failure_reason.empty());
    CHECK(resumed.run->failed_step.empty());
    auto json = to_json(*resumed.run);
    CHECK(json["reason"].is_null());
    CHECK(json["failed_step"].is_null());
    // The step that finished before the pause did not run again.
    CHECK(deploy.file("log") == "announce\n");
    CHECK(deploy.file("weights") == "10\n50\n100\n");

    // Resuming a run that ended runs nothing and says so.
    auto again = execute_run(deploy.context, {resume});
    REQUIRE(again);
    CHECK(again->already_ended);
    CHECK(again->exit_code == ExitCode::ok);
}

// End-to-end tests of `release-manager deploy`, `resume`, `rollback` and `runs`: real executables,
// a real local HTTP service whose /metrics the test controls, and the state directory's flags,
// launch controls, journal and ledger checked afterwards.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/metrics_server.h"
#include "support/state_fixture.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::MetricsServer;
using launchkit::testing::StateFixture;
using launchkit::testing::TempDir;

namespace {

// A service whose error rate depends on the canary's traffic weight, set through /weight/N.
struct CanaryService {
    MetricsServer server;
    std::atomic<int> weight{0};
    std::atomic<int> bad_from{1000};  // weights at or above this serve errors
    std::vector<int> weights_seen;
    std::mutex mutex;

    std::atomic<int> scrapes{0};
    std::atomic<int> baseline_scrapes{0};

    CanaryService() {
        publish();
        publish_baseline();
        server.on_request([this](const std::string& path) {
            if (path == "/metrics") {
                ++scrapes;
                publish();
            }
            if (path == "/baseline") {
                ++baseline_scrapes;
                publish_baseline();
            }
            if (!path.starts_with("/weight/")) return;
            weight = std::stoi(path.substr(8));
            {
                std::lock_guard lock(mutex);
                weights_seen.push_back(weight);
            }
            publish();
        });
    }
    // Latency varies from scrape to scrape, the same way for the canary as for the baseline.
    static int latency(int scrape) { return 100 + (scrape * 7) % 10 * 2; }
    void publish() {
        double error_rate = weight >= bad_from ? 0.12 : 0.01;
        server.set("/metrics", fmt::format("# TYPE http_error_ratio gauge\nhttp_error_ratio {}\n"
                                           "canary_weight {}\nlatency_ms {}\n",
                                           error_rate, weight.load(), latency(scrapes)));
    }
    void publish_baseline() {
        server.set("/baseline", fmt::format("latency_ms {}\n", latency(baseline_scrapes)));
    }
    std::vector<int> seen() {
        std::lock_guard lock(mutex);
        return weights_seen;
    }
};

size_t count(const std::string& text, const std::string& needle) {
    size_t found = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++found;
    return found;
}

std::string diagnose() {
    return std::string(LAUNCHKIT_BIN_DIR) + "/diagnose";
}

// The issue's example playbook, with the traffic change made through the service.
void write_canary_playbook(const TempDir& dir, const CanaryService& service) {
    dir.write("rules/canary.yaml",
              fmt::format(R"(
sources:
  app: {{prometheus_text: "{}"}}
  baseline: {{prometheus_text: "{}"}}
metrics:
  error_rate: {{source: app, select: http_error_ratio}}
  canary_latency: {{source: app, select: latency_ms}}
  baseline_latency: {{source: baseline, select: latency_ms}}
thresholds:
  - {{name: error-rate, metric: error_rate, fail_when: "> 5%"}}
canary:
  metrics:
    - {{name: latency, direction: increase, canary: canary_latency, baseline: baseline_latency}}
analysis: {{interval: 10ms, count: 6}}
)",
                          service.server.url("/metrics"), service.server.url("/baseline")));
    dir.write("playbook.yaml", fmt::format(R"(apiVersion: launchkit/v1
name: api-canary
vars: {{service: api}}
steps:
  - name: backup-config
    backup: {{source: "dir:config", tag: "pre-${{version}}"}}
  - name: new-checkout-on
    flag: {{name: new-checkout, state: enabled}}
  - name: pause-redemption
    pause: {{control: redemption, reason: "deploying ${{service}} ${{version}}"}}
  - name: migrate
    run: {{argv: [sh, -c, "echo migrated-${{version}} > config/schema"], timeout: 1m}}
    on_failure: rollback
  - name: canary
    deploy:
      strategy: canary
      steps: [5, 25, 50, 100]
      set_weight: {{argv: ["{0}", probe, "{1}/weight/${{weight}}"]}}
    gate: {{rules: rules/canary.yaml}}
    on_failure: rollback
  - name: resume-redemption
    resume: redemption
rollback:
  - name: restore-config
    restore: {{backup: "${{steps.backup-config.id}}", safety_backup: false}}
  - name: announce
    notify: {{template: rollback, to: {{file: announcements.txt}}}}
)",
                                           diagnose(), service.server.url("")));
    dir.write("config/schema", "v1\n");
}

}  // namespace

TEST_CASE("a canary whose error rate rises after the second traffic step is rolled back",
          "[cli][playbook]") {
    StateFixture fixture;
    CanaryService service;
    service.bad_from = 25;
    TempDir dir;
    write_canary_playbook(dir, service);
    REQUIRE(fixture.flags({"create", "new-checkout"}).exit_code == 0);
    auto playbook = (dir.path() / "playbook.yaml").string();
    // Something ran there before, deployed by other means: recording it is a forced rollback.
    auto recorded = fixture.run_json(
        "release-manager",
        {"rollback", "production", "5.0.0", "--force", "--reason", "deployed before launchkit"});
    CHECK(recorded["status"] == "rolled_back");
    CHECK(recorded["run_id"].is_null());

    auto result = fixture.run(
        "release-manager", {"deploy", "5.1.0", "production", "--playbook", playbook, "--strategy",
                            "canary", "--initial-traffic", "5", "--json"});
    INFO(result.stderr_text);
    CHECK(result.exit_code == 1);
    auto run = nlohmann::json::parse(result.stdout_text);
    CHECK(run["status"] == "rolled_back");
    CHECK(run["failed_step"] == "canary");
    CHECK_THAT(run["reason"].get<std::string>(),
               Catch::Contains("gate at canary@25% said rollback") &&
                   Catch::Contains("error-rate: 1 failed measurement"));
    // Traffic went 5 → 25, the gate said no, and it was taken back to 0.
    CHECK(service.seen() == std::vector<int>{5, 25, 0});
    CHECK(service.weight == 0);
    // Flags, launch controls and the config are as they were before the deploy.
    // `get` exits 1 for a flag that is off.
    auto flags =
        fixture.run_json("feature-flags", {"get", "new-checkout", "--env", "production"}, {}, 1);
    CHECK(flags["enabled"] == false);
    auto controls = fixture.run_json("launchctl", {"status", "redemption"});
    CHECK(controls["state"] == "running");
    CHECK(*launchkit::util::read_file(dir.path() / "config/schema") == "v1\n");
    CHECK_THAT(
        *launchkit::util::read_file(dir.path() / "announcements.txt"),
        Catch::Contains("[URGENT] System Rollback") && Catch::Contains("Failed step: canary"));
    // The rollback ran in reverse order of what completed, each journaled.
    std::vector<std::string> rollback;
    for (const auto& step : run["rollback"]) rollback.push_back(step["step"]);
    CHECK(rollback == std::vector<std::string>{"undo:canary", "undo:pause-redemption",
                                               "undo:new-checkout-on", "restore-config",
                                               "announce"});
    // The gate's decision is in the journal with its numbers.
    auto canary = run["steps"][4];
    CHECK(canary["step"] == "canary");
    CHECK(canary["decision"]["verdict"] == "rollback");
    CHECK(canary["decision"]["thresholds"][0]["value"] == 0.12);
    CHECK(canary["decision"]["thresholds"][0]["threshold"] == 0.05);
    // The ledger says production runs 5.0.0 again, rolled back.
    auto history = fixture.run_json("release-manager", {"history", "--env", "production"});
    REQUIRE(history.size() == 2);
    CHECK(history[0]["event"] == "rolled_back");
    CHECK(history[0]["version"] == "5.0.0");
    CHECK_THAT(history[0]["note"].get<std::string>(), Catch::Contains("gate at canary@25%"));

    // The run as one HTML page: self-contained, a chart per gate metric with its threshold drawn.
    auto report = (dir.path() / "report.html").string();
    auto written = fixture.run_json("release-manager", {"report", run["run_id"], "-o", report});
    CHECK(written["file"] == report);
    auto html = *launchkit::util::read_file(report);
    CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>") &&
                         Catch::Contains("<span class=\"status rolled_back\">rolled_back</span>"));
    for (const char* fetched : {"<script", "src=", "href=\"http", "url(", "@import", "<link"})
        CHECK(html.find(fetched) == std::string::npos);
    CHECK_THAT(html, Catch::Contains("<svg class=\"timeline\"") &&
                         Catch::Contains("<svg class=\"chart traffic-chart\""));
    size_t charts = 0;
    for (auto at = html.find("<svg class=\"chart metric-chart\""); at != std::string::npos;
         at = html.find("<svg class=\"chart metric-chart\"", at + 1)) {
        ++charts;
        auto chart = html.substr(at, html.find("</svg>", at) - at);
        CHECK_THAT(chart, Catch::Contains("class=\"series threshold\"") &&
                              Catch::Contains("class=\"dot value\""));
    }
    CHECK(charts == 2);  // one gate rule, judged at 5% and at 25%
    // The canary's latency against the baseline's, each time the gate judged it.
    CHECK(count(html, "<svg class=\"chart distribution-chart\"") == 2);
    CHECK_THAT(html, Catch::Contains("latency: canary against baseline") &&
                         Catch::Contains("canary (n=6)") && Catch::Contains("Mann-Whitney U = "));
    CHECK_THAT(html, Catch::Contains("Gate canary@25%") && Catch::Contains("↩ undo:canary"));
    // Opened in headless Chromium: it loads with no console error and fetches nothing (the
    // page's Content-Security-Policy would log any attempt), the DOM holds the charts, and the
    // screenshot is kept with the build as a test artefact.
    auto artefacts = std::filesystem::path(LAUNCHKIT_BUILD_DIR) / "test-artefacts";
    std::filesystem::create_directories(artefacts);
    auto chromium = [&](std::vector<std::string> extra) {
        std::vector<std::string> argv{"chromium",
                                      "--headless=new",
                                      "--no-sandbox",
                                      "--disable-gpu",
                                      "--no-first-run",
                                      "--enable-logging=stderr",
                                      "--user-data-dir=" + (dir.path() / "chromium").string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back("file://" + report);
        return launchkit::testing::run_program(argv);
    };
    std::filesystem::copy_file(report, artefacts / "rolled-back-canary-report.html",
                               std::filesystem::copy_options::overwrite_existing);
    auto shot = artefacts / "rolled-back-canary-report.png";
    std::filesystem::remove(shot);
    auto screenshot = chromium({"--window-size=1024,4000", "--screenshot=" + shot.string()});
    INFO(screenshot.stderr_text);
    CHECK(screenshot.exit_code == 0);
    CHECK(std::filesystem::file_size(shot) > 10000);
    auto dom = chromium({"--dump-dom"});
    for (const auto* output : {&screenshot.stderr_text, &dom.stderr_text})
        for (const char* trouble : {"CONSOLE", "Refused to", "net::ERR", "Uncaught"})
            CHECK(output->find(trouble) == std::string::npos);
    size_t drawn = 0;
    for (auto at = dom.stdout_text.find("<svg class=\"chart metric-chart\"");
         at != std::string::npos;
         at = dom.stdout_text.find("<svg class=\"chart metric-chart\"", at + 1)) {
        ++drawn;
        auto chart = dom.stdout_text.substr(at, dom.stdout_text.find("</svg>", at) - at);
        CHECK_THAT(chart, Catch::Contains("class=\"series threshold\""));
    }
    CHECK(drawn == 2);
    CHECK(count(dom.stdout_text, "<svg class=\"chart distribution-chart\"") == 2);

    // An environment names its latest run; the default file is RUN_ID.html.
    auto latest = fixture.run_in(dir.path(), "release-manager", {"report", "production"});
    CHECK(latest.exit_code == 0);
    CHECK(std::filesystem::exists(dir.path() / (run["run_id"].get<std::string>() + ".html")));
}

TEST_CASE("a healthy canary is promoted and recorded as deployed", "[cli][playbook]") {
    StateFixture fixture;
    CanaryService service;
    TempDir dir;
    write_canary_playbook(dir, service);
    REQUIRE(fixture.flags({"create", "new-checkout"}).exit_code == 0);
    auto result = fixture.run("release-manager", {"deploy", "5.1.0", "staging", "--playbook",
                                                  (dir.path() / "playbook.yaml").string()});
    INFO(result.stdout_text << result.stderr_text);
    CHECK(result.exit_code == 0);
    CHECK(service.seen() == std::vector<int>{5, 25, 50, 100});
    CHECK_THAT(result.stdout_text, Catch::Contains("gate canary@50% (canary.yaml):") &&
                                       Catch::Contains("verdict: promote") &&
                                       Catch::Contains("succeeded"));
    CHECK(fixture.run_json("feature-flags",
                           {"get", "new-checkout", "--env", "staging"})["enabled"] == true);
    CHECK(fixture.run_json("launchctl", {"status", "redemption"})["state"] == "running");
    CHECK(*launchkit::util::read_file(dir.path() / "config/schema") == "migrated-5.1.0\n");
    auto status = fixture.run("release-manager", {"status", "5.1.0", "--env", "staging"});
    CHECK(status.exit_code == 0);
    auto runs = fixture.run_json("release-manager", {"runs"});
    REQUIRE(runs.size() == 1);
    CHECK(runs[0]["status"] == "succeeded");
    CHECK(runs[0]["previous_version"].is_null());

    // `rollback` is the fast way back: no analysis, undo everything the run did.
    // 5.0.0 never ran in staging as far as the ledger knows: going back to it is forced.
    auto unknown = fixture.run("release-manager",
                               {"rollback", "staging", "5.0.0", "--reason", "customer reports"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.stderr_text, Catch::Contains("5.0.0 never ran in staging"));
    auto back = fixture.run("release-manager", {"rollback", "staging", "5.0.0", "--force",
                                                "--reason", "customer reports"});
    INFO(back.stdout_text << back.stderr_text);
    CHECK(back.exit_code == 0);  // the rollback asked for happened
    CHECK(service.weight == 0);
    CHECK(fixture.run_json("feature-flags", {"get", "new-checkout", "--env", "staging"}, {},
                           1)["enabled"] == false);
    auto history = fixture.run_json("release-manager", {"history", "--env", "staging"});
    CHECK(history[0]["event"] == "rolled_back");
    CHECK(history[0]["version"] == "5.0.0");
}

TEST_CASE("a runner killed mid-run resumes without repeating finished steps", "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("playbook.yaml", R"(apiVersion: launchkit/v1
name: killed
steps:
  - name: first
    run: [sh, -c, "echo once >> first.log"]
  - name: flag-on
    flag: {name: dark-mode, state: enabled, rollout: 20}
  - name: crash
    run: [sh, -c, "if [ ! -e crashed ]; then touch crashed; kill -9 $PPID; sleep 5; fi"]
  - name: last
    run: [sh, -c, "echo done >> last.log"]
)");
    REQUIRE(fixture.flags({"create", "dark-mode"}).exit_code == 0);
    auto killed = fixture.run("release-manager", {"deploy", "1.0.0", "qa", "--playbook",
                                                  (dir.path() / "playbook.yaml").string()});
    CHECK(killed.signal == 9);
    auto runs = fixture.run_json("release-manager", {"runs"});
    REQUIRE(runs.size() == 1);
    CHECK(runs[0]["status"] == "running");
    auto run_id = runs[0]["run_id"].get<std::string>();
    auto resumed = fixture.run("release-manager", {"resume", run_id});
    INFO(resumed.stdout_text << resumed.stderr_text);
    CHECK(resumed.exit_code == 0);
    CHECK_THAT(resumed.stderr_text,
               Catch::Contains("resuming run " + run_id + " (2 finished steps)"));
    CHECK(*launchkit::util::read_file(dir.path() / "first.log") == "once\n");
    CHECK(*launchkit::util::read_file(dir.path() / "last.log") == "done\n");
    auto shown = fixture.run_json("release-manager", {"runs", run_id});
    CHECK(shown["status"] == "succeeded");
    CHECK(shown["steps"].size() == 4);
    // Resuming a finished run does nothing.
    CHECK(fixture.run("release-manager", {"resume", run_id}).exit_code == 0);
    CHECK(*launchkit::util::read_file(dir.path() / "last.log") == "done\n");
}

TEST_CASE("a second concurrent deploy to the same environment is refused", "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("slow.yaml", R"(apiVersion: launchkit/v1
name: slow
steps:
  - name: started
    run: [touch, started]
  - name: slow
    run: [sleep, "3"]
)");
    auto playbook = (dir.path() / "slow.yaml").string();
    launchkit::util::ProcessResult first;
    std::thread runner([&] {
        first = fixture.run("release-manager",
                            {"deploy", "1.0.0", "production", "--playbook", playbook});
    });
    REQUIRE(dir.wait_for("started"));
    auto second =
        fixture.run("release-manager", {"deploy", "1.0.1", "production", "--playbook", playbook});
    auto other_environment =
        fixture.run("release-manager", {"deploy", "1.0.1", "staging", "--playbook", playbook});
    runner.join();
    CHECK(first.exit_code == 0);
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.stderr_text,
               Catch::Contains("another deploy to production is in progress (run ") &&
                   Catch::Contains("by oncall"));
    CHECK(other_environment.exit_code == 0);
}

TEST_CASE("malformed playbooks are rejected before anything runs", "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    auto check_refused = [&](const std::string& yaml, const std::string& expected) {
        dir.write("bad.yaml", yaml);
        auto result = fixture.run("release-manager", {"deploy", "1.0.0", "qa", "--playbook",
                                                      (dir.path() / "bad.yaml").string()});
        INFO(yaml);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.stderr_text, Catch::Contains(expected));
        CHECK_FALSE(std::filesystem::exists(dir.path() / "side-effect"));
        CHECK_FALSE(std::filesystem::exists(fixture.state.path() / "runs"));
    };
    std::string head =
        "apiVersion: launchkit/v1\nname: bad\nsteps:\n  - {name: touch, run: [touch, "
        "side-effect]}\n";
    check_refused(head + "  - {name: deploy-it, deplyo: {strategy: canary}}\n",
                  "bad.yaml:5: steps[1].deplyo: unknown step kind");
    check_refused(
        head + "  - {name: a, run: [true], needs: [b]}\n  - {name: b, run: [true], needs: [a]}\n",
        "`needs` form a cycle: a → b → a");
    check_refused(head + "  - {name: a, run: [echo, \"${release}\"]}\n",
                  "steps.a: ${release} is not defined");
    check_refused(head + "  - {name: a, run: [echo, \"${steps.touch.id}\"]}\n",
                  "${steps.touch.id} is not defined (run steps leave: exit_code, status, stdout)");
    check_refused("apiVersion: launchkit/v2\nname: bad\nsteps: []\n",
                  "apiVersion: expected launchkit/v1");
    check_refused(head + "  - {name: c, deploy: {strategy: canary}}\n",
                  "a canary needs set_weight");
}

TEST_CASE("approve steps need --approve without a terminal, plan changes nothing",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("approve.yaml", R"(apiVersion: launchkit/v1
name: gated
steps:
  - name: go-ahead
    approve: "Deploy ${version} to ${env}?"
    on_failure: pause
  - name: after
    run: [touch, after]
)");
    auto playbook = (dir.path() / "approve.yaml").string();
    auto plan = fixture.run_json("release-manager",
                                 {"plan", playbook, "--version", "2.0.0", "--env", "prod"});
    CHECK(plan["steps"][0]["settings"]["message"] == "Deploy 2.0.0 to prod?");
    CHECK_FALSE(std::filesystem::exists(fixture.state.path() / "runs"));
    auto paused =
        fixture.run("release-manager", {"deploy", "2.0.0", "prod", "--playbook", playbook});
    CHECK(paused.exit_code == 1);
    CHECK_THAT(paused.stdout_text, Catch::Contains("needs approval: pass --approve go-ahead") &&
                                       Catch::Contains("release-manager resume"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "after"));
    auto run_id = fixture.run_json("release-manager", {"runs"})[0]["run_id"].get<std::string>();
    auto approved = fixture.run("release-manager", {"resume", run_id, "--approve", "go-ahead"});
    CHECK(approved.exit_code == 0);
    CHECK(std::filesystem::exists(dir.path() / "after"));
    auto shown = fixture.run_json("release-manager", {"runs", run_id});
    CHECK(shown["steps"][0]["outputs"]["approved_by"] == "oncall");
}

TEST_CASE("rolling and blue-green deploys, probes and a webhook notification", "[cli][playbook]") {
    StateFixture fixture;
    MetricsServer service;
    std::vector<std::string> calls;
    std::mutex mutex;
    service.on_request([&](const std::string& path) {
        std::lock_guard lock(mutex);
        calls.push_back(path);
    });
    service.set("/health/ready", "{\"status\": \"ready\"}");
    TempDir dir;
    auto call = [&](const std::string& path) {
        return fmt::format("{{argv: [\"{}\", probe, \"{}\"]}}", diagnose(), service.url(path));
    };
    dir.write("rolling.yaml",
              fmt::format(R"(apiVersion: launchkit/v1
name: fleet
steps:
  - name: ready
    probe: "{0}"
  - name: agents
    deploy:
      strategy: rolling
      targets: [node-1, node-2, node-3, node-4, node-5]
      batch_size: 40%
      run_batch: {{argv: ["{1}", probe, "{2}/batch/${{batch_number}}-of-${{batch_count}}/${{batch}}"]}}
  - name: edge
    deploy:
      strategy: blue-green
      deploy_green: {3}
      switch: {4}
      switch_back: {5}
  - name: tell
    notify: {{template: post-upgrade, to: {{webhook: "{6}"}}}}
  - name: break
    run: ["false"]
    on_failure: rollback
)",
                          service.url("/health/ready"), diagnose(), service.url(""),
                          call("/green/deploy"),
                          fmt::format("{{http: \"{}\", body: '{{\"to\": \"green\"}}'}}",
                                      service.url("/green/switch")),
                          call("/blue/switch-back"), service.url("/hook")));
    auto result =
        fixture.run("release-manager", {"deploy", "2.0.0", "edge", "--playbook",
                                        (dir.path() / "rolling.yaml").string(), "--json"});
    INFO(result.stderr_text);
    CHECK(result.exit_code == 1);
    auto run = nlohmann::json::parse(result.stdout_text);
    CHECK(run["status"] == "rolled_back");
    std::lock_guard lock(mutex);
    CHECK(calls == std::vector<std::string>{"/health/ready", "/batch/1-of-3/node-1,node-2",
                                            "/batch/2-of-3/node-3,node-4", "/batch/3-of-3/node-5",
                                            "/green/deploy", "/green/switch", "/hook",
                                            "/blue/switch-back"});
    CHECK(run["steps"][0]["outputs"]["passed"] == 1);
    // The switch was an HTTP call in the playbook, not a program.
    CHECK(nlohmann::json::parse(service.posted("/green/switch"))["to"] == "green");
    auto hook = nlohmann::json::parse(service.posted("/hook"));
    CHECK(hook["subject"] == "Upgrade Completed: fleet 2.0.0 - Success");
    CHECK(hook["env"] == "edge");
}

TEST_CASE(
    "the Mesh OS Release Management Playbook's pre-deployment checks: expected empty, all_pass, "
    "success, no_critical",
    "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    auto playbook = [&](const std::string& status_output, const std::string& audit_output) {
        dir.write("checks.yaml", fmt::format(R"(apiVersion: launchkit/v1
name: pre-deployment
steps:
  - {{name: git-status, run: {{argv: [printf, "{}"], expected: empty}}, on_failure: continue}}
  - {{name: tests, run: {{argv: ["true"], expected: all_pass}}, on_failure: continue}}
  - {{name: build, run: {{argv: ["true"], expected: success}}, on_failure: continue}}
  - {{name: security-scan, run: {{argv: [sh, -c, 'printf "{}"; exit 1'], expected: no_critical}}, on_failure: continue}}
)",
                                             status_output, audit_output));
        return fixture.run_json("release-manager", {"deploy", "1.0.0", "ci", "--playbook",
                                                    (dir.path() / "checks.yaml").string()});
    };
    auto clean = playbook("", "found 3 vulnerabilities (2 moderate, 1 high)");
    for (int i = 0; i < 4; ++i) CHECK(clean["steps"][i]["status"] == "succeeded");
    auto dirty = playbook(" M src/app.js", "found 2 vulnerabilities (1 high, 1 critical)");
    CHECK(dirty["steps"][0]["status"] == "failed");
    CHECK_THAT(dirty["steps"][0]["message"].get<std::string>(),
               Catch::Contains("expected no output"));
    CHECK(dirty["steps"][3]["status"] == "failed");
    CHECK(dirty["steps"][3]["message"] == "1 critical finding reported");
    CHECK(dirty["status"] == "succeeded");  // on_failure: continue carried on
}

TEST_CASE("no_critical fails when the audit did not run (npm audit without a lock file)",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    dir.write("audit.yaml", R"(apiVersion: launchkit/v1
name: audit
steps:
  - name: security-scan
    run:
      argv: [sh, -c, 'echo "npm ERR! code ENOLOCK" >&2; echo "npm ERR! audit This command requires an existing lockfile." >&2; exit 1']
      expected: no_critical
)");
    auto run = fixture.run_json(
        "release-manager",
        {"deploy", "1.0.0", "ci", "--playbook", (dir.path() / "audit.yaml").string()}, {}, 1);
    CHECK(run["status"] == "failed");
    CHECK(run["steps"][0]["status"] == "failed");
    CHECK(run["steps"][0]["message"] ==
          "the audit did not run: no audit report in its output (exit 1: npm ERR! code ENOLOCK)");
}

TEST_CASE("rollback steps back one version at a time, only to versions that ran there",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    auto playbook = dir.write("plain.yaml", R"(apiVersion: launchkit/v1
name: plain
steps:
  - name: ship
    run: ["true"]
)");
    for (const char* version : {"1.0.0", "1.1.0", "1.2.0"})
        REQUIRE(
            fixture
                .run("release-manager", {"deploy", version, "qa", "--playbook", playbook.string()})
                .exit_code == 0);
    auto running = [&] { return fixture.run_json("release-manager", {"status", "--env", "qa"}); };
    // Back to 1.1.0 (undoing the 1.2.0 run), then further back to 1.0.0.
    CHECK(fixture.run("release-manager", {"rollback", "qa"}).exit_code == 0);
    CHECK(running().dump().find("1.1.0") != std::string::npos);
    auto further = fixture.run("release-manager", {"rollback", "qa", "1.0.0", "--json"});
    INFO(further.stderr_text);
    CHECK(further.exit_code == 0);
    CHECK(nlohmann::json::parse(further.stdout_text)["version"] == "1.0.0");
    // Without a version, an already rolled-back run says how to go further.
    auto again = fixture.run("release-manager", {"rollback", "qa"});
    CHECK(again.exit_code == 1);
    CHECK_THAT(again.stderr_text, Catch::Contains("to go back further, name the version"));
    // Never released there: refused.
    auto never = fixture.run("release-manager", {"rollback", "qa", "0.9.0"});
    CHECK(never.exit_code == 2);
    CHECK_THAT(never.stderr_text, Catch::Contains("0.9.0 never ran in qa"));
}

TEST_CASE("a run of a kind: rollback playbook is a rollback in the ledger and in stats",
          "[cli][playbook]") {
    StateFixture fixture;
    TempDir dir;
    auto forward = dir.write("forward.yaml", R"(apiVersion: launchkit/v1
name: forward
steps:
  - name: ship
    run: ["true"]
)");
    auto back = dir.write("back.yaml", R"(apiVersion: launchkit/v1
name: back
kind: rollback
steps:
  - name: redeploy-previous
    run: ["true"]
)");
    auto deploy = [&](const char* version, const std::filesystem::path& playbook) {
        return fixture.run("release-manager",
                           {"deploy", version, "production", "--playbook", playbook.string()});
    };
    REQUIRE(deploy("1.4.0", forward).exit_code == 0);
    REQUIRE(deploy("1.5.0", forward).exit_code == 0);
    REQUIRE(deploy("1.4.0", back).exit_code == 0);
    auto history = fixture.run_json("release-manager", {"history", "--env", "production"});
    CHECK(history[0]["event"] == "rolled_back");
    CHECK(history[0]["version"] == "1.4.0");
    auto stats = fixture.run_json("release-manager", {"stats"});
    INFO(stats.dump());
    CHECK(stats["runs"] == 3);
    CHECK(stats["rolled_back"] == 1);
    CHECK(stats["deployments"] == 2);
    // A kind the runner does not know is refused.
    auto unknown = dir.write("odd.yaml",
                             "apiVersion: launchkit/v1\nname: odd\nkind: hotfix\n"
                             "steps:\n  - name: a\n    run: [\"true\"]\n");
    auto refused = deploy("1.6.0", unknown);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.stderr_text, Catch::Contains("kind: expected deploy or rollback"));
}

// Black-box tests of `diagnose run` and `diagnose probe` against a real local HTTP server.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "support/http_server.h"
#include "support/temp_dir.h"
#include "util/file_io.h"

using launchkit::testing::run_tool;
using launchkit::testing::TempDir;
using launchkit::testing::TestHttpServer;

namespace {

std::filesystem::path write_checklist(const TempDir& dir, const std::string& text) {
    auto path = dir.path() / "checklist.yaml";
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("diagnose run: every critical check passes → exit 0, table and summary",
          "[cli][diagnose]") {
    TestHttpServer server;
    TempDir dir;
    auto checklist = write_checklist(
        dir, fmt::format(R"(checks:
  - name: api-ready
    http:
      url: {0}
      expect: {{status: [200], json: {{"/status": "ready", "/backlog": "< 100"}}}}
  - name: api-port
    tcp: {{host: 127.0.0.1, port: {1}}}
  - name: migrations-clean
    command: {{argv: [echo, "no pending migrations"], expect: {{stdout_contains: "no pending"}}}}
  - name: optional-cache
    http: {{url: {2}}}
    severity: warning
)",
                         server.url("/health"), server.port(), server.url("/fail")));
    auto result = run_tool("diagnose", {"run", checklist.string()});
    INFO(result.stdout_text << result.stderr_text);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.stdout_text,
               Catch::Contains("✓  api-ready") && Catch::Contains("✓  api-port") &&
                   Catch::Contains("!  optional-cache") &&
                   Catch::Contains("status 503, expected 200-299 (warning)") &&
                   Catch::Contains("4 checks: 3 passed, 0 critical failed, 1 warning failed"));

    auto json = run_tool("diagnose", {"run", checklist.string(), "--json"});
    auto report = nlohmann::json::parse(json.stdout_text);
    CHECK(report["passed"] == true);
    CHECK(report["summary"]["total"] == 4);
    CHECK(report["summary"]["failed_warning"] == 1);
    REQUIRE(report["checks"].size() == 4);
    CHECK(report["checks"][0]["name"] == "api-ready");
    CHECK(report["checks"][0]["http_status"] == 200);
    for (const char* key :
         {"name", "kind", "severity", "tags", "passed", "latency_ms", "detail", "http_status"})
        CHECK(report["checks"][1].contains(key));
}

TEST_CASE("diagnose run: a failing critical check exits 1 and says why", "[cli][diagnose]") {
    TestHttpServer server;
    TempDir dir;
    auto checklist = write_checklist(dir, fmt::format(R"(checks:
  - name: api-ready
    http: {{url: {0}, expect: {{json: {{"/status": "ready"}}}}}}
    tags: [api]
  - name: closed-port
    tcp: {{host: 127.0.0.1, port: 9}}
    tags: [network]
)",
                                                      server.url("/starting")));
    auto result = run_tool("diagnose", {"run", checklist.string()});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.stdout_text,
               Catch::Contains(R"(/status is "starting", expected == "ready")") &&
                   Catch::Contains("127.0.0.1:9: Connection refused"));

    auto only_network =
        run_tool("diagnose", {"run", checklist.string(), "--tag", "network", "--json"});
    auto report = nlohmann::json::parse(only_network.stdout_text);
    CHECK(report["checks"].size() == 1);
    CHECK(run_tool("diagnose", {"run", checklist.string(), "--tag", "nothing"}).exit_code == 2);
}

TEST_CASE("diagnose run: a malformed checklist is refused before anything is probed",
          "[cli][diagnose]") {
    TestHttpServer server;
    TempDir dir;
    auto checklist = write_checklist(dir, fmt::format(R"(checks:
  - name: first
    http: {{url: {0}}}
  - name: second
    http: {{url: {0}, expect: {{status: [ok]}}}}
)",
                                                      server.url("/health")));
    auto result = run_tool("diagnose", {"run", checklist.string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.stderr_text,
               Catch::Contains("checklist.yaml:5: checks[1].http.expect.status"));
    CHECK(server.requests() == 0);

    CHECK(run_tool("diagnose", {"run", (dir.path() / "missing.yaml").string()}).exit_code == 2);
    auto none = run_tool("diagnose", {"run"}, dir.path());
    CHECK(none.exit_code == 2);
    CHECK_THAT(none.stderr_text, Catch::Contains("no checklist given"));
}

TEST_CASE("diagnose run reads the default checklist from the config", "[cli][diagnose]") {
    TestHttpServer server;
    TempDir dir;
    write_checklist(
        dir, fmt::format("checks:\n  - name: up\n    http: {{url: {}}}\n", server.url("/health")));
    std::ofstream(dir.path() / "launchkit.yaml") << "checklist: checklist.yaml\n";
    CHECK(run_tool("diagnose", {"run"}, dir.path()).exit_code == 0);
    // Bare `diagnose` runs it too, as `diagnose run` would.
    auto bare = run_tool("diagnose", {"--json"}, dir.path());
    INFO(bare.stderr_text);
    CHECK(bare.exit_code == 0);
    CHECK(nlohmann::json::parse(bare.stdout_text)["checks"][0]["name"] == "up");
    // Without a configured checklist it still asks for a subcommand.
    TempDir empty;
    auto asks = run_tool("diagnose", {}, empty.path());
    CHECK(asks.exit_code == 2);
    CHECK_THAT(asks.stderr_text, Catch::Contains("a subcommand is required"));
}

TEST_CASE("the bearer token is sent but never printed", "[cli][diagnose]") {
    TestHttpServer server;
    TempDir dir;
    auto checklist = write_checklist(dir, fmt::format(R"(checks:
  - name: ops-summary
    http:
      url: {0}
      token_env: ADMIN_TOKEN
      expect: {{json: {{"/failed_jobs": 0}}}}
)",
                                                      server.url("/protected")));
    auto without = run_tool("diagnose", {"run", checklist.string()});
    CHECK(without.exit_code == 1);
    CHECK_THAT(without.stdout_text, Catch::Contains("token_env ADMIN_TOKEN is not set"));

    auto with = run_tool("diagnose", {"run", checklist.string(), "--json"}, {},
                         {{"ADMIN_TOKEN", TestHttpServer::token}});
    CHECK(with.exit_code == 0);
    CHECK_THAT(with.stdout_text + with.stderr_text, !Catch::Contains(TestHttpServer::token));
}

TEST_CASE("diagnose probe: one URL with expectations, for scripts", "[cli][diagnose]") {
    TestHttpServer server;
    CHECK(run_tool("diagnose", {"probe", server.url("/health")}).exit_code == 0);
    CHECK(run_tool("diagnose", {"probe", server.url("/health"), "--expect-json",
                                R"(/status == "ready")", "--expect-json", "/backlog < 100"})
              .exit_code == 0);
    auto starting =
        run_tool("diagnose", {"probe", server.url("/starting"), "--expect-json", "/backlog < 100"});
    CHECK(starting.exit_code == 1);
    CHECK_THAT(starting.stdout_text, Catch::Contains("/backlog is 250, expected < 100"));
    CHECK(
        run_tool("diagnose", {"probe", server.url("/fail"), "--expect-status", "503"}).exit_code ==
        0);
    CHECK(run_tool("diagnose", {"probe", server.url("/redirect")}).exit_code == 1);
    CHECK(run_tool("diagnose", {"probe", server.url("/redirect"), "-L"}).exit_code == 0);
    CHECK(run_tool("diagnose", {"probe", server.url("/protected"), "--token-env", "T"}, {},
                   {{"T", TestHttpServer::token}})
              .exit_code == 0);

    auto bad = run_tool("diagnose", {"probe", server.url("/health"), "--expect-json", "status"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.stderr_text, Catch::Contains("invalid --expect-json 'status'"));
    CHECK(run_tool("diagnose", {"probe", "ftp://example.com"}).exit_code == 2);
    CHECK(run_tool("diagnose", {"probe", server.url("/"), "--expect-status", "2x"}).exit_code == 2);
}

TEST_CASE("diagnose wait returns once critical checks pass, or exits 1 at the timeout",
          "[cli][diagnose]") {
    TestHttpServer server;
    TempDir dir;
    auto checklist = write_checklist(
        dir,
        fmt::format("checks:\n  - name: api\n    http: {{url: {}}}\n", server.url("/recovering")));
    auto recovered = run_tool(
        "diagnose", {"wait", checklist.string(), "--interval", "50ms", "--timeout", "20s"});
    INFO(recovered.stdout_text << recovered.stderr_text);
    CHECK(recovered.exit_code == 0);
    CHECK_THAT(recovered.stderr_text, Catch::Contains("waiting for 1 critical check"));

    auto failing = write_checklist(
        dir, fmt::format("checks:\n  - name: api\n    http: {{url: {}}}\n", server.url("/fail")));
    auto gave_up = run_tool("diagnose",
                            {"wait", failing.string(), "--interval", "50ms", "--timeout", "400ms"});
    CHECK(gave_up.exit_code == 1);
    CHECK_THAT(gave_up.stdout_text,
               Catch::Contains("status 503") && Catch::Contains("gave up after 400 ms"));
}

TEST_CASE("diagnose run honours a check's thresholds and --timeout", "[cli][diagnose]") {
    TestHttpServer server;
    TempDir dir;
    auto checklist = write_checklist(dir, fmt::format(R"(checks:
  - name: api
    http: {{url: {0}}}
    period: 50ms
    failure_threshold: 2
  - name: flapping
    http: {{url: {1}}}
    period: 50ms
    stable_for: 1h
    failure_threshold: 100
)",
                                                      server.url("/fail"), server.url("/flap")));
    auto result = run_tool("diagnose", {"run", checklist.string(), "--timeout", "500ms", "--json"});
    CHECK(result.exit_code == 1);
    auto report = nlohmann::json::parse(result.stdout_text);
    CHECK(report["checks"][0]["attempts"] == 2);
    CHECK_THAT(report["checks"][1]["detail"].get<std::string>(),
               Catch::Contains("undecided at the deadline"));
}

TEST_CASE("diagnose probe of a self-signed HTTPS server needs --insecure or a CA file",
          "[cli][diagnose][tls]") {
    TempDir dir;
    auto [certificate, key] = launchkit::testing::make_self_signed_certificate(dir.path());
    TestHttpServer server(certificate, key);
    auto refused = run_tool("diagnose", {"probe", server.url("/health")});
    CHECK(refused.exit_code == 3);  // no HTTP answer: the TLS handshake failed
    CHECK_THAT(refused.stdout_text, Catch::Contains("certificate"));
    CHECK(run_tool("diagnose", {"probe", server.url("/health"), "--insecure"}).exit_code == 0);

    auto checklist = write_checklist(dir, fmt::format(R"(checks:
  - name: tls
    http: {{url: {}, ca_file: cert.pem, expect: {{json: {{"/status": "ready"}}}}}}
)",
                                                      server.url("/health")));
    auto trusted = run_tool("diagnose", {"run", checklist.string()});
    INFO(trusted.stdout_text);
    CHECK(trusted.exit_code == 0);
}

TEST_CASE("diagnose slo prints value and verdict per rule and exits 1 when one is not met",
          "[cli][diagnose][slo]") {
    TestHttpServer server;
    TempDir dir;
    auto rules = dir.path() / "slo.yaml";
    std::ofstream(rules) << fmt::format(R"(sources:
  app: {{prometheus_text: '{}'}}
metrics:
  error_rate: {{source: app, select: 'http_request_error_ratio{{service="api"}}'}}
  latency_p95_ms: {{source: app, select: latency_p95_ms}}
rules:
  - error_rate < 0.01
  - latency_p95_ms < 500
)",
                                        server.url("/metrics"));
    auto met = run_tool("diagnose", {"slo", rules.string()});
    INFO(met.stdout_text << met.stderr_text);
    CHECK(met.exit_code == 0);
    CHECK_THAT(met.stdout_text, Catch::Contains("✓  error_rate < 0.01") &&
                                    Catch::Contains("0.004") &&
                                    Catch::Contains("2 rules: 2 met, 0 not met"));

    std::ofstream(dir.path() / "launchkit.yaml") << "slo_rules: slo.yaml\n";
    CHECK(run_tool("diagnose", {"slo"}, dir.path()).exit_code == 0);

    std::ofstream(rules, std::ios::app) << "  - latency_p95_ms < 100\n";
    auto missed = run_tool("diagnose", {"slo", rules.string(), "--json"});
    CHECK(missed.exit_code == 1);
    auto json = nlohmann::json::parse(missed.stdout_text);
    CHECK(json["passed"] == false);
    CHECK(json["rules"][2]["detail"] == "latency_p95_ms = 312.5, needs < 100");
}

TEST_CASE("diagnose snapshot and compare: growth beyond the tolerance exits 1",
          "[cli][diagnose][slo]") {
    TestHttpServer server;
    TempDir dir;
    auto rules = dir.path() / "ops.yaml";
    std::ofstream(rules) << fmt::format(R"(sources:
  ops: {{json: '{}'}}
  app: {{prometheus_text: '{}'}}
metrics:
  backlog: {{source: ops, pointer: /backlog}}
  failed_jobs: {{source: ops, pointer: /failed_jobs}}
  latency_p95_ms: {{source: app, select: latency_p95_ms}}
compare:
  backlog: {{max_increase: 20%}}
  failed_jobs: {{max_increase: 0}}
)",
                                        server.url("/ops"), server.url("/metrics"));
    auto baseline = dir.path() / "baseline.json";
    auto snapshot = run_tool("diagnose", {"snapshot", rules.string(), "--out", baseline.string()});
    INFO(snapshot.stderr_text);
    REQUIRE(snapshot.exit_code == 0);
    auto saved = nlohmann::json::parse(*launchkit::util::read_file(baseline));
    CHECK(saved["format"] == "launchkit-snapshot/1");
    CHECK(saved["metrics"]["backlog"] == 10);

    server.set_backlog(12);  // +20%: still within
    auto within = run_tool("diagnose", {"compare", baseline.string(), rules.string()});
    INFO(within.stdout_text);
    CHECK(within.exit_code == 0);
    CHECK_THAT(within.stdout_text,
               Catch::Contains("no unexpected growth") && Catch::Contains("shown only"));

    server.set_backlog(13);
    auto grown =
        run_tool("diagnose", {"compare", baseline.string(), "--json"});  // rules from baseline
    CHECK(grown.exit_code == 1);
    auto json = nlohmann::json::parse(grown.stdout_text);
    CHECK(json["passed"] == false);
    auto backlog = json["metrics"][0];
    CHECK(backlog["metric"] == "backlog");
    CHECK(backlog["baseline"] == 10);
    CHECK(backlog["now"] == 13);
    CHECK(backlog["allowed"] == 12);
    CHECK(backlog["passed"] == false);

    std::ofstream(dir.path() / "junk.json") << "{}";
    CHECK(run_tool("diagnose", {"compare", (dir.path() / "junk.json").string(), rules.string()})
              .exit_code == 2);
}

TEST_CASE("every expectation and probe kind through the real binary", "[cli][diagnose]") {
    TestHttpServer server;
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "backups");
    std::ofstream(dir.path() / "backups" / "db.dump") << "dump";
    std::ofstream(dir.path() / "token.txt") << TestHttpServer::token << "\n";
    auto checklist =
        write_checklist(dir, fmt::format(R"(checks:
  - name: regex-and-header
    http:
      url: {0}
      expect: {{body_regex: '"backlog":\s*\d+', headers: {{content-type: json}}, max_latency_ms: 2000}}
  - name: too-slow
    http: {{url: {1}, expect: {{max_latency_ms: 50}}}}
    tags: [slow]
  - name: echo-post
    http:
      url: {2}
      method: POST
      body: payload
      headers: {{X-Probe: cli}}
      expect: {{body_contains: [POST payload cli]}}
  - name: retried
    http: {{url: {3}}}
    retries: 2
    backoff: 20ms
  - name: disk
    disk: {{path: ., min_free: 1B}}
  - name: backup-age
    file_age: {{path: backups, max_age: 1h}}
  - name: command-stderr
    command: {{argv: [sh, -c, "echo oops >&2; exit 3"], expect: {{exit: 3, stderr_contains: oops}}}}
  - name: malformed-json
    http: {{url: {4}, expect: {{json: {{"/status": ready}}}}}}
    severity: warning
  - name: twice-after-delay
    http: {{url: {0}}}
    initial_delay: 50ms
    period: 50ms
    success_threshold: 2
  - name: token-from-file
    http: {{url: {5}, token_file: token.txt, expect: {{json: {{"/failed_jobs": 0}}}}}}
  - name: hung-command
    command: {{argv: [sleep, "5"]}}
    timeout: 200ms
    severity: warning
)",
                                         server.url("/health"), server.url("/slow"),
                                         server.url("/echo"), server.url("/recovering"),
                                         server.url("/malformed"), server.url("/protected")));
    auto result = run_tool("diagnose", {"run", checklist.string(), "--json"});
    INFO(result.stdout_text << result.stderr_text);
    CHECK(result.exit_code == 1);  // only too-slow fails
    auto report = nlohmann::json::parse(result.stdout_text);
    std::map<std::string, nlohmann::json> checks;
    for (const auto& check : report["checks"]) checks[check["name"]] = check;
    CHECK(checks["regex-and-header"]["passed"] == true);
    CHECK(checks["too-slow"]["passed"] == false);
    CHECK_THAT(checks["too-slow"]["detail"].get<std::string>(),
               Catch::Contains("expected at most 50 ms"));
    CHECK(checks["echo-post"]["passed"] == true);
    CHECK(checks["retried"]["passed"] == true);
    CHECK(checks["retried"]["attempts"] == 3);
    CHECK(checks["disk"]["kind"] == "disk");
    CHECK(checks["disk"]["passed"] == true);
    CHECK(checks["backup-age"]["passed"] == true);
    CHECK(checks["command-stderr"]["passed"] == true);
    CHECK(checks["malformed-json"]["detail"] == "body is not valid JSON");
    CHECK(checks["twice-after-delay"]["passed"] == true);
    CHECK(checks["twice-after-delay"]["attempts"] == 2);
    CHECK(checks["token-from-file"]["passed"] == true);
    CHECK(checks["hung-command"]["detail"] == "timed out after 200 ms");
    CHECK_THAT(result.stdout_text, !Catch::Contains(TestHttpServer::token));
    CHECK(report["summary"]["failed_critical"] == 1);
}

TEST_CASE("diagnose slo and probe: a source or URL that does not answer is exit 3, not 1",
          "[cli][diagnose][slo]") {
    std::string closed;
    {
        TestHttpServer server;
        closed = server.url("/metrics");
    }
    TempDir dir;
    auto rules = dir.path() / "slo.yaml";
    std::ofstream(rules) << fmt::format(R"(sources:
  app: {{prometheus_text: '{}'}}
metrics:
  error_rate: {{source: app, select: http_error_ratio}}
rules:
  - error_rate < 0.01
)",
                                        closed);
    auto slo = run_tool("diagnose", {"slo", rules.string(), "--json"});
    INFO(slo.stdout_text << slo.stderr_text);
    CHECK(slo.exit_code == 3);
    auto json = nlohmann::json::parse(slo.stdout_text);
    CHECK(json["passed"] == false);
    CHECK(json["rules"][0]["source_failed"] == true);

    auto probe = run_tool("diagnose", {"probe", closed, "--timeout", "2s"});
    CHECK(probe.exit_code == 3);
    TestHttpServer server;
    auto answered = run_tool("diagnose", {"probe", server.url("/fail")});
    CHECK(answered.exit_code == 1);
}

// Checklists are validated in full before anything is probed; errors name file, line and field.
#include <catch2/catch.hpp>

#include "probe/checklist_parser.h"
#include "probe/http_probe.h"

using namespace launchkit;
using namespace launchkit::probe;

TEST_CASE("the issue's checklist spellings parse into checks", "[probe][checklist]") {
    auto checklist = parse_checklist(R"(checks:
  - name: api-ready
    http:
      url: http://127.0.0.1:8086/health/ready
      token_env: ADMIN_TOKEN
      expect: {status: [200], json: {"/status": "ready", "/backlog": "< 100"}, max_latency_ms: 500}
    severity: critical
  - name: db-port
    tcp: {host: 127.0.0.1, port: 5432}
  - name: migrations-clean
    command: {argv: [make, db-migrate-status], expect: {exit: 0}}
    severity: warning
    tags: [db, pre-upgrade]
    timeout: 30s
)",
                                     "checks.yaml");
    REQUIRE(checklist);
    REQUIRE(checklist->checks.size() == 3);
    const auto& http = std::get<HttpProbe>(checklist->checks[0].probe);
    CHECK(http.token_env == "ADMIN_TOKEN");
    REQUIRE(http.expect.statuses.size() == 1);
    CHECK(http.expect.statuses[0].low == 200);
    REQUIRE(http.expect.json.size() == 2);
    CHECK(http.expect.json[0].pointer == "/status");
    CHECK(http.expect.json[0].value == "ready");
    CHECK(http.expect.json[1].comparison == Comparison::less);
    CHECK(http.expect.json[1].value == 100);
    CHECK(http.expect.max_latency == std::chrono::milliseconds(500));
    CHECK(std::get<TcpProbe>(checklist->checks[1].probe).port == 5432);
    const auto& command = checklist->checks[2];
    CHECK(std::get<CommandProbe>(command.probe).argv ==
          std::vector<std::string>{"make", "db-migrate-status"});
    CHECK(command.severity == Severity::warning);
    CHECK(command.tags == std::vector<std::string>{"db", "pre-upgrade"});
    CHECK(command.timeout == std::chrono::seconds(30));
}

TEST_CASE("malformed checklists name the file, line and field", "[probe][checklist]") {
    struct Case {
        const char* yaml;
        const char* expected;
    };
    auto bad = GENERATE(
        Case{"checks:\n  - name: a\n    tcp: {host: h, port: 99999}\n",
             "c.yaml:3: checks[0].tcp.port: expected a whole number from 1 to 65535"},
        Case{"checks:\n  - name: a\n    htp: {url: http://x}\n",
             "c.yaml:3: checks[0].htp: unknown key"},
        Case{"checks:\n  - tcp: {host: h, port: 1}\n", "checks[0].name: missing"},
        Case{"checks:\n  - name: a\n    tcp: {host: h, port: 1}\n    command: {argv: [x]}\n",
             "needs exactly one of http, tcp, command, disk or file_age"},
        Case{"checks:\n  - name: a\n    http: {url: 'http://x', expect: {status: [20x]}}\n",
             "checks[0].http.expect.status: '20x' is not a status"},
        Case{"checks:\n  - name: a\n    http: {url: 'http://x', expect: {body_regex: '(('}}\n",
             "checks[0].http.expect.body_regex: invalid regular expression"},
        Case{"checks:\n  - name: a\n    command: {argv: []}\n", "checks[0].command.argv"},
        Case{"checks:\n  - name: a\n    tcp: {host: h, port: 1}\n    severity: fatal\n",
             "c.yaml:4: checks[0].severity: expected critical or warning"},
        Case{"checks:\n  - name: a\n    tcp: {host: h, port: 1}\n  - name: a\n    tcp: {host: h, "
             "port: 2}\n",
             "c.yaml:4: checks[1].name: 'a' is used by another check"},
        Case{"checks:\n  - name: a\n    tcp: {host: h, port: 1}\n    timeout: soon\n",
             "checks[0].timeout: expected a duration"},
        Case{"checks:\n  - name: a\n    http: {url: 'http://x', expect: {json: {status: ok}}}\n",
             "a JSON Pointer starts with '/'"},
        Case{"checks: [\n", "c.yaml:2: invalid YAML"},
        Case{"probes: []\n", "expected a mapping with a 'checks:' list"});
    INFO(bad.yaml);
    auto checklist = parse_checklist(bad.yaml, "c.yaml");
    REQUIRE_FALSE(checklist);
    CHECK(checklist.error().code == ExitCode::invalid_input);
    CHECK_THAT(checklist.error().message, Catch::Contains(bad.expected));
}

TEST_CASE("status ranges and JSON comparisons read as operators write them", "[probe]") {
    CHECK(parse_status_range("2xx")->high == 299);
    CHECK(parse_status_range("200-204")->high == 204);
    CHECK(parse_status_range("503")->low == 503);
    for (const char* text : {"20", "2000", "600", "299-200", "6xx", "abc", ""})
        CHECK_FALSE(parse_status_range(text));

    auto ready = parse_json_expectation(R"(/status == "ready")");
    REQUIRE(ready);
    CHECK(ready->value == "ready");
    auto backlog = parse_json_expectation("/backlog < 100");
    REQUIRE(backlog);
    CHECK(backlog->comparison == Comparison::less);
    CHECK(backlog->value == 100);
    CHECK(parse_json_expectation("/mode == maintenance")->value == "maintenance");
    CHECK(parse_json_expectation("/ok != true")->value == true);
    for (const char* text : {"status == 1", "/status", "/status ~ 1", "/status =="})
        CHECK_FALSE(parse_json_expectation(text));
    // A value nested 100,000 deep is refused, never walked; 128 levels are still a value.
    CHECK_FALSE(parse_json_expectation("/a == " + std::string(100000, '[')));
    CHECK_FALSE(
        parse_json_expectation("/a == " + std::string(100000, '[') + std::string(100000, ']')));
    auto deep = parse_json_expectation("/a == " + std::string(128, '[') + std::string(128, ']'));
    REQUIRE(deep);
    CHECK(deep->value.is_array());
}

TEST_CASE("probe timing uses Kubernetes' names", "[probe][checklist]") {
    auto checklist = parse_checklist(R"(checks:
  - name: api
    tcp: {host: 127.0.0.1, port: 80}
    initial_delay: 2s
    period: 5s
    success_threshold: 2
    failure_threshold: 3
    stable_for: 30s
    retries: 2
    backoff: 250ms
)",
                                     "c.yaml");
    REQUIRE(checklist);
    const auto& timing = checklist->checks[0].timing;
    CHECK(timing.initial_delay == std::chrono::seconds(2));
    CHECK(timing.period == std::chrono::seconds(5));
    CHECK(timing.success_threshold == 2);
    CHECK(timing.failure_threshold == 3);
    CHECK(timing.stable_for == std::chrono::seconds(30));
    CHECK(timing.retries == 2);
    CHECK(timing.backoff == std::chrono::milliseconds(250));

    auto bad = parse_checklist(
        "checks:\n  - name: a\n    tcp: {host: h, port: 1}\n"
        "    failure_threshold: 0\n",
        "c.yaml");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("c.yaml:4: checks[0].failure_threshold"));
}

// Found by fuzz/metric_answer: an expectation holding invalid UTF-8 made the failure message
// throw (nlohmann's dump) instead of saying what did not match.
TEST_CASE("a JSON expectation with invalid UTF-8 fails with a message, not an exception",
          "[probe][checklist]") {
    auto expectation = parse_json_expectation("/status == \"r\xf2\xf2\"");
    REQUIRE(expectation);
    launchkit::probe::HttpExpectation expect;
    expect.json.push_back(*expectation);
    launchkit::probe::HttpResponse response;
    response.status = 200;
    response.body = R"({"status": "ready"})";
    auto failure = launchkit::probe::find_http_failure(expect, response);
    REQUIRE(failure);
    CHECK_THAT(*failure, Catch::StartsWith("/status is \"ready\", expected == "));
}

// Found by fuzz/metric_answer: the pointer "/" against an array body made nlohmann's contains()
// throw (out_of_range 404) out of the check, which ends a probe's worker thread with terminate.
TEST_CASE("a JSON pointer that cannot index the body's array says it is missing",
          "[probe][checklist]") {
    for (const char* text : {"/ == 1", "/- == 1", "/01/ok == true", "/x == 1"}) {
        auto expectation = parse_json_expectation(text);
        REQUIRE(expectation);
        launchkit::probe::HttpExpectation expect;
        expect.json.push_back(*expectation);
        launchkit::probe::HttpResponse response;
        response.status = 200;
        response.body = R"([{"name": "db", "ok": true}])";
        auto failure = launchkit::probe::find_http_failure(expect, response);
        INFO(text);
        REQUIRE(failure);
        CHECK_THAT(*failure, Catch::EndsWith("is missing from the JSON body"));
    }
}

// HTTP probes against a real server on 127.0.0.1: every expectation, tokens, redirects, timeouts
// and concurrency.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "probe/checklist_runner.h"
#include "probe/http_probe.h"
#include "support/http_server.h"
#include "support/temp_dir.h"

using namespace launchkit::probe;
using launchkit::testing::TestHttpServer;

namespace {

Check http_check(const std::string& url, HttpExpectation expect = {}) {
    Check check;
    check.name = url;
    HttpProbe http;
    http.url = url;
    http.expect = std::move(expect);
    check.probe = http;
    return check;
}

ProbeResult probe_one(const Check& check) {
    auto results = run_http_probes({&check}, 4);
    REQUIRE(results.size() == 1);
    return results[0];
}

}  // namespace

TEST_CASE("status expectations: 2xx by default, or listed codes and ranges", "[probe][http]") {
    TestHttpServer server;
    auto healthy = probe_one(http_check(server.url("/health")));
    CHECK(healthy.passed);
    CHECK(healthy.http_status == 200);
    CHECK(healthy.detail == "HTTP 200");

    auto failing = probe_one(http_check(server.url("/fail")));
    CHECK_FALSE(failing.passed);
    CHECK(failing.detail == "status 503, expected 200-299");

    HttpExpectation maintenance;
    maintenance.statuses = {{503, 503}};
    CHECK(probe_one(http_check(server.url("/fail"), maintenance)).passed);

    auto missing = probe_one(http_check(server.url("/nope")));
    CHECK_THAT(missing.detail, Catch::Contains("status 404"));
}

TEST_CASE("body, regex, JSON Pointer and header expectations", "[probe][http]") {
    TestHttpServer server;
    HttpExpectation expect;
    expect.body_contains = {"ready"};
    expect.body_regex = R"("backlog":\s*\d+)";
    expect.json = {{"/status", Comparison::equal, "ready"},
                   {"/backlog", Comparison::less, 100},
                   {"/checks/db", Comparison::equal, true}};
    expect.headers = {{"content-type", "application/json"}};
    auto result = probe_one(http_check(server.url("/health"), expect));
    INFO(result.detail);
    CHECK(result.passed);

    auto starting = probe_one(http_check(server.url("/starting"), expect));
    CHECK_FALSE(starting.passed);
    CHECK(starting.detail == "body does not contain 'ready'");

    HttpExpectation json_only;
    json_only.json = {{"/status", Comparison::equal, "ready"}};
    CHECK(probe_one(http_check(server.url("/starting"), json_only)).detail ==
          R"(/status is "starting", expected == "ready")");
    json_only.json = {{"/backlog", Comparison::less, 100}};
    CHECK(probe_one(http_check(server.url("/starting"), json_only)).detail ==
          "/backlog is 250, expected < 100");
    json_only.json = {{"/missing", Comparison::equal, 1}};
    CHECK(probe_one(http_check(server.url("/health"), json_only)).detail ==
          "/missing is missing from the JSON body");
    CHECK(probe_one(http_check(server.url("/malformed"), json_only)).detail ==
          "body is not valid JSON");

    HttpExpectation header;
    header.headers = {{"X-Missing", ""}};
    CHECK(probe_one(http_check(server.url("/health"), header)).detail ==
          "header X-Missing is missing");
}

TEST_CASE("latency bounds and timeouts", "[probe][http]") {
    TestHttpServer server;
    HttpExpectation fast;
    fast.max_latency = std::chrono::milliseconds(50);
    auto slow = probe_one(http_check(server.url("/slow"), fast));
    CHECK_FALSE(slow.passed);
    CHECK_THAT(slow.detail, Catch::Contains("expected at most 50 ms"));

    auto check = http_check(server.url("/slow"));
    check.timeout = std::chrono::milliseconds(100);
    auto timed_out = probe_one(check);
    CHECK_FALSE(timed_out.passed);
    CHECK(timed_out.detail == "timed out after 100 ms");
}

TEST_CASE("redirects are not followed unless asked", "[probe][http]") {
    TestHttpServer server;
    auto check = http_check(server.url("/redirect"));
    CHECK(probe_one(check).detail == "status 302, expected 200-299");
    std::get<HttpProbe>(check.probe).follow_redirects = true;
    CHECK(probe_one(check).passed);
}

TEST_CASE("a bearer token comes from the environment or a file and is never shown",
          "[probe][http]") {
    TestHttpServer server;
    auto check = http_check(server.url("/protected"));
    auto& http = std::get<HttpProbe>(check.probe);
    CHECK(probe_one(check).detail == "status 401, expected 200-299");

    http.token_env = "LAUNCHKIT_TEST_PROBE_TOKEN";
    ::unsetenv("LAUNCHKIT_TEST_PROBE_TOKEN");
    CHECK(probe_one(check).detail == "token_env LAUNCHKIT_TEST_PROBE_TOKEN is not set");
    ::setenv("LAUNCHKIT_TEST_PROBE_TOKEN", TestHttpServer::token, 1);
    auto with_token = probe_one(check);
    CHECK(with_token.passed);
    CHECK_THAT(with_token.detail, !Catch::Contains(TestHttpServer::token));
    ::unsetenv("LAUNCHKIT_TEST_PROBE_TOKEN");
}

TEST_CASE("methods, bodies and headers are sent as configured", "[probe][http]") {
    TestHttpServer server;
    HttpExpectation expect;
    expect.body_contains = {"POST payload yes"};
    auto check = http_check(server.url("/echo"), expect);
    auto& http = std::get<HttpProbe>(check.probe);
    http.method = "POST";
    http.body = "payload";
    http.headers = {{"X-Probe", "yes"}};
    auto result = probe_one(check);
    INFO(result.detail);
    CHECK(result.passed);
}

TEST_CASE("probes run concurrently, bounded by parallel", "[probe][http]") {
    TestHttpServer server;
    std::vector<Check> checks;
    for (int i = 0; i < 12; ++i) checks.push_back(http_check(server.url("/slow")));
    std::vector<const Check*> pointers;
    for (const auto& check : checks) pointers.push_back(&check);
    auto results = run_http_probes(pointers, 4);
    for (const auto& result : results) CHECK(result.passed);
    CHECK(server.max_concurrent_slow() > 1);
    CHECK(server.max_concurrent_slow() <= 4);
}

TEST_CASE("a refused connection is a failed check, not an error", "[probe][http]") {
    auto result = probe_one(http_check("http://127.0.0.1:9/health"));
    CHECK_FALSE(result.passed);
    CHECK_THAT(result.detail, Catch::Contains("request failed"));
}

TEST_CASE("TLS is verified by default, a CA file or --insecure accepts a self-signed server",
          "[probe][http][tls]") {
    launchkit::testing::TempDir dir;
    auto [certificate, key] = launchkit::testing::make_self_signed_certificate(dir.path());
    TestHttpServer server(certificate, key);
    auto check = http_check(server.url("/health"));
    auto untrusted = probe_one(check);
    CHECK_FALSE(untrusted.passed);
    CHECK_THAT(untrusted.detail,
               Catch::Contains("request failed") && Catch::Contains("certificate"));

    auto& http = std::get<HttpProbe>(check.probe);
    http.ca_file = certificate;
    auto trusted = probe_one(check);
    INFO(trusted.detail);
    CHECK(trusted.passed);

    http.ca_file.clear();
    http.verify_tls = false;
    CHECK(probe_one(check).passed);
}

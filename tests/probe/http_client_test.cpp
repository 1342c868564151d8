// The one HTTP client and token lookup, against a real server on 127.0.0.1: the status comes
// back whatever it is, a 2xx is required where asked, a token travels as a bearer header and is
// never in a message, and no answer is an error naming the URL.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "probe/http_client.h"
#include "support/http_server.h"
#include "support/temp_dir.h"

using namespace launchkit::probe;
using launchkit::ExitCode;
using launchkit::testing::TempDir;
using launchkit::testing::TestHttpServer;

TEST_CASE("a token comes from a variable or a file, and its absence is named", "[probe][http]") {
    TempDir dir;
    ::unsetenv("LAUNCHKIT_TEST_CLIENT_TOKEN");
    CHECK(read_token({}).value() == "");
    auto unset = read_token({"LAUNCHKIT_TEST_CLIENT_TOKEN"});
    REQUIRE_FALSE(unset);
    CHECK(unset.error().code == ExitCode::environment);
    CHECK(unset.error().message == "token_env LAUNCHKIT_TEST_CLIENT_TOKEN is not set");
    ::setenv("LAUNCHKIT_TEST_CLIENT_TOKEN", "from-env", 1);
    CHECK(read_token({"LAUNCHKIT_TEST_CLIENT_TOKEN"}).value() == "from-env");
    ::unsetenv("LAUNCHKIT_TEST_CLIENT_TOKEN");

    CHECK(read_token({"", dir.write("token", "  from-file\n")}).value() == "from-file");
    auto empty = read_token({"", dir.write("empty", "\n")});
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == "token_file " + (dir.path() / "empty").string() + " is empty");
    CHECK_FALSE(read_token({"", dir.path() / "missing"}));
}

TEST_CASE("one request: any status comes back, a 2xx is required where asked", "[probe][http]") {
    TestHttpServer server;
    HttpRequest request;
    request.url = server.url("/fail");
    auto failing = send_http(request);
    REQUIRE(failing);
    CHECK(failing->status == 503);
    CHECK(failing->body == "unavailable");
    auto refused = fetch_ok(request);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ExitCode::environment);
    CHECK(refused.error().message == server.url("/fail") + " answered HTTP 503");

    request.url = server.url("/protected");
    CHECK_FALSE(fetch_ok(request));
    request.bearer_token = TestHttpServer::token;
    auto allowed = fetch_ok(request);
    REQUIRE(allowed);
    CHECK(allowed->find("outbox_age_seconds") != std::string::npos);

    request = HttpRequest{};
    request.method = "POST";
    request.url = server.url("/echo");
    request.body = "{\"a\":1}";
    request.headers = {{"X-Probe", "yes"}};
    CHECK(fetch_ok(request).value() == "POST {\"a\":1} yes");
}

TEST_CASE("no answer is an error naming the URL, never the token", "[probe][http]") {
    std::string url;
    {
        TestHttpServer server;  // a port that was just free: nothing listens after this
        url = server.url("/health");
    }
    HttpRequest request;
    request.url = url;
    request.bearer_token = "do-not-print-me";
    request.timeout = std::chrono::milliseconds(2000);
    auto unreachable = send_http(request);
    REQUIRE_FALSE(unreachable);
    CHECK(unreachable.error().code == ExitCode::environment);
    CHECK(unreachable.error().message.starts_with("cannot reach " + url + ": request failed"));
    CHECK(unreachable.error().message.find("do-not-print-me") == std::string::npos);
}

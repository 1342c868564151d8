// Reading metrics: the Prometheus text format and its selectors.
#include <catch2/catch.hpp>

#include "probe/slo.h"
#include "support/http_server.h"
#include "support/prometheus_server.h"

using namespace launchkit;
using namespace launchkit::probe;
using launchkit::testing::TestHttpServer;

TEST_CASE("the Prometheus text format: labels, escapes, timestamps, NaN", "[probe][slo]") {
    auto samples = parse_prometheus_text(
        "# TYPE x gauge\n"
        "x{a=\"1\",b=\"say \\\"hi\\\"\"} 2.5\n"
        "y 3 1700000000000\n"
        "z NaN\n\n");
    REQUIRE(samples);
    REQUIRE(samples->size() == 3);
    CHECK((*samples)[0].labels.at("b") == "say \"hi\"");
    CHECK((*samples)[0].value == 2.5);
    CHECK((*samples)[1].value == 3);
    CHECK(std::isnan((*samples)[2].value));

    auto bad = parse_prometheus_text("ok 1\nbroken{a=\"1\" 2\n");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("line 2"));
    CHECK_FALSE(parse_prometheus_text("x one\n"));

    auto selector = parse_selector(R"(x{a="1"})");
    REQUIRE(selector);
    CHECK(select_samples(*samples, *selector).size() == 1);
    CHECK(select_samples(*samples, *parse_selector("x")).size() == 1);
    CHECK(select_samples(*samples, *parse_selector(R"(x{a="2"})")).empty());
    CHECK_FALSE(parse_selector("bad name"));
    CHECK_FALSE(parse_selector(R"(x{a=1})"));
}

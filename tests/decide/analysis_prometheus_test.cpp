// The canary judge reading both sides from a real Prometheus through range queries.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "decide/analysis.h"
#include "support/http_server.h"
#include "support/prometheus_server.h"

using namespace launchkit::decide;

TEST_CASE("canary metrics from Prometheus range queries (query_range)", "[decide][prometheus]") {
    launchkit::testing::TestHttpServer exporter;
    launchkit::testing::PrometheusServer prometheus("127.0.0.1:" + std::to_string(exporter.port()));
    auto rules = parse_decision_rules(fmt::format(R"(
sources:
  prom: {{prometheus: '{}'}}
metrics:
  canary_latency: {{source: prom, query: 'max(latency_p95_ms{{job="app"}})'}}
  baseline_latency: {{source: prom, query: 'max(latency_p95_ms{{job="app"}})'}}
  nothing: {{source: prom, query: 'not_a_metric'}}
canary:
  window: 20s
  step: 1s
  metrics:
    - {{name: latency, direction: increase, canary: canary_latency, baseline: baseline_latency}}
    - {{name: gone, canary: nothing, baseline: baseline_latency}}
analysis: {{count: 1}}
)",
                                                  prometheus.url()),
                                      "rules.yaml");
    REQUIRE(rules);
    auto decision = run_analysis(*rules, {});
    REQUIRE(decision);
    REQUIRE(decision->canary);
    const auto& latency = decision->canary->metrics[0];
    INFO(latency.reason);
    CHECK(latency.canary_count >= 1);
    CHECK(latency.canary_count == latency.baseline_count);
    CHECK(*latency.canary_mean == 312.5);
    CHECK(latency.classification == MetricClass::pass);
    // A query answering no series is no data, never a pass.
    CHECK(decision->canary->metrics[1].classification == MetricClass::nodata);
    CHECK(decision->verdict == Verdict::promote);
}

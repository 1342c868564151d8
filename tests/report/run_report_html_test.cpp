#include "report/run_report_html.h"

#include <random>
#include <regex>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "decide/canary_judge.h"
#include "report/svg_chart.h"

using namespace launchkit;

namespace {

std::vector<double> normal_values(unsigned seed, size_t count, double mean, double sd) {
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(mean, sd);
    std::vector<double> values(count);
    for (auto& value : values) value = normal(random);
    return values;
}

size_t count_of(const std::string& text, const std::string& needle) {
    size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++count;
    return count;
}

// The x attribute `attribute` of the first element that carries class `css_class`.
double x_of(const std::string& svg, const std::string& css_class, const std::string& attribute) {
    auto at = svg.find("class=\"" + css_class + "\"");
    REQUIRE(at != std::string::npos);
    std::smatch match;
    auto rest = svg.substr(at, 200);
    REQUIRE(std::regex_search(rest, match, std::regex(attribute + "=\"([-0-9.]+)\"")));
    return std::stod(match[1]);
}

playbook::RunState canary_run() {
    playbook::RunState state;
    playbook::RunStarted started;
    started.time = "2026-12-04T10:00:00.000Z";
    started.run_id = "run-1";
    started.playbook = "api-canary";
    started.version = "5.1.0";
    started.env = "production";
    started.previous_version = "5.0.0";
    started.actor = "oncall";
    playbook::apply(state, started);
    playbook::apply(state, playbook::StepStarted{"2026-12-04T10:00:01.000Z", "canary",
                                                 playbook::StepPhase::forward, "deploy"});
    return state;
}

}  // namespace

TEST_CASE("a canary gate's report draws each metric's samples side by side with the shift",
          "[report]") {
    decide::CanaryMetric latency;
    latency.name = "latency <p95>";  // drawn as text, never as markup
    latency.group = "latency";
    latency.direction = decide::Direction::increase;
    decide::CanaryMetric errors = latency;
    errors.name = "errors";
    errors.group = "errors";
    std::map<std::string, std::vector<double>> canary{{latency.name, normal_values(1, 40, 260, 10)},
                                                      {errors.name, normal_values(2, 300, 1, 0.2)}};
    std::map<std::string, std::vector<double>> baseline{
        {latency.name, normal_values(3, 40, 200, 10)},
        {errors.name, normal_values(4, 300, 1, 0.2)}};
    auto judgement = decide::judge_canary({latency, errors}, canary, baseline, {});
    REQUIRE(judgement.metrics[0].classification == decide::MetricClass::high);
    nlohmann::json decision = {{"verdict", "rollback"}, {"canary", decide::to_json(judgement)}};
    auto state = canary_run();
    std::vector<playbook::RunEvent> events{playbook::GateDecided{"2026-12-04T10:00:30.000Z",
                                                                 "canary", "canary@25%", "rollback",
                                                                 judgement.reason, decision}};
    auto html = report::render_run_report(state, events);

    CHECK(count_of(html, "<svg class=\"chart distribution-chart\"") == 2);
    CHECK(html.find("latency <p95>") == std::string::npos);
    CHECK_THAT(html, Catch::Contains("latency &lt;p95&gt;: canary against baseline"));
    const auto& high = judgement.metrics[0];
    CHECK_THAT(html, Catch::Contains(fmt::format("Mann-Whitney U = {:.4g}", *high.u)) &&
                         Catch::Contains("at 98% confidence"));

    auto start = html.find("<svg class=\"chart distribution-chart\"");
    auto svg = html.substr(start, html.find("</svg>", start) - start);
    CHECK(count_of(svg, "class=\"dot canary\"") == 40);
    CHECK(count_of(svg, "class=\"dot baseline\"") == 40);
    CHECK_THAT(svg, Catch::Contains("canary (n=40)") && Catch::Contains("baseline (n=40)"));
    // The interval sits where the baseline's median moved by the shift would: on the canary's.
    double canary_median = x_of(svg, "median canary", "x1");
    double baseline_median = x_of(svg, "median baseline", "x1");
    double estimate = x_of(svg, "estimate", "cx");
    CHECK(canary_median - baseline_median > 200);
    CHECK(std::abs(estimate - canary_median) < 30);
    CHECK(x_of(svg, "reference", "x1") == Approx(baseline_median).margin(0.1));
    CHECK(x_of(svg, "interval", "x1") < estimate);
    CHECK(x_of(svg, "interval", "x2") > estimate);

    // 300 values a side are drawn as 200 quantiles.
    auto second = html.find("<svg class=\"chart distribution-chart\"", start + 1);
    auto errors_svg = html.substr(second, html.find("</svg>", second) - second);
    CHECK(count_of(errors_svg, "class=\"dot canary\"") == decide::summary_values_limit);
    CHECK_THAT(errors_svg, Catch::Contains("canary (n=300)"));
}

TEST_CASE("a distribution chart with one value, or none, still draws an axis", "[report]") {
    report::DistributionChart chart;
    chart.title = "one value";
    chart.samples.push_back({"canary", "canary", 1, 5, 5, 5, 5, 5, {5}});
    auto svg = report::render_distributions(chart);
    CHECK(count_of(svg, "class=\"tick\"") >= 2);
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
    CHECK_THAT(report::render_distributions({}), Catch::Contains("no data"));
}

TEST_CASE("a line chart of one measurement puts it in the middle of a labelled axis", "[report]") {
    report::LineChart chart;
    chart.title = "one measurement";
    chart.series.push_back({"error_rate", {{12.5, 0.12}}, "value", false, true});
    auto svg = report::render_line_chart(chart);
    CHECK(x_of(svg, "dot value", "cx") == Approx(56 + (640 - 56 - 30) / 2.0).margin(0.1));
    CHECK_THAT(svg, Catch::Contains(">+0s</text>") && !Catch::Contains("+1s") &&
                        Catch::Contains("error_rate at +0s: 0.12"));
    // A threshold known at that one moment is drawn across the whole axis.
    chart.series.push_back({"threshold", {{12.5, 0.05}}, "threshold", true, false});
    CHECK_THAT(report::render_line_chart(chart),
               Catch::Contains("class=\"series threshold\" d=\"M56.0,"));
}

// A journal edited by hand, damaged, or written by an older version: every member of a gate's
// decision may be missing or of another type. value() threw on a member that was not an object,
// and operator[] on a missing key of a const object is undefined.
TEST_CASE("a gate decision with missing or mistyped members still draws its report", "[report]") {
    auto decision = nlohmann::json::parse(R"({
      "verdict": "rollback",
      "thresholds": [5, {"rule": 7, "metric": ["m"], "history": [{"at": 3}, 4, {"value": "x"},
                                                                  {"at": "2026-12-04T10:00:05Z", "value": 2}]},
                     {"history": {"at": 1}, "successes": "two"}],
      "canary": {"metrics": [1, {"metric": 5, "canary_sample": {"count": "x"}}, {}],
                 "confidence": "high", "score": null}})");
    auto state = canary_run();
    std::vector<playbook::RunEvent> events{playbook::GateDecided{
        "2026-12-04T10:00:30.000Z", "canary", "canary@25%", "rollback", "edited", decision}};
    std::string html;
    REQUIRE_NOTHROW(html = report::render_run_report(state, events));
    CHECK_THAT(html, Catch::Contains("Gate canary@25%") && Catch::Contains("Canary analysis"));
    // And with no canary member at all, as a thresholds-only gate's decision may be written.
    events = {playbook::GateDecided{"2026-12-04T10:00:30.000Z", "canary", "canary@25%", "continue",
                                    "fine", nlohmann::json::parse(R"({"verdict": 1})")}};
    REQUIRE_NOTHROW(html = report::render_run_report(state, events));
    CHECK(html.find("Canary analysis") == std::string::npos);
}

#include "decide/canary_judge.h"

#include <cmath>
#include <random>

#include <catch2/catch.hpp>

using namespace launchkit::decide;

namespace {

std::vector<double> normal_sample(unsigned seed, size_t count, double mean, double sd) {
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(mean, sd);
    std::vector<double> values(count);
    for (auto& value : values) value = normal(random);
    return values;
}

CanaryMetric metric(std::string name, std::string group, Direction direction) {
    CanaryMetric result;
    result.name = std::move(name);
    result.group = std::move(group);
    result.direction = direction;
    return result;
}

}  // namespace

TEST_CASE("a canary whose latency clearly rose is High, with the numbers that say so", "[decide]") {
    auto baseline = normal_sample(1, 120, 200, 20);
    auto canary = normal_sample(2, 120, 260, 20);
    auto judgement = classify_metric(metric("latency_p95", "latency", Direction::increase), canary,
                                     baseline, {});
    CHECK(judgement.classification == MetricClass::high);
    CHECK(judgement.failed);
    CHECK(*judgement.estimate == Approx(60).margin(10));
    CHECK(*judgement.lower > 0.25 * *judgement.estimate);
    CHECK(*judgement.effect_size == Approx(1.3).margin(0.05));
    CHECK(*judgement.p_value < 1e-10);
    CHECK(judgement.canary_count == 120);
    CHECK_THAT(judgement.reason, Catch::Contains("canary higher"));
}

TEST_CASE("direction decides which change fails", "[decide]") {
    auto baseline = normal_sample(3, 100, 200, 20);
    auto canary = normal_sample(4, 100, 150, 20);
    CHECK(classify_metric(metric("latency", "g", Direction::increase), canary, baseline, {})
              .classification == MetricClass::pass);
    CHECK(classify_metric(metric("latency", "g", Direction::decrease), canary, baseline, {})
              .classification == MetricClass::low);
    CHECK(classify_metric(metric("latency", "g", Direction::either), canary, baseline, {})
              .classification == MetricClass::low);
}

TEST_CASE("the allowed increase ignores significant but small effects", "[decide]") {
    auto baseline = normal_sample(5, 2000, 100, 5);
    auto canary = normal_sample(6, 2000, 105, 5);  // 5 % higher, very significant
    auto strict = metric("cpu", "system", Direction::increase);
    CHECK(classify_metric(strict, canary, baseline, {}).classification == MetricClass::high);
    auto lenient = strict;
    lenient.allowed_increase = 1.1;
    auto judgement = classify_metric(lenient, canary, baseline, {});
    CHECK(judgement.classification == MetricClass::pass);
    CHECK_THAT(judgement.reason, Catch::Contains("allowed"));
}

TEST_CASE("identical and noisy-but-equal samples pass", "[decide]") {
    auto baseline = normal_sample(7, 60, 50, 10);
    auto canary = normal_sample(8, 60, 50, 10);
    auto judgement =
        classify_metric(metric("errors", "e", Direction::either), canary, baseline, {});
    CHECK(judgement.classification == MetricClass::pass);
    CHECK(*judgement.lower <= 0.0);
    CHECK(*judgement.upper >= 0.0);
    std::vector<double> same(10, 3.0);
    CHECK(classify_metric(metric("x", "e", Direction::either), same, same, {}).classification ==
          MetricClass::pass);
}

TEST_CASE("NaN samples are removed or replaced, outliers fenced out", "[decide]") {
    std::vector<double> baseline{1, 1, 1, 1, 1, 1, 1, 1};
    std::vector<double> canary{NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    auto removed =
        classify_metric(metric("errors", "e", Direction::increase), canary, baseline, {});
    CHECK(removed.classification == MetricClass::nodata);
    CHECK_FALSE(removed.failed);
    auto replacing = metric("errors", "e", Direction::increase);
    replacing.nan_strategy = NanStrategy::replace_with_zero;
    CHECK(classify_metric(replacing, canary, baseline, {}).classification == MetricClass::pass);
    // One wild sample in an otherwise equal canary is an outlier, not a regression.
    auto base = normal_sample(9, 30, 100, 1);
    auto spiky = normal_sample(10, 30, 100, 1);
    spiky[0] = 10'000;
    auto fenced = classify_metric(metric("latency", "l", Direction::increase), spiky, base, {});
    CHECK(fenced.canary_outliers == 1);
    CHECK(fenced.classification == MetricClass::pass);
}

TEST_CASE("scores weigh groups, a failing critical metric forces zero", "[decide]") {
    std::vector<CanaryMetric> metrics{metric("errors", "errors", Direction::increase),
                                      metric("latency", "latency", Direction::increase),
                                      metric("cpu", "system", Direction::increase),
                                      metric("memory", "system", Direction::increase)};
    auto good = normal_sample(11, 100, 10, 1);
    auto same = normal_sample(12, 100, 10, 1);
    auto worse = normal_sample(13, 100, 20, 1);
    std::map<std::string, std::vector<double>> baseline{
        {"errors", good}, {"latency", good}, {"cpu", good}, {"memory", good}};
    std::map<std::string, std::vector<double>> canary{
        {"errors", same}, {"latency", same}, {"cpu", same}, {"memory", worse}};
    CanaryJudgeSettings settings;
    settings.group_weights = {{"errors", 50}, {"latency", 30}, {"system", 20}};
    auto judgement = judge_canary(metrics, canary, baseline, settings);
    // system: 1 of 2 passed → 50 × 0.2 = 10; the rest 80: 90 in all, marginal.
    CHECK(judgement.score == Approx(90));
    CHECK(judgement.outcome == CanaryOutcome::marginal);
    metrics[3].critical = true;
    judgement = judge_canary(metrics, canary, baseline, settings);
    CHECK(judgement.score == 0);
    CHECK(judgement.outcome == CanaryOutcome::fail);
    CHECK_THAT(judgement.reason, Catch::Contains("critical metric memory"));
    canary["memory"] = same;
    judgement = judge_canary(metrics, canary, baseline, settings);
    CHECK(judgement.score == Approx(100));
    CHECK(judgement.outcome == CanaryOutcome::pass);
    auto json = to_json(judgement);
    CHECK(json["metrics"].size() == 4);
    CHECK(json["metrics"][0].contains("p_value"));
}

TEST_CASE("no data is NODATA, never a pass, must_have_data makes it a failure", "[decide]") {
    std::vector<CanaryMetric> metrics{metric("errors", "errors", Direction::increase)};
    auto judgement = judge_canary(metrics, {}, {{"errors", {1, 2, 3}}}, {});
    CHECK(judgement.outcome == CanaryOutcome::nodata);
    metrics.push_back(metric("latency", "latency", Direction::increase));
    auto values = normal_sample(14, 50, 10, 1);
    judgement = judge_canary(metrics, {{"latency", values}}, {{"latency", values}}, {});
    CHECK(judgement.outcome == CanaryOutcome::pass);  // errors left out: its group has no data
    CHECK(judgement.groups[0].score == std::nullopt);
    metrics[0].must_have_data = true;
    judgement = judge_canary(metrics, {{"latency", values}}, {{"latency", values}}, {});
    CHECK(judgement.score == Approx(50));
    CHECK(judgement.outcome == CanaryOutcome::fail);
}

TEST_CASE("a judgement keeps the samples it compared, thinned to 200 quantiles", "[decide]") {
    auto baseline = normal_sample(3, 30, 100, 5);
    baseline.push_back(std::nan(""));
    baseline.push_back(10000);  // far out: removed before the test, and from the summary
    auto canary = normal_sample(4, 1000, 130, 5);
    auto judgement =
        classify_metric(metric("latency", "latency", Direction::increase), canary, baseline, {});
    REQUIRE(judgement.baseline_sample);
    REQUIRE(judgement.canary_sample);
    const auto& base = *judgement.baseline_sample;
    CHECK(base.count == 30);
    CHECK(base.values.size() == 30);
    CHECK(std::is_sorted(base.values.begin(), base.values.end()));
    CHECK(base.max < 10000);
    CHECK(base.min == base.values.front());
    CHECK(base.max == base.values.back());
    CHECK(base.q1 <= base.median);
    CHECK(base.median <= base.q3);
    const auto& thinned = *judgement.canary_sample;
    CHECK(thinned.count == judgement.canary_count);
    REQUIRE(thinned.values.size() == summary_values_limit);
    CHECK(thinned.values.front() == thinned.min);
    CHECK(thinned.values.back() == thinned.max);
    CHECK(thinned.values[100] == Approx(thinned.median).margin(0.2));
    auto json = to_json(judgement);
    CHECK(json["canary_sample"]["values"].size() == summary_values_limit);
    CHECK(json["baseline_sample"]["count"] == 30);
    // No data: nothing to draw, said as null.
    auto empty = classify_metric(metric("errors", "errors", Direction::increase), {}, baseline, {});
    CHECK_FALSE(empty.canary_sample);
    CHECK(to_json(empty)["canary_sample"].is_null());
}

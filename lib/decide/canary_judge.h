// Statistical canary analysis as Kayenta's NetflixACAJudge does it: each metric's canary samples
// are compared with the baseline's by a Mann-Whitney test and the Hodges-Lehmann interval, the
// metrics are scored by group, and the score decides pass, marginal or fail. Every number that
// led to a classification is kept so that a person can see why.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decide/sample_statistics.h"

namespace launchkit::decide {

// Which change of a metric is bad.
enum class Direction { increase, decrease, either };
std::string_view to_string(Direction direction);

struct CanaryMetric {
    std::string name{};
    std::string group{};
    Direction direction = Direction::either;
    NanStrategy nan_strategy = NanStrategy::remove;
    bool remove_outliers = true;
    double outlier_factor = 3.0;
    // Mean(canary)/mean(baseline) must reach these for a significant change to count (Kayenta's
    // effect-size thresholds: 1.1 ignores increases under 10 %).
    double allowed_increase = 1.0;
    double allowed_decrease = 1.0;
    bool critical = false;        // failing it fails the whole analysis
    bool must_have_data = false;  // no data fails it instead of leaving it out
};

struct CanaryJudgeSettings {
    double confidence = 0.98;
    double tolerance = 0.25;  // the interval must clear tolerance·|estimate| to count
    double pass_score = 95;
    double marginal_score = 75;
    std::map<std::string, double> group_weights{};  // empty: groups weigh the same
};

enum class MetricClass { pass, high, low, nodata };
std::string_view to_string(MetricClass classification);

struct MetricJudgement {
    CanaryMetric metric{};
    MetricClass classification = MetricClass::nodata;
    bool failed = false;  // high, low, or no data where data is required
    std::string reason{};
    size_t canary_count = 0;  // after NaN handling and outlier removal
    size_t baseline_count = 0;
    size_t canary_outliers = 0;
    size_t baseline_outliers = 0;
    std::optional<double> canary_mean{};
    std::optional<double> baseline_mean{};
    std::optional<double> effect_size{};  // mean ratio canary/baseline
    std::optional<double> estimate{};     // Hodges-Lehmann shift canary − baseline
    std::optional<double> lower{};
    std::optional<double> upper{};
    std::optional<double> u{};
    std::optional<double> p_value{};
    // What the test compared (after NaN handling and outlier removal), for reports to draw.
    std::optional<SampleSummary> canary_sample{};
    std::optional<SampleSummary> baseline_sample{};
};

enum class CanaryOutcome { pass, marginal, fail, nodata };
std::string_view to_string(CanaryOutcome outcome);

struct GroupScore {
    std::string name{};
    double weight = 0;
    std::optional<double> score{};  // 0..100; none when no metric of the group had data
    int passed = 0;
    int judged = 0;
};

struct CanaryJudgement {
    std::vector<MetricJudgement> metrics{};
    std::vector<GroupScore> groups{};
    double score = 0;
    CanaryOutcome outcome = CanaryOutcome::nodata;
    std::string reason{};
    double confidence = 0;  // of every metric's interval
    double tolerance = 0;
};

MetricJudgement classify_metric(const CanaryMetric& metric, const std::vector<double>& canary,
                                const std::vector<double>& baseline,
                                const CanaryJudgeSettings& settings);

// Samples are looked up by metric name; a metric missing from either map has no data.
CanaryJudgement judge_canary(const std::vector<CanaryMetric>& metrics,
                             const std::map<std::string, std::vector<double>>& canary,
                             const std::map<std::string, std::vector<double>>& baseline,
                             const CanaryJudgeSettings& settings);

nlohmann::json to_json(const MetricJudgement& judgement);
nlohmann::json to_json(const CanaryJudgement& judgement);

}  // namespace launchkit::decide

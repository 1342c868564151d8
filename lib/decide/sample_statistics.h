// Descriptive statistics over one metric's samples, and the clean-up the canary judge applies
// before comparing them (NaN handling and Tukey's outlier fences).
#pragma once

#include <span>
#include <vector>

namespace launchkit::decide {

double mean(std::span<const double> values);
// The q-quantile (0..1) with linear interpolation between order statistics (R's type 7, NumPy's
// default); `sorted` must be ascending and non-empty.
double quantile_of_sorted(std::span<const double> sorted, double q);
double median(std::vector<double> values);

// A sample as a report draws it: the five-number summary, and the values themselves in order,
// thinned to evenly spaced quantiles when there are more than a chart can show.
struct SampleSummary {
    size_t count = 0;
    double min = 0;
    double q1 = 0;
    double median = 0;
    double q3 = 0;
    double max = 0;
    std::vector<double> values{};  // ascending; all of them, or `max_values` quantiles
};
constexpr size_t summary_values_limit = 200;
// `values` non-empty and free of NaN.
SampleSummary summarize_sample(std::span<const double> values,
                               size_t max_values = summary_values_limit);

// What to do with NaN samples (a scrape that failed, a division by zero in the query).
enum class NanStrategy { remove, replace_with_zero };
std::vector<double> handle_nan(std::span<const double> values, NanStrategy strategy);

// Keeps the values inside [Q1 - factor·IQR, Q3 + factor·IQR] (Tukey's fences; Kayenta's judge
// uses factor 3.0, "far out" values only). Order is kept.
std::vector<double> remove_outliers(std::span<const double> values, double factor);

}  // namespace launchkit::decide

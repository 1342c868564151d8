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

// What to do with NaN samples (a scrape that failed, a division by zero in the query).
enum class NanStrategy { remove, replace_with_zero };
std::vector<double> handle_nan(std::span<const double> values, NanStrategy strategy);

// Keeps the values inside [Q1 - factor·IQR, Q3 + factor·IQR] (Tukey's fences; Kayenta's judge
// uses factor 3.0, "far out" values only). Order is kept.
std::vector<double> remove_outliers(std::span<const double> values, double factor);

}  // namespace launchkit::decide

#include "decide/sample_statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace launchkit::decide {

double mean(std::span<const double> values) {
    if (values.empty()) return std::nan("");
    // Pairwise-free but compensated: long series of similar values (latencies) stay exact enough.
    long double sum = std::accumulate(values.begin(), values.end(), 0.0L);
    return static_cast<double>(sum / static_cast<long double>(values.size()));
}

double quantile_of_sorted(std::span<const double> sorted, double q) {
    double position = q * static_cast<double>(sorted.size() - 1);
    auto below = static_cast<size_t>(std::floor(position));
    auto above = std::min(below + 1, sorted.size() - 1);
    double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

double median(std::vector<double> values) {
    if (values.empty()) return std::nan("");
    std::sort(values.begin(), values.end());
    return quantile_of_sorted(values, 0.5);
}

SampleSummary summarize_sample(std::span<const double> values, size_t max_values) {
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    SampleSummary summary;
    summary.count = sorted.size();
    if (sorted.empty()) return summary;
    summary.min = sorted.front();
    summary.q1 = quantile_of_sorted(sorted, 0.25);
    summary.median = quantile_of_sorted(sorted, 0.5);
    summary.q3 = quantile_of_sorted(sorted, 0.75);
    summary.max = sorted.back();
    if (sorted.size() <= max_values || max_values < 2) {
        summary.values = std::move(sorted);
        return summary;
    }
    summary.values.reserve(max_values);
    for (size_t i = 0; i < max_values; ++i)
        summary.values.push_back(quantile_of_sorted(
            sorted, static_cast<double>(i) / static_cast<double>(max_values - 1)));
    return summary;
}

std::vector<double> handle_nan(std::span<const double> values, NanStrategy strategy) {
    std::vector<double> kept;
    kept.reserve(values.size());
    for (double value : values) {
        if (!std::isnan(value))
            kept.push_back(value);
        else if (strategy == NanStrategy::replace_with_zero)
            kept.push_back(0.0);
    }
    return kept;
}

std::vector<double> remove_outliers(std::span<const double> values, double factor) {
    if (values.size() < 4) return {values.begin(), values.end()};  // no meaningful quartiles
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    double q1 = quantile_of_sorted(sorted, 0.25);
    double q3 = quantile_of_sorted(sorted, 0.75);
    double spread = q3 - q1;
    double low = q1 - factor * spread;
    double high = q3 + factor * spread;
    std::vector<double> kept;
    kept.reserve(values.size());
    for (double value : values)
        if (value >= low && value <= high) kept.push_back(value);
    return kept;
}

}  // namespace launchkit::decide

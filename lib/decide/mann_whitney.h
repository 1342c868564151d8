// The Mann-Whitney U (Wilcoxon rank-sum) test and the Hodges-Lehmann shift estimate with its
// confidence interval: the statistics behind the canary judge. U and the p-value follow
// scipy.stats.mannwhitneyu (two-sided, continuity correction, tie-corrected variance, 'auto'
// choosing the exact distribution when one sample has at most 8 values and nothing is tied).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace launchkit::decide {

enum class MannWhitneyMethod { automatic, exact, asymptotic };

struct MannWhitneyResult {
    double u = 0;        // U of the first sample: the number of pairs where it is larger (ties ½)
    double p_value = 1;  // two-sided
    double z = 0;        // the standardized statistic (asymptotic method only)
    bool exact = false;  // the exact null distribution was used
};

// Both samples non-empty and free of NaN (the judge removes or replaces NaN first).
MannWhitneyResult mann_whitney_u(std::span<const double> first, std::span<const double> second,
                                 MannWhitneyMethod method = MannWhitneyMethod::automatic);

// The Hodges-Lehmann estimate of the shift first − second (the median of all pairwise
// differences) and a confidence interval from the order statistics of those differences, their
// ranks taken from U's null distribution (exact for small untied samples, else normal).
struct ShiftEstimate {
    double estimate = 0;
    double lower = 0;
    double upper = 0;
    double confidence = 0;
};
ShiftEstimate hodges_lehmann(std::span<const double> first, std::span<const double> second,
                             double confidence);

// The k-th smallest (1-based) of the n·m differences a[i] − b[j] of two ascending samples, found
// without forming them: O((n + m) · 64).
double kth_pairwise_difference(std::span<const double> sorted_first,
                               std::span<const double> sorted_second, std::uint64_t k);

// The standard normal distribution's upper tail and quantile.
double normal_survival(double z);
double normal_quantile(double p);

}  // namespace launchkit::decide

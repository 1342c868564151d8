#include "decide/mann_whitney.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <thread>

namespace launchkit::decide {
namespace {

// Large samples are sorted on two threads: the sort is nearly all of the test's time.
void sort_both(std::vector<double>& first, std::vector<double>& second) {
    constexpr size_t parallel_from = 200'000;
    if (first.size() + second.size() < parallel_from) {
        std::sort(first.begin(), first.end());
        std::sort(second.begin(), second.end());
        return;
    }
    std::thread worker([&first] { std::sort(first.begin(), first.end()); });
    std::sort(second.begin(), second.end());
    worker.join();
}

struct RankSums {
    long double first_rank_sum = 0;
    long double tie_term = 0;  // Σ (t³ − t) over groups of tied values
    bool ties = false;
};

// Ranks of the pooled sample (ties get their average rank), walking both sorted samples at once.
RankSums rank_sums(const std::vector<double>& first, const std::vector<double>& second) {
    RankSums sums;
    size_t i = 0;
    size_t j = 0;
    long double position = 0;
    while (i < first.size() || j < second.size()) {
        double value = j == second.size() || (i < first.size() && first[i] <= second[j])
                           ? first[i]
                           : second[j];
        size_t from_first = 0;
        size_t from_second = 0;
        while (i < first.size() && first[i] == value) ++i, ++from_first;
        while (j < second.size() && second[j] == value) ++j, ++from_second;
        auto tied = static_cast<long double>(from_first + from_second);
        long double average_rank = position + (tied + 1) / 2;
        sums.first_rank_sum += static_cast<long double>(from_first) * average_rank;
        if (tied > 1) {
            sums.ties = true;
            sums.tie_term += tied * tied * tied - tied;
        }
        position += tied;
    }
    return sums;
}

// Counts of each U in 0..m·n under the null hypothesis: the coefficients of the Gaussian binomial
// [m+n choose m]_q, built as Π (1 − q^(n+i)) / (1 − q^i) for i = 1..m with m the smaller size.
std::vector<double> u_null_counts(size_t first_size, size_t second_size) {
    size_t m = std::min(first_size, second_size);
    size_t n = std::max(first_size, second_size);
    std::vector<double> counts(m * n + m + 1, 0.0);
    counts[0] = 1;
    for (size_t i = 1; i <= m; ++i) {
        size_t shift = n + i;
        for (size_t k = counts.size() - 1; k >= shift; --k) counts[k] -= counts[k - shift];
        for (size_t k = i; k < counts.size(); ++k) counts[k] += counts[k - i];
    }
    counts.resize(m * n + 1);
    return counts;
}

// P(U ≤ u) from the null counts.
double exact_cdf(const std::vector<double>& counts, double u) {
    long double below = 0;
    long double total = 0;
    for (size_t k = 0; k < counts.size(); ++k) {
        total += counts[k];
        if (static_cast<double>(k) <= u) below += counts[k];
    }
    return static_cast<double>(below / total);
}

double tie_corrected_sd(double first_size, double second_size, long double tie_term) {
    double n = first_size + second_size;
    return std::sqrt(first_size * second_size / 12.0 *
                     ((n + 1) - static_cast<double>(tie_term) / (n * (n - 1))));
}

// Orders doubles as unsigned integers so that bisection can walk adjacent representable values.
std::uint64_t ordered_bits(double value) {
    auto bits = std::bit_cast<std::uint64_t>(value);
    return bits >> 63 ? ~bits : bits | (std::uint64_t{1} << 63);
}
double from_ordered_bits(std::uint64_t ordered) {
    return std::bit_cast<double>(ordered >> 63 ? ordered & ~(std::uint64_t{1} << 63) : ~ordered);
}

// The number of pairs with a[i] − b[j] ≤ limit (both ascending): the boundary in b only moves
// right as a grows.
std::uint64_t differences_at_most(std::span<const double> a, std::span<const double> b,
                                  double limit) {
    std::uint64_t count = 0;
    size_t j = 0;
    for (double value : a) {
        while (j < b.size() && value - b[j] > limit) ++j;
        count += b.size() - j;
    }
    return count;
}

}  // namespace

double normal_survival(double z) {
    return 0.5 * std::erfc(z / std::sqrt(2.0));
}

double normal_quantile(double p) {
    if (p <= 0) return -INFINITY;
    if (p >= 1) return INFINITY;
    double low = -40;
    double high = 40;
    for (int step = 0; step < 200 && high - low > 1e-15; ++step) {
        double middle = (low + high) / 2;
        if (1 - normal_survival(middle) < p)
            low = middle;
        else
            high = middle;
    }
    return (low + high) / 2;
}

MannWhitneyResult mann_whitney_u(std::span<const double> first, std::span<const double> second,
                                 MannWhitneyMethod method) {
    std::vector<double> sorted_first(first.begin(), first.end());
    std::vector<double> sorted_second(second.begin(), second.end());
    sort_both(sorted_first, sorted_second);
    auto sums = rank_sums(sorted_first, sorted_second);
    double n1 = static_cast<double>(first.size());
    double n2 = static_cast<double>(second.size());
    MannWhitneyResult result;
    result.u =
        static_cast<double>(sums.first_rank_sum - static_cast<long double>(n1) * (n1 + 1) / 2);
    double larger_u = std::max(result.u, n1 * n2 - result.u);
    if (method == MannWhitneyMethod::automatic)
        method = (first.size() <= 8 || second.size() <= 8) && !sums.ties
                     ? MannWhitneyMethod::exact
                     : MannWhitneyMethod::asymptotic;
    if (method == MannWhitneyMethod::exact) {
        result.exact = true;
        auto counts = u_null_counts(first.size(), second.size());
        // P(U ≥ u) = P(U ≤ m·n − u) by symmetry, as scipy sums it.
        result.p_value = 2 * exact_cdf(counts, n1 * n2 - std::floor(larger_u));
    } else {
        double sd = tie_corrected_sd(n1, n2, sums.tie_term);
        double numerator = larger_u - n1 * n2 / 2 - 0.5;
        result.z = sd > 0 ? numerator / sd : (numerator < 0 ? -INFINITY : INFINITY);
        result.p_value = 2 * normal_survival(result.z);
    }
    result.p_value = std::clamp(result.p_value, 0.0, 1.0);
    return result;
}

double kth_pairwise_difference(std::span<const double> sorted_first,
                               std::span<const double> sorted_second, std::uint64_t k) {
    double low = sorted_first.front() - sorted_second.back();
    double high = sorted_first.back() - sorted_second.front();
    if (differences_at_most(sorted_first, sorted_second, low) >= k) return low;
    // Invariant: fewer than k differences are ≤ low, at least k are ≤ high.
    auto low_bits = ordered_bits(low);
    auto high_bits = ordered_bits(high);
    while (high_bits - low_bits > 1) {
        auto middle_bits = low_bits + (high_bits - low_bits) / 2;
        if (differences_at_most(sorted_first, sorted_second, from_ordered_bits(middle_bits)) >= k)
            high_bits = middle_bits;
        else
            low_bits = middle_bits;
    }
    return from_ordered_bits(high_bits);
}

ShiftEstimate hodges_lehmann(std::span<const double> first, std::span<const double> second,
                             double confidence) {
    std::vector<double> a(first.begin(), first.end());
    std::vector<double> b(second.begin(), second.end());
    sort_both(a, b);
    auto pairs = static_cast<std::uint64_t>(a.size()) * b.size();
    ShiftEstimate shift;
    shift.confidence = confidence;
    double middle = kth_pairwise_difference(a, b, (pairs + 1) / 2);
    shift.estimate =
        pairs % 2 == 1 ? middle : (middle + kth_pairwise_difference(a, b, pairs / 2 + 1)) / 2;
    double alpha = 1 - confidence;
    auto sums = rank_sums(a, b);
    double n1 = static_cast<double>(a.size());
    double n2 = static_cast<double>(b.size());
    // The rank of the lower bound: the alpha/2 quantile of U (qwilcox in R).
    std::uint64_t rank = 0;
    if ((a.size() <= 8 || b.size() <= 8) && !sums.ties) {
        auto counts = u_null_counts(a.size(), b.size());
        long double total = 0;
        for (double count : counts) total += count;
        long double below = 0;
        for (size_t u = 0; u < counts.size(); ++u) {
            below += counts[u];
            if (below / total >= alpha / 2) {
                rank = u;
                break;
            }
        }
    } else {
        double sd = tie_corrected_sd(n1, n2, sums.tie_term);
        double u = n1 * n2 / 2 - normal_quantile(1 - alpha / 2) * sd - 0.5;
        rank = u > 0 ? static_cast<std::uint64_t>(std::ceil(u)) : 0;
    }
    rank = std::clamp<std::uint64_t>(rank, 1, pairs);
    shift.lower = kth_pairwise_difference(a, b, rank);
    shift.upper = kth_pairwise_difference(a, b, pairs - rank + 1);
    return shift;
}

}  // namespace launchkit::decide

#include "decide/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "decide/mann_whitney_reference.h"
#include "decide/sample_statistics.h"

using namespace launchkit::decide;

namespace {

// Brute force over every pair, for checking the selection against.
std::vector<double> all_differences(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> differences;
    for (double x : a)
        for (double y : b) differences.push_back(x - y);
    std::sort(differences.begin(), differences.end());
    return differences;
}

}  // namespace

TEST_CASE("Mann-Whitney U and p-values match scipy.stats.mannwhitneyu", "[decide]") {
    for (const auto& reference : mann_whitney_references) {
        INFO(reference.name);
        auto automatic = mann_whitney_u(reference.first, reference.second);
        CHECK(automatic.u == Approx(reference.u).epsilon(1e-12));
        CHECK(automatic.p_value == Approx(reference.p_auto).epsilon(1e-9).margin(1e-300));
        auto asymptotic =
            mann_whitney_u(reference.first, reference.second, MannWhitneyMethod::asymptotic);
        CHECK(asymptotic.p_value == Approx(reference.p_asymptotic).epsilon(1e-9).margin(1e-300));
        CHECK_FALSE(asymptotic.exact);
        // U of the other sample is the complement.
        auto swapped = mann_whitney_u(reference.second, reference.first);
        CHECK(swapped.u + automatic.u ==
              Approx(double(reference.first.size() * reference.second.size())));
        CHECK(swapped.p_value == Approx(automatic.p_value).epsilon(1e-12));
    }
}

TEST_CASE("the exact distribution is used only for small untied samples", "[decide]") {
    CHECK(mann_whitney_u(std::vector{1.0, 2.0, 3.0}, std::vector{4.0, 5.0, 6.0}).exact);
    CHECK_FALSE(mann_whitney_u(std::vector{1.0, 2.0, 3.0}, std::vector{3.0, 5.0, 6.0}).exact);
    std::vector<double> nine{1, 2, 3, 4, 5, 6, 7, 8, 9};
    std::vector<double> ten{11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    CHECK_FALSE(mann_whitney_u(nine, ten).exact);
    // The smallest possible exact p-value for 3 vs 3 is 2 / C(6,3).
    CHECK(mann_whitney_u(std::vector{1.0, 2.0, 3.0}, std::vector{4.0, 5.0, 6.0}).p_value ==
          Approx(2.0 / 20));
}

TEST_CASE("the Hodges-Lehmann estimate is the median of all pairwise differences", "[decide]") {
    for (const auto& reference : mann_whitney_references) {
        INFO(reference.name);
        auto shift = hodges_lehmann(reference.first, reference.second, 0.98);
        CHECK(shift.estimate == Approx(reference.hodges_lehmann).epsilon(1e-12).margin(1e-12));
        CHECK(shift.lower <= shift.estimate);
        CHECK(shift.upper >= shift.estimate);
        if (reference.has_exact_bounds) {
            CHECK(shift.lower == Approx(reference.lower).epsilon(1e-12).margin(1e-12));
            CHECK(shift.upper == Approx(reference.upper).epsilon(1e-12).margin(1e-12));
        }
    }
}

TEST_CASE("pairwise differences are selected without forming them", "[decide]") {
    std::mt19937_64 random(7);
    std::normal_distribution<double> normal(0, 3);
    std::vector<double> a(37);
    std::vector<double> b(23);
    for (auto& value : a) value = std::round(normal(random) * 10) / 10;  // ties on purpose
    for (auto& value : b) value = std::round(normal(random) * 10) / 10;
    auto differences = all_differences(a, b);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    for (std::uint64_t k : {1UL, 2UL, 100UL, 425UL, 426UL, 850UL, 851UL}) {
        INFO(k);
        CHECK(kth_pairwise_difference(a, b, k) == differences[k - 1]);
    }
}

TEST_CASE("the 98% interval of a large sample covers a known shift", "[decide]") {
    std::mt19937_64 random(11);
    std::normal_distribution<double> normal(0, 1);
    std::vector<double> baseline(2000);
    std::vector<double> canary(2000);
    for (auto& value : baseline) value = normal(random);
    for (auto& value : canary) value = normal(random) + 0.5;
    auto shift = hodges_lehmann(canary, baseline, 0.98);
    CHECK(shift.estimate == Approx(0.5).margin(0.1));
    CHECK(shift.lower < 0.5);
    CHECK(shift.upper > 0.5);
    // Roughly ± 2.33 · sqrt(2/2000) wide.
    CHECK(shift.upper - shift.lower == Approx(2 * 2.326 * std::sqrt(2.0 / 2000)).epsilon(0.15));
}

TEST_CASE("normal quantile inverts the survival function", "[decide]") {
    CHECK(normal_quantile(0.99) == Approx(2.3263478740408408));
    CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-12));
    CHECK(normal_survival(1.959963984540054) == Approx(0.025));
}

TEST_CASE("sample clean-up: NaN handling, quartiles and Tukey's fences", "[decide]") {
    std::vector<double> values{1, NAN, 2, 3};
    CHECK(handle_nan(values, NanStrategy::remove) == std::vector<double>{1, 2, 3});
    CHECK(handle_nan(values, NanStrategy::replace_with_zero) == std::vector<double>{1, 0, 2, 3});
    std::vector<double> sorted{1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(quantile_of_sorted(sorted, 0.25) == Approx(2.75));  // numpy.quantile
    CHECK(quantile_of_sorted(sorted, 0.75) == Approx(6.25));
    // Nine values: Q1 = 3 and Q3 = 7 whatever the extreme is, so the fences are 3 − 12 and 7 + 12.
    CHECK(remove_outliers(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 19}, 3.0).size() == 9);
    CHECK(remove_outliers(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 19.01}, 3.0).size() == 8);
    CHECK(remove_outliers(std::vector<double>{-9, 3, 4, 5, 6, 7, 2, 8, 9}, 3.0).size() == 9);
    CHECK(remove_outliers(std::vector<double>{-9.01, 3, 4, 5, 6, 7, 2, 8, 9}, 3.0) ==
          std::vector<double>{3, 4, 5, 6, 7, 2, 8, 9});
    CHECK(mean(std::vector<double>{1, 2, 3, 4}) == Approx(2.5));
    CHECK(median(std::vector<double>{5, 1, 3}) == 3);
}

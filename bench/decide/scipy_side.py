#!/usr/bin/python3
"""The comparison side of bench/decide: the same work with scipy and numpy, timed the same way.
    scipy_side.py mann-whitney FIRST.f64 SECOND.f64 REPEATS
    scipy_side.py gate DIR REPEATS
The gate is what a Kayenta-style judge looks like in Python: NaN removal, Tukey fences (3.0),
scipy.stats.mannwhitneyu, the Hodges-Lehmann estimate and its 98% interval from the sorted
pairwise differences, the mean ratio, and the classification."""
import json
import sys
import time

import numpy as np
from scipy.stats import mannwhitneyu, norm


def median_ms(repeats, work):
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], result


def fences(values):
    q1, q3 = np.percentile(values, [25, 75])
    spread = q3 - q1
    return values[(values >= q1 - 3 * spread) & (values <= q3 + 3 * spread)]


def classify(canary, baseline):
    canary = fences(canary[~np.isnan(canary)])
    baseline = fences(baseline[~np.isnan(baseline)])
    mannwhitneyu(canary, baseline, alternative="two-sided")
    differences = np.sort(np.subtract.outer(canary, baseline).ravel())
    estimate = np.median(differences)
    n1, n2 = len(canary), len(baseline)
    sd = np.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    rank = max(int(np.ceil(n1 * n2 / 2 - norm.ppf(0.99) * sd - 0.5)), 1)
    lower, upper = differences[rank - 1], differences[n1 * n2 - rank]
    ratio = canary.mean() / baseline.mean()
    margin = 0.25 * abs(estimate)
    label = "high" if lower > margin and ratio >= 1.0 else "pass"
    return label, estimate


def main():
    if sys.argv[1] == "mann-whitney":
        first = np.fromfile(sys.argv[2])
        second = np.fromfile(sys.argv[3])
        ms, result = median_ms(int(sys.argv[4]),
                               lambda: mannwhitneyu(first, second, alternative="two-sided"))
        print(json.dumps({"ms": ms, "u": float(result.statistic), "p": float(result.pvalue)}))
    else:
        directory = sys.argv[2]
        data = [(np.fromfile(f"{directory}/metric-{k}-canary.f64"),
                 np.fromfile(f"{directory}/metric-{k}-baseline.f64")) for k in range(20)]
        ms, results = median_ms(int(sys.argv[3]),
                                lambda: [classify(canary, baseline) for canary, baseline in data])
        print(json.dumps({"ms": ms, "classes": [label for label, _ in results],
                          "estimates": [float(estimate) for _, estimate in results]}))


main()

#!/usr/bin/python3
"""Writes bench/decide's inputs as raw float64 files: two samples of SIZE values for the
Mann-Whitney timing (latency-like lognormal, a small shift, rounded to 0.1 ms so that ties occur
as in real metrics), and 20 metrics x (canary, baseline) of GATE_SIZE values each, a few shifted,
with some NaN and outliers.
    make_data.py DIR SIZE GATE_SIZE"""
import sys

import numpy as np

directory, size, gate_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(6)
np.round(rng.lognormal(5.0, 0.4, size), 1).tofile(f"{directory}/first.f64")
np.round(rng.lognormal(5.02, 0.4, size), 1).tofile(f"{directory}/second.f64")
for k in range(20):
    shift = 1.3 if k % 7 == 3 else 1.0
    baseline = rng.normal(100, 10, gate_size)
    canary = rng.normal(100 * shift, 10, gate_size)
    for values in (baseline, canary):
        values[rng.integers(0, gate_size, gate_size // 100)] = np.nan
        values[rng.integers(0, gate_size, gate_size // 200)] *= 20
    canary.tofile(f"{directory}/metric-{k}-canary.f64")
    baseline.tofile(f"{directory}/metric-{k}-baseline.f64")

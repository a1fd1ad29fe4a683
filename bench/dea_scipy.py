#!/usr/bin/python3
"""Peer benchmark: the DEA of fupin_dea_compare with scipy.optimize.linprog(method="highs").

For each DMU and for CRS and VRS (input orientation): stage 1 min θ over the full reference
set, stage 2 max Σ slacks with θ fixed — a plain loop of linprog calls, the way DEA is usually
written in Python. Compares the θ scores with fupin's (DIR/dea_fupin.csv) and prints the times
and the speed ratio.

    /usr/bin/python3 bench/dea_scipy.py DIR
"""
import csv
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linprog


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    x = np.array([[float(r[f"x{i}"]) for i in (1, 2, 3)] for r in rows])
    y = np.array([[float(r[f"y{i}"]) for i in (1, 2, 3)] for r in rows])
    return x, y


def dea(x, y, vrs):
    n, m = x.shape
    s = y.shape[1]
    scores = np.empty(n)
    bounds = [(0, None)] * (n + 1)
    a_eq = np.r_[0.0, np.ones(n)].reshape(1, -1) if vrs else None
    b_eq = [1.0] if vrs else None
    for o in range(n):
        # variables: theta, lambda_1..n
        a_ub = np.zeros((m + s, n + 1))
        a_ub[:m, 0] = -x[o]
        a_ub[:m, 1:] = x.T
        a_ub[m:, 1:] = -y.T
        b_ub = np.r_[np.zeros(m), -y[o]]
        c = np.zeros(n + 1)
        c[0] = 1.0
        r = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        theta = r.x[0]
        scores[o] = theta
        # stage 2: maximize the slack sum with theta fixed
        c2 = np.r_[0.0, x.sum(axis=1) - y.sum(axis=1)]
        bounds2 = [(theta, theta)] + [(0, None)] * n
        linprog(c2, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds2, method="highs")
    return scores


def main():
    d = sys.argv[1]
    x, y = load(f"{d}/dea_data.csv")
    t0 = time.perf_counter()
    crs = dea(x, y, False)
    t1 = time.perf_counter()
    vrs = dea(x, y, True)
    t2 = time.perf_counter()
    with open(f"{d}/dea_fupin.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    f_crs = np.array([float(r["crs"]) for r in rows])
    f_vrs = np.array([float(r["vrs"]) for r in rows])
    fupin_time = float(open(f"{d}/dea_fupin_time.txt").read())
    diff = max(np.abs(crs - f_crs).max(), np.abs(vrs - f_vrs).max())
    total = t2 - t0
    print(f"scipy {scipy.__version__} linprog(method='highs'), {len(crs)} DMUs, stage 1 + stage 2")
    print(f"  CRS {t1 - t0:.2f} s, VRS {t2 - t1:.2f} s, total {total:.2f} s")
    print(f"  largest score difference from fupin: {diff:.2e}")
    print(f"  fupin {fupin_time:.3f} s -> fupin is {total / fupin_time:.0f}x faster")
    if diff > 1e-6:
        print("  FAIL: scores differ by more than 1e-6")
        sys.exit(1)


if __name__ == "__main__":
    main()

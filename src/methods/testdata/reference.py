#!/usr/bin/python3
"""Independent reference values for the cases without a published worked example.

Straight numpy/scipy transcriptions of the textbook formulas (not of fupin's code), run with
Debian's /usr/bin/python3 (python3-numpy, python3-scipy). Prints JSON fragments that were
pasted into the *.json test vectors marked "source": "reference.py".
"""
import json
import numpy as np
from scipy.optimize import linprog
from scipy.stats import chi2

out = {}

# --- AHP weight methods on the 4x4 matrix of the AHPy README (a, b, c, d).
A = np.array([[1, 1, 5, 2], [1, 1, 3, 4], [1/5, 1/3, 1, 3/4], [1/2, 1/4, 4/3, 1]], float)
g = np.prod(A, axis=1) ** (1 / 4); g /= g.sum()
ar = (A / A.sum(axis=0)).mean(axis=1)
vals, vecs = np.linalg.eig(A)
k = np.argmax(vals.real); ev = np.abs(vecs[:, k].real); ev /= ev.sum()
def lam(w): return float(np.mean(A @ w / w))
out["ahp_methods"] = {"eigen": [ev.tolist(), float(vals[k].real)],
                      "geometric": [g.tolist(), lam(g)], "arithmetic": [ar.tolist(), lam(ar)]}

# --- Objective weights on a small data set (5 alternatives x 4 criteria; column 3 is cost).
X = np.array([[82, 3.2, 120, 15], [75, 4.1, 98, 22], [90, 2.8, 143, 9], [68, 3.9, 110, 30],
              [88, 3.5, 131, 12]], float)
cost = [False, False, False, True]
def minmax(X, cost):
    Z = np.empty_like(X)
    for j in range(X.shape[1]):
        lo, hi = X[:, j].min(), X[:, j].max()
        Z[:, j] = (hi - X[:, j]) / (hi - lo) if cost[j] else (X[:, j] - lo) / (hi - lo)
    return Z
def entropy(Z):
    P = Z / Z.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.where(P > 0, P * np.log(P), 0.0)
    e = -L.sum(axis=0) / np.log(Z.shape[0]); d = 1 - e
    return (d / d.sum()).tolist(), e.tolist()
Z = minmax(X, cost)
out["entropy_minmax_ignore"] = entropy(Z)
Zs = Z + 0.01  # every min-max column holds a 0: shifted by |0| + 0.01
out["entropy_minmax_shift"] = entropy(Zs)
out["entropy_none_ignore"] = entropy(X)
sd = Z.std(axis=0, ddof=1); R = np.corrcoef(Z, rowvar=False)
C = sd * (1 - R).sum(axis=0)
out["critic"] = (C / C.sum()).tolist()
cv = X.std(axis=0, ddof=1) / np.abs(X.mean(axis=0))
out["cv"] = (cv / cv.sum()).tolist()

# --- Grey relational analysis, rho 0.5, min-max, equal weights, same data.
D = np.abs(Z - 1.0); dmin, dmax = D.min(), D.max()
xi = (dmin + 0.5 * dmax) / (D + 0.5 * dmax)
out["grey_minmax"] = xi.mean(axis=1).tolist()
# mean preprocessing: reference = max (benefit) / min (cost) of x/mean
M = X / X.mean(axis=0)
ref = np.array([M[:, j].min() if cost[j] else M[:, j].max() for j in range(4)])
D = np.abs(M - ref); dmin, dmax = D.min(), D.max()
out["grey_mean"] = ((dmin + 0.5 * dmax) / (D + 0.5 * dmax)).mean(axis=1).tolist()

# --- KMO and Bartlett on 12 respondents x 4 items.
Y = np.array([[4, 5, 3, 4], [3, 4, 3, 3], [5, 5, 4, 5], [2, 3, 2, 2], [4, 4, 4, 3],
              [3, 3, 2, 3], [5, 4, 5, 4], [2, 2, 1, 2], [4, 5, 4, 4], [3, 4, 3, 2],
              [1, 2, 2, 1], [4, 3, 3, 4]], float)
R = np.corrcoef(Y, rowvar=False); Ri = np.linalg.inv(R)
P = -Ri / np.sqrt(np.outer(np.diag(Ri), np.diag(Ri)))
np.fill_diagonal(P, 0); R0 = R.copy(); np.fill_diagonal(R0, 0)
kmo = (R0**2).sum() / ((R0**2).sum() + (P**2).sum())
msa = (R0**2).sum(axis=0) / ((R0**2).sum(axis=0) + (P**2).sum(axis=0))
n, p = Y.shape
stat = -(n - 1 - (2 * p + 5) / 6) * np.log(np.linalg.det(R)); df = p * (p - 1) // 2
out["kmo"] = {"kmo": kmo, "msa": msa.tolist(), "chi2": stat, "df": df, "p": chi2.sf(stat, df)}

# --- DEA: Coelli's example, CRS input super-efficiency (Andersen-Petersen) with linprog.
x = np.array([[2, 5], [2, 4], [6, 6], [3, 2], [6, 2]], float); y = np.array([[1], [2], [3], [1], [2]], float)
def theta(o, ref, vrs=False):
    # variables: theta, lambdas(ref)
    nref = len(ref)
    c = np.r_[1, np.zeros(nref)]
    A_ub = []; b_ub = []
    for i in range(2):
        A_ub.append(np.r_[-x[o, i], x[ref, i]]); b_ub.append(0)
    A_ub.append(np.r_[0, -y[ref, 0]]); b_ub.append(-y[o, 0])
    A_eq = [np.r_[0, np.ones(nref)]] if vrs else None
    b_eq = [1] if vrs else None
    r = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=[(0, None)] * (nref + 1),
                method="highs")
    return r.fun if r.status == 0 else None
out["dea_super_crs_input"] = [theta(o, [j for j in range(5) if j != o]) for o in range(5)]
out["dea_super_vrs_input"] = [theta(o, [j for j in range(5) if j != o], True) for o in range(5)]
print(json.dumps(out, indent=1))

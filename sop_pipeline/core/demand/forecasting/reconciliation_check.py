"""Weights for the reconciliation, and the proof that its solver's answer is the right one.

Weights: each node's error variance, floored. A node whose in-sample residuals do not vary (a
series at zero, or constant, over the residual window) would get a variance near 0 and a weight
near 1/2e-8: the quadratic programme's condition number reaches ~1e12 and the solver may stop at
a point far from the optimum while reporting success (on a demo cycle a family moved +45 % when
its base forecasts were within 1 % of coherent). The floor is a standard deviation of
`FLOOR_CV` of the node's level and at least `FLOOR_UNITS` unit: no forecast error is smaller.

Verification, per month, of a reconciled bottom level x against the base forecasts y:
- coherent: every aggregate the solver returned equals the sum of its bottom series;
- optimal: the weighted squared adjustment Σ wᵢ (yᵢ - (Sx)ᵢ)² is no larger (to
  `OBJECTIVE_TOLERANCE`, relative, plus as much per node) than that of the better of two
  references with the same weights (`bounded_references`): the closed-form solution
  x* = (SᵀWS)⁻¹SᵀWy clipped at zero (the optimum when x* is non-negative; a feasible point in
  every case), and x* re-solved with the series it makes negative held at zero (the optimum
  when those are the bounds that bind);
- plausible: no node moved from its base further than `MOVE_TOLERANCE` of its base (or of its
  error's standard deviation when larger, and at least one unit) beyond what a reason
  explains: the move of either reference, or of the bottom-up sum. (Where the non-negativity
  bound binds, the optimum differs from the clipped closed form, which is why the re-solved
  one is a reason too: at 3,000 SKUs, with the clipped closed form alone, the optimum failed
  this check on a series moved 1.4 units with an error of 6.5 units and the cycle fell back to
  the bottom-up sum.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import splu

FLOOR_CV = 0.05
FLOOR_UNITS = 1.0
MOVE_TOLERANCE = 0.10
OBJECTIVE_TOLERANCE = 1e-3
COHERENCE_TOLERANCE = 1e-6
# the aggregates' system is symmetric positive definite: a symmetric ordering keeps its fill
# small (60,000 entries against 1.2 million with the default at 3,000 SKUs) and needs no pivoting
SYMMETRIC_LU = {
    "permc_spec": "MMD_AT_PLUS_A",
    "diag_pivot_thresh": 0.0,
    "options": {"SymmetricMode": True},
}


@dataclass(frozen=True)
class Reconciliation:
    """How the cycle's forecasts were reconciled: `method` used (`mintrace_wls_var`, or a
    fallback `wls_struct` / `bottom_up`), `fallback` when the first choice failed its checks,
    `reason` for the fallback ('' otherwise), `floored_nodes`: nodes whose variance was raised
    to the floor, `weight_ratio`: largest / smallest weight (the problem's conditioning)."""

    method: str
    fallback: bool = False
    reason: str = ""
    floored_nodes: int = 0
    weight_ratio: float = 1.0


def floored_variance(actual: np.ndarray, fitted: np.ndarray) -> tuple[np.ndarray, int]:
    """Each node's in-sample error variance (nodes x months of actuals and fits, NaN where
    absent), floored; and how many nodes the floor raised."""
    variance = np.nan_to_num(np.nanvar(actual - fitted, axis=1, ddof=1))
    level = np.nan_to_num(np.nanmean(np.abs(actual), axis=1))
    floor = np.maximum((FLOOR_CV * level) ** 2, FLOOR_UNITS**2)
    return np.maximum(variance, floor), int((variance < floor).sum())


def closed_form(
    summing: sparse.csr_matrix,
    y_hat: np.ndarray,
    weight: np.ndarray,
    free: np.ndarray | None = None,
) -> np.ndarray:
    """The weighted least-squares coherent bottom level without bounds (bottom x months):
    x* = (SᵀWS)⁻¹SᵀWy; with `free` (a mask of bottom series), the other series held at 0.
    With S = [A; I] (aggregates A over the bottom rows' identity, as `hierarchy.summing_matrix`
    orders them) and W = diag(Wₐ, D), x* = y_b + D⁻¹Aᵀλ where (Wₐ⁻¹ + AD⁻¹Aᵀ)λ = yₐ - Ay_b
    (Woodbury's identity). SᵀWS is dense wherever an aggregate sums many series (the total sums
    all of them: 10,000 series make a 10,000² matrix that sparse LU runs out of memory on); the
    aggregates' system is as sparse as the hierarchy, and symmetric positive definite."""
    n_bottom = summing.shape[1]
    free = np.ones(n_bottom, dtype=bool) if free is None else free
    y_bottom = np.asarray(y_hat[-n_bottom:], dtype=float)
    bottom = np.zeros_like(y_bottom)
    aggregates = sparse.csr_matrix(summing[:-n_bottom])[:, free]
    if aggregates.shape[0] == 0:
        bottom[free] = y_bottom[free]
        return bottom
    spread = aggregates @ sparse.diags(1.0 / weight[-n_bottom:][free])
    system = sparse.csc_matrix(sparse.diags(1.0 / weight[:-n_bottom]) + spread @ aggregates.T)
    factor = splu(system, **SYMMETRIC_LU)
    multiplier = factor.solve(y_hat[:-n_bottom] - aggregates @ y_bottom[free])
    bottom[free] = y_bottom[free] + np.asarray(spread.T @ multiplier)
    return bottom


def bounded_references(
    summing: sparse.csr_matrix, y_hat: np.ndarray, weight: np.ndarray
) -> list[np.ndarray]:
    """Two non-negative coherent bottom levels near the bounded optimum: the closed form
    clipped at zero, and, in each month where it is negative somewhere, the closed form
    re-solved with those series held at 0 (one active-set step of non-negative least squares,
    the optimum when those are the bounds that bind), clipped."""
    first = closed_form(summing, y_hat, weight)
    refined = first.copy()
    for month in np.flatnonzero((first < 0).any(axis=0)):
        free = first[:, month] >= 0
        refined[:, [month]] = closed_form(summing, y_hat[:, [month]], weight, free)
    return [np.clip(first, 0.0, None), np.clip(refined, 0.0, None)]


def objective(
    summing: sparse.csr_matrix, y_hat: np.ndarray, weight: np.ndarray, bottom: np.ndarray
) -> np.ndarray:
    """Σ wᵢ (yᵢ - (Sx)ᵢ)² per month."""
    return np.asarray((weight[:, None] * (y_hat - summing @ bottom) ** 2).sum(axis=0))


def failed_check(
    summing: sparse.csr_matrix,
    y_hat: np.ndarray,
    weight: np.ndarray,
    solved: np.ndarray,
) -> str:
    """Why `solved` (every node x month, as the solver returned it) is not a sound
    reconciliation of `y_hat` with `weight`; '' when it passes every check."""
    n_bottom = summing.shape[1]
    if not np.isfinite(solved).all():
        return "the solver returned no solution"
    bottom = solved[-n_bottom:]
    scale = max(1.0, float(np.abs(y_hat).max(initial=0.0)))
    incoherence = float(np.abs(solved - summing @ bottom).max(initial=0.0))
    if incoherence > COHERENCE_TOLERANCE * scale:
        return f"not coherent: an aggregate is {incoherence:.3g} off the sum of its series"
    references = bounded_references(summing, y_hat, weight)
    found = objective(summing, y_hat, weight, bottom)
    best = np.minimum(*[objective(summing, y_hat, weight, r) for r in references])
    slack = OBJECTIVE_TOLERANCE * (best + len(weight))
    if (found > best + slack).any():
        ratio = float((found / np.maximum(best, 1e-300)).max())
        return f"not optimal: objective {ratio:.4g}x that of the closed-form solution"
    return _unexplained_move(summing, y_hat, bottom, references, np.sqrt(1.0 / weight))


def _unexplained_move(
    summing: sparse.csr_matrix,
    y_hat: np.ndarray,
    bottom: np.ndarray,
    references: list[np.ndarray],
    sigma: np.ndarray,
) -> str:
    """'' unless a node moved further than a reference (`bounded_references`) or the bottom-up
    sum explains."""
    n_bottom = summing.shape[1]
    moved = np.abs(summing @ bottom - y_hat)
    reasons = [*references, y_hat[-n_bottom:]]
    explained = np.max([np.abs(summing @ r - y_hat) for r in reasons], axis=0)
    scale = np.maximum(np.maximum(np.abs(y_hat), sigma[:, None]), 1.0)
    excess = moved - explained - MOVE_TOLERANCE * scale
    if (excess > 0).any():
        node, month = np.unravel_index(int(np.argmax(excess)), excess.shape)
        share = moved[node, month] / max(abs(y_hat[node, month]), 1.0)
        return f"node {node} moved {share:.1%} from its base without a reason"
    return ""

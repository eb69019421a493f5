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
  `OBJECTIVE_TOLERANCE`, relative, plus as much per node) than that of the closed-form solution
  with the same weights, x* = (SᵀWS)⁻¹SᵀWy, clipped at zero (the optimum when x* is
  non-negative; a feasible point in every case);
- plausible: no node moved from its base further than `MOVE_TOLERANCE` of its base (or of its
  error's standard deviation when larger, and at least one unit) beyond what a reason
  explains: the move of the closed form, or of the bottom-up sum. (Where the non-negativity
  bound binds, the optimum differs from the clipped closed form; on a series of a few units
  that difference is noise, not a failure.)
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


def closed_form(summing: sparse.csr_matrix, y_hat: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The weighted least-squares coherent bottom level without bounds (bottom x months)."""
    weighted = sparse.csc_matrix(summing.T @ sparse.diags(weight))
    return np.asarray(splu(sparse.csc_matrix(weighted @ summing)).solve(weighted @ y_hat))


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
    reference = np.clip(closed_form(summing, y_hat, weight), 0.0, None)
    found, best = (
        objective(summing, y_hat, weight, bottom),
        objective(summing, y_hat, weight, reference),
    )
    slack = OBJECTIVE_TOLERANCE * (best + len(weight))
    if (found > best + slack).any():
        ratio = float((found / np.maximum(best, 1e-300)).max())
        return f"not optimal: objective {ratio:.3g}x that of the closed-form solution"
    return _unexplained_move(summing, y_hat, bottom, reference, np.sqrt(1.0 / weight))


def _unexplained_move(
    summing: sparse.csr_matrix,
    y_hat: np.ndarray,
    bottom: np.ndarray,
    reference: np.ndarray,
    sigma: np.ndarray,
) -> str:
    """'' unless a node moved further than the closed form or the bottom-up sum explains."""
    n_bottom = summing.shape[1]
    moved = np.abs(summing @ bottom - y_hat)
    explained = np.maximum(
        np.abs(summing @ reference - y_hat), np.abs(summing @ y_hat[-n_bottom:] - y_hat)
    )
    scale = np.maximum(np.maximum(np.abs(y_hat), sigma[:, None]), 1.0)
    excess = moved - explained - MOVE_TOLERANCE * scale
    if (excess > 0).any():
        node, month = np.unravel_index(int(np.argmax(excess)), excess.shape)
        share = moved[node, month] / max(abs(y_hat[node, month]), 1.0)
        return f"node {node} moved {share:.1%} from its base without a reason"
    return ""

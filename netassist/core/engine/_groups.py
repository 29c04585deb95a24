"""Vectorised per-group statistics over arrays sorted by group (no Python loop per row)."""

from __future__ import annotations

import numpy as np


def group_bounds(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For sorted ``keys``: (unique keys, start index of each group, row -> group index)."""
    n = len(keys)
    if n == 0:
        e = np.zeros(0, dtype=np.int64)
        return keys[:0], e, e
    brk = np.empty(n, dtype=bool)
    brk[0] = True
    np.not_equal(keys[1:], keys[:-1], out=brk[1:])
    starts = np.flatnonzero(brk)
    gid = np.cumsum(brk) - 1
    return keys[starts], starts, gid


def group_sum(values: np.ndarray, gid: np.ndarray, ngroups: int) -> np.ndarray:
    return np.bincount(gid, weights=values, minlength=ngroups)


def _order_within_groups(v: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Permutation sorting rows by (group, value); one float argsort instead of a lexsort."""
    if len(v) == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = float(v.min()), float(v.max())
    span = hi - lo + 1.0
    if span * (float(g.max()) + 1.0) < 2.0**50:  # exact enough to keep the order
        return np.argsort(g * span + (v - lo))
    return np.lexsort((v, g))


def group_median(values: np.ndarray, gid: np.ndarray, ngroups: int) -> np.ndarray:
    """Median of ``values`` per group; NaN for groups without values. NaN values are ignored."""
    ok = ~np.isnan(values)
    v, g = values[ok], gid[ok]
    out = np.full(ngroups, np.nan)
    if len(v) == 0:
        return out
    order = _order_within_groups(v, g)
    v, g = v[order], g[order]
    cnt = np.bincount(g, minlength=ngroups)
    start = np.concatenate(([0], np.cumsum(cnt)[:-1]))
    has = cnt > 0
    lo = start[has] + (cnt[has] - 1) // 2
    hi = start[has] + cnt[has] // 2
    out[has] = 0.5 * (v[lo] + v[hi])
    return out


def group_weighted_median(
    values: np.ndarray, weights: np.ndarray, gid: np.ndarray, ngroups: int
) -> np.ndarray:
    """Weighted median per group (smallest value whose cumulative weight reaches half)."""
    ok = ~np.isnan(values) & (weights > 0)
    v, w, g = values[ok], weights[ok], gid[ok]
    out = np.full(ngroups, np.nan)
    if len(v) == 0:
        return out
    order = _order_within_groups(v, g)
    v, w, g = v[order], w[order], g[order]
    cw = np.cumsum(w)
    tot = np.bincount(g, weights=w, minlength=ngroups)
    cnt = np.bincount(g, minlength=ngroups)
    start = np.concatenate(([0], np.cumsum(cnt)[:-1]))
    before = np.where(start > 0, cw[np.maximum(start - 1, 0)], 0.0)
    within = cw - before[g]
    reached = within >= 0.5 * tot[g] - 1e-12
    idx = np.flatnonzero(reached)
    first_g, first_i = np.unique(g[idx], return_index=True)
    out[first_g] = v[idx[first_i]]
    return out


def group_last(values: np.ndarray, mask: np.ndarray, gid: np.ndarray, ngroups: int) -> np.ndarray:
    """Last value (by row order) per group among rows where ``mask``; NaN when none."""
    out = np.full(ngroups, np.nan)
    idx = np.flatnonzero(mask)
    if len(idx):
        g = gid[idx]
        last = np.ones(len(idx), dtype=bool)
        last[:-1] = g[1:] != g[:-1]  # rows are sorted by group: the last of each run
        out[g[last]] = values[idx[last]]
    return out

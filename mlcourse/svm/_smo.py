"""Sequential minimal optimisation (SMO) for the kernel SVM dual.

The dual of the soft-margin SVM, written as in LIBSVM with ``Q[i, j] = y_i y_j K[i, j]``::

    min_a  1/2 a^T Q a - sum(a)    subject to  0 <= a_i <= C,  y^T a = 0.

SMO moves two multipliers at a time (the smallest step that keeps ``y^T a = 0``), chosen as
the pair that violates the optimality conditions most, with the second-order rule of Fan,
Chen and Lin (2005). See notebooks/09_support_vector_machines.ipynb.
"""

from __future__ import annotations

import numpy as np

# Smallest curvature allowed for a pair: guards the step when K is not positive definite.
TAU = 1e-12


class KernelRows:
    """Rows of the training kernel matrix, as the solver asks for them.

    When the whole ``n x n`` matrix fits in ``cache_bytes`` it is computed once with matrix
    products; otherwise rows are computed on demand and the most recently used ones kept.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    kernel : callable
        ``kernel(A, B) -> ndarray of shape (len(A), len(B))``.
    cache_bytes : int
    K : ndarray of shape (n, n), optional
        An already computed kernel matrix.
    """

    def __init__(self, X, kernel, cache_bytes, K=None):
        n = X.shape[0]
        self.X, self.kernel = X, kernel
        if K is None and 8 * n * n <= cache_bytes:
            K = kernel(X, X)
        self.K = K
        if K is not None:
            self.row = K.__getitem__  # a row of a C-ordered matrix is a free view
        else:
            self.max_rows = max(2, int(cache_bytes // (8 * n)))
            self.cache = {}
            self.row = self._cached_row

    def _cached_row(self, i):
        row = self.cache.pop(i, None)  # pop and re-insert: dicts keep insertion order (LRU)
        if row is None:
            row = self.kernel(self.X[i : i + 1], self.X)[0]
            if len(self.cache) >= self.max_rows:
                del self.cache[next(iter(self.cache))]
        self.cache[i] = row
        return row


def smo(rows, diag, y, C, tol=1e-3, max_iter=-1):
    """Solve the SVM dual by SMO with second-order working-set selection.

    Instead of the gradient ``G = Q a - 1`` the loop keeps ``v = -y * G``: then the KKT
    conditions read ``max(v[I_up]) <= min(v[I_low])`` and a step ``t`` on the pair
    ``(i, j)`` (``a_i += y_i t``, ``a_j -= y_j t``) changes ``v`` by ``-t (K[i] - K[j])``.

    Parameters
    ----------
    rows : KernelRows
        Gives ``rows.row(i) = K[i]``.
    diag : ndarray of shape (n,)
        ``K[i, i]``.
    y : ndarray of shape (n,)
        Labels in ``{-1, +1}``.
    C : float
    tol : float
        Stop when the maximal violation ``max(v[I_up]) - min(v[I_low])`` is below ``tol``.
    max_iter : int
        ``-1`` for no limit.

    Returns
    -------
    alpha : ndarray of shape (n,)
        Lagrange multipliers, ``0 <= alpha <= C``.
    b : float
        Intercept: ``f(x) = sum_i alpha_i y_i k(x_i, x) + b``.
    n_iter : int
    converged : bool
    """
    n = y.shape[0]
    y = y.astype(float)
    y_list = y.tolist()  # Python floats: scalar work in the loop stays cheap
    alpha = np.zeros(n)
    v = y.copy()  # at alpha = 0 the gradient is -1, so v = y
    # I_up = {y=+1, a<C} U {y=-1, a>0}; I_low = {y=-1, a<C} U {y=+1, a>0}. At a=0 they are
    # the positive and the negative class. Masks are stored as additive penalties so that
    # max/min over a set is one addition; only entries i and j change per step.
    up_pen = np.where(y > 0, 0.0, -np.inf)
    low_pen = np.where(y > 0, np.inf, 0.0)
    low_one = (y < 0).astype(float)
    limit = max(10_000_000, 100 * n) if max_iter is None or max_iter < 0 else int(max_iter)
    converged = False
    n_iter = 0
    while n_iter < limit:
        # i: the most violating index of I_up (first-order choice)
        vu = v + up_pen
        i = int(vu.argmax())
        v_i = vu[i]
        if v_i - (v + low_pen).min() < tol:
            converged = True
            break
        n_iter += 1
        K_i = rows.row(i)
        # j: the index of I_low with v_j < v_i whose pair gives the largest decrease
        # b^2 / (2 a) of the objective (second-order choice), a = K_ii + K_jj - 2 K_ij.
        a = diag + diag[i]
        a -= K_i
        a -= K_i
        np.maximum(a, TAU, out=a)
        gain = v_i - v
        np.maximum(gain, 0.0, out=gain)
        gain *= gain
        gain /= a
        gain *= low_one
        j = int(gain.argmax())
        K_j = rows.row(j)
        t = _step(v_i - v[j], a[j], alpha, y_list, i, j, C)
        # gradient update: v <- v - t (K_i - K_j)
        delta = K_i - K_j
        delta *= t
        v -= delta
        for k in (i, j):
            up, low = _sets(alpha[k], y_list[k], C)
            up_pen[k] = 0.0 if up else -np.inf
            low_pen[k] = 0.0 if low else np.inf
            low_one[k] = 1.0 if low else 0.0
    return alpha, _intercept(alpha, v, y, C), n_iter, converged


def _step(b, a, alpha, y, i, j, C):
    """Take the clipped Newton step ``t = min(b / a, room for a_i, room for a_j)`` in place."""
    room_i = C - alpha[i] if y[i] > 0 else alpha[i]
    room_j = C - alpha[j] if y[j] < 0 else alpha[j]
    t = min(b / a, room_i, room_j)
    # land exactly on a bound when the step is clipped, so 0 and C stay exact
    alpha[i] = (C if y[i] > 0 else 0.0) if t == room_i else alpha[i] + y[i] * t
    alpha[j] = (C if y[j] < 0 else 0.0) if t == room_j else alpha[j] - y[j] * t
    return t


def _sets(a, y, C):
    """Membership of one index in ``I_up`` and ``I_low``."""
    up = (a < C) if y > 0 else (a > 0)
    low = (a < C) if y < 0 else (a > 0)
    return up, low


def _intercept(alpha, v, y, C):
    """``b`` from the KKT conditions: the mean of ``v`` over free multipliers (``0 < a < C``).

    With no free multiplier, ``b`` is the midpoint of the interval the bounded ones allow.
    """
    free = (alpha > 0) & (alpha < C)
    if free.any():
        return float(v[free].mean())
    up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
    low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
    lo = v[up].max() if up.any() else -np.inf
    hi = v[low].min() if low.any() else np.inf
    if not np.isfinite(lo):
        return float(hi)
    if not np.isfinite(hi):
        return float(lo)
    return float(0.5 * (lo + hi))

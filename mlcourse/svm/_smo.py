"""Sequential minimal optimisation (SMO) for the kernel SVM dual.

The dual of the soft-margin SVM, written as in LIBSVM with ``Q[i, j] = y_i y_j K[i, j]``::

    min_alpha  1/2 alpha^T Q alpha - sum(alpha)
    subject to 0 <= alpha_i <= C  and  y^T alpha = 0.

SMO (Platt, 1998) moves two multipliers at a time, the smallest move that keeps
``y^T alpha = 0``, and that two-variable problem has a closed-form solution. Two solvers
follow the same rules and take the same steps:

- :func:`smo_readable` holds the whole kernel matrix and says each step in plain NumPy.
  Read it first.
- :func:`smo` is the one :class:`~mlcourse.svm.SVC` runs: it asks for kernel rows only when
  it needs them and avoids temporary arrays (its docstring lists what it changes and why).

Both work with ``v = -y * G`` instead of the gradient ``G = Q alpha - 1`` of the dual
(notebooks/09_support_vector_machines.ipynb, section 5). In ``v`` the optimality conditions
and the update after a step are shorter, and the intercept is an average of ``v``.

Working-set selection, the rule both solvers use (WSS 2 of Fan, Chen and Lin, 2005)::

    Moving alpha_i by +y_i t and alpha_j by -y_j t (t > 0) keeps y^T alpha = 0. It is
    allowed while i is in I_up and j in I_low:

        I_up  = {k : y_k = +1, alpha_k < C} U {k : y_k = -1, alpha_k > 0}
        I_low = {k : y_k = -1, alpha_k < C} U {k : y_k = +1, alpha_k > 0}

    and it lowers the objective when violation = v_i - v_j > 0. The solution is optimal
    (to tol) when max(v[I_up]) - min(v[I_low]) < tol (Keerthi et al., 2001).

    i = the index of I_up with the largest v                      (first order)
    j = the index of I_low with v_j < v_i that maximises
        violation^2 / curvature, the decrease of the objective
        along the pair, where curvature = K_ii + K_jj - 2 K_ij      (second order)

    The step is the Newton step t = violation / curvature, shortened so that both
    multipliers stay in [0, C]; a curvature below TAU (a kernel that is not positive
    definite) is raised to TAU.

References
----------
.. [1] J. C. Platt, "Sequential minimal optimization: a fast algorithm for training support
   vector machines", Microsoft Research technical report MSR-TR-98-14, 1998.
.. [2] S. S. Keerthi, S. K. Shevade, C. Bhattacharyya, K. R. K. Murthy, "Improvements to
   Platt's SMO algorithm for SVM classifier design", Neural Computation 13(3), 2001.
.. [3] R.-E. Fan, P.-H. Chen, C.-J. Lin, "Working set selection using second order
   information for training support vector machines", Journal of Machine Learning
   Research 6, 2005.
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


def in_up_and_low(alpha, y, C):
    """Membership of ``I_up`` and ``I_low`` (see the module docstring).

    Works on whole arrays and on single entries alike.

    Parameters
    ----------
    alpha : ndarray or float
        Multipliers.
    y : ndarray or float
        Labels in ``{-1, +1}``.
    C : float

    Returns
    -------
    in_up, in_low : ndarray of bool or bool
    """
    below_C, above_0 = alpha < C, alpha > 0
    positive, negative = y > 0, y < 0
    in_up = (positive & below_C) | (negative & above_0)
    in_low = (negative & below_C) | (positive & above_0)
    return in_up, in_low


def smo_readable(K, y, C, tol=1e-3, max_iter=-1):
    """Solve the SVM dual by SMO: the plain version, one idea per line.

    Same rules, same steps and the same result as :func:`smo` (tests/test_smo.py checks it),
    written for reading: the whole kernel matrix ``K`` is in memory and each iteration
    recomputes the working sets.

    Parameters
    ----------
    K : ndarray of shape (n, n)
        Kernel matrix of the training points.
    y : ndarray of shape (n,)
        Labels in ``{-1, +1}``.
    C : float
        Upper bound of the multipliers.
    tol : float, default=1e-3
        Stop when the maximal violation ``max(v[I_up]) - min(v[I_low])`` is below ``tol``.
    max_iter : int, default=-1
        Maximum number of steps; ``-1`` for no limit.

    Returns
    -------
    alpha : ndarray of shape (n,)
        Lagrange multipliers, ``0 <= alpha <= C``.
    b : float
        Intercept: ``f(x) = sum_i alpha_i y_i k(x_i, x) + b``.
    n_iter : int
        Steps taken.
    converged : bool
        Whether the maximal violation fell below ``tol``.
    """
    y = np.asarray(y, dtype=float)
    n = y.shape[0]
    diag = np.diagonal(K)
    alpha = np.zeros(n)
    v = y.copy()  # v = -y * G, and at alpha = 0 the gradient G is -1
    limit = _iteration_limit(max_iter, n)
    n_iter = 0
    while n_iter < limit:
        in_up, in_low = in_up_and_low(alpha, y, C)
        # i: the index of I_up with the largest v (first order)
        i = int(np.where(in_up, v, -np.inf).argmax())
        # optimal to tol: no pair violates the conditions by tol or more
        if v[i] - np.where(in_low, v, np.inf).min() < tol:
            return alpha, _intercept(alpha, v, y, C), n_iter, True
        n_iter += 1
        # j: the index of I_low with v_j < v_i and the largest gain (second order).
        # curvature[j] = K_ii + K_jj - 2 K_ij (K[i] subtracted twice: the same rounding as smo)
        violation = v[i] - v
        curvature = np.maximum(diag[i] + diag - K[i] - K[i], TAU)
        gain = np.where(in_low & (violation > 0), violation**2 / curvature, 0.0)
        j = int(gain.argmax())
        # the clipped Newton step on the pair, then v = -y * G after it
        t = _clipped_step(violation[j], curvature[j], alpha, y, i, j, C)
        v -= t * (K[i] - K[j])  # G changes by t (Q_i y_i - Q_j y_j), so v by -t (K_i - K_j)
    return alpha, _intercept(alpha, v, y, C), n_iter, False


def smo(rows, diag, y, C, tol=1e-3, max_iter=-1):
    """Solve the SVM dual by SMO: the fast version that :class:`~mlcourse.svm.SVC` runs.

    The same rules and steps as :func:`smo_readable` (read that first). What changes, and why:

    - kernel rows come from ``rows`` (:class:`KernelRows`), which computes them on demand
      when the ``n x n`` matrix does not fit in memory;
    - ``I_up`` and ``I_low`` are kept from one step to the next, as offsets added to ``v``
      (adding is several times faster than ``np.where``), and only entries ``i`` and ``j``,
      the only multipliers a step moves, are updated, with the same :func:`in_up_and_low`;
    - the per-step vectors are computed in place, to spare the temporary arrays that
      dominate the time of a step for a few thousand points;
    - the labels are also held as Python floats, so the scalar work of the step stays cheap.

    Parameters
    ----------
    rows : KernelRows
        Gives ``rows.row(i) = K[i]``.
    diag : ndarray of shape (n,)
        ``K[i, i]``.
    y : ndarray of shape (n,)
        Labels in ``{-1, +1}``.
    C : float
        Upper bound of the multipliers.
    tol : float, default=1e-3
        Stop when the maximal violation ``max(v[I_up]) - min(v[I_low])`` is below ``tol``.
    max_iter : int, default=-1
        Maximum number of steps; ``-1`` for no limit.

    Returns
    -------
    alpha : ndarray of shape (n,)
        Lagrange multipliers, ``0 <= alpha <= C``.
    b : float
        Intercept: ``f(x) = sum_i alpha_i y_i k(x_i, x) + b``.
    n_iter : int
        Steps taken.
    converged : bool
        Whether the maximal violation fell below ``tol``.
    """
    n = y.shape[0]
    y = y.astype(float)
    y_list = y.tolist()  # Python floats: scalar work in the loop stays cheap
    alpha = np.zeros(n)
    v = y.copy()  # v = -y * G, and at alpha = 0 the gradient G is -1
    # The working sets as offsets: 0 inside the set, -inf (I_up) or +inf (I_low) outside, so
    # that v + offset keeps the set's entries and pushes the others out of the max (min).
    in_up, in_low = in_up_and_low(alpha, y, C)
    up_offset = np.where(in_up, 0.0, -np.inf)
    low_offset = np.where(in_low, 0.0, np.inf)
    limit = _iteration_limit(max_iter, n)
    converged = False
    n_iter = 0
    while n_iter < limit:
        v_up = v + up_offset
        i = int(v_up.argmax())
        v_i = v_up[i]
        v_low = v + low_offset
        if v_i - v_low.min() < tol:
            converged = True
            break
        n_iter += 1
        K_i = rows.row(i)
        curvature = diag + diag[i]
        curvature -= K_i
        curvature -= K_i
        np.maximum(curvature, TAU, out=curvature)
        gain = v_i - v_low  # the violation of each pair (i, j); -inf for j outside I_low
        np.maximum(gain, 0.0, out=gain)
        gain *= gain
        gain /= curvature
        j = int(gain.argmax())
        K_j = rows.row(j)
        t = _clipped_step(v_i - v[j], curvature[j], alpha, y_list, i, j, C)
        delta_v = K_i - K_j
        delta_v *= t
        v -= delta_v
        for k in (i, j):
            up, low = in_up_and_low(alpha.item(k), y_list[k], C)
            up_offset[k] = 0.0 if up else -np.inf
            low_offset[k] = 0.0 if low else np.inf
    return alpha, _intercept(alpha, v, y, C), n_iter, converged


def _iteration_limit(max_iter, n):
    """``max_iter``, or a generous bound when it is ``None`` or negative (no limit)."""
    if max_iter is None or max_iter < 0:
        return max(10_000_000, 100 * n)
    return int(max_iter)


def _clipped_step(violation, curvature, alpha, y, i, j, C):
    """Move the pair ``(i, j)`` in place; return the step length ``t``.

    ``t = min(violation / curvature, room for alpha_i, room for alpha_j)``, then
    ``alpha_i += y_i t`` and ``alpha_j -= y_j t``.
    """
    room_i = C - alpha[i] if y[i] > 0 else alpha[i]
    room_j = C - alpha[j] if y[j] < 0 else alpha[j]
    t = min(violation / curvature, room_i, room_j)
    # land exactly on a bound when the step is clipped, so 0 and C stay exact
    alpha[i] = (C if y[i] > 0 else 0.0) if t == room_i else alpha[i] + y[i] * t
    alpha[j] = (C if y[j] < 0 else 0.0) if t == room_j else alpha[j] - y[j] * t
    return t


def _intercept(alpha, v, y, C):
    """Find the intercept from the KKT conditions: the mean of ``v`` over free multipliers.

    A multiplier is free when ``0 < alpha < C``. With no free multiplier, the intercept is the
    midpoint of the interval ``[max(v[I_up]), min(v[I_low])]`` the bounded ones allow.
    """
    free = (alpha > 0) & (alpha < C)
    if free.any():
        return float(v[free].mean())
    in_up, in_low = in_up_and_low(alpha, y, C)
    lo = v[in_up].max() if in_up.any() else -np.inf
    hi = v[in_low].min() if in_low.any() else np.inf
    if not np.isfinite(lo):
        return float(hi)
    if not np.isfinite(hi):
        return float(lo)
    return float(0.5 * (lo + hi))

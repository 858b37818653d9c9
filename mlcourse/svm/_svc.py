"""Kernel support vector classifier trained by SMO.

See notebooks/09_support_vector_machines.ipynb.
"""

from __future__ import annotations

import warnings
from contextlib import nullcontext
from functools import partial
from itertools import combinations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.metrics.pairwise import check_squares_finite
from mlcourse.svm._kernels import kernel_diagonal, pairwise_kernel
from mlcourse.svm._smo import KernelRows, smo
from mlcourse.utils import check_params, integer, one_of, real, rows_per_block, single_blas_thread

_KERNELS = ("rbf", "poly", "linear")


class SVC(ClassifierMixin, BaseEstimator):
    """Kernel support vector classifier: the dual problem solved by SMO.

    Fits ``f(x) = sum_i alpha_i y_i k(x_i, x) + b`` by solving
    ``min_a 1/2 sum_ij a_i a_j y_i y_j k(x_i, x_j) - sum_i a_i`` with ``0 <= a_i <= C`` and
    ``sum_i a_i y_i = 0``. Points with ``a_i > 0`` are the support vectors. More than two
    classes are handled one-vs-one, as in LIBSVM and scikit-learn: one classifier per pair of
    classes, prediction by majority vote. See notebooks/09_support_vector_machines.ipynb.

    To read the solver, start with ``smo_readable`` in ``mlcourse/svm/_smo.py`` (one step per
    loop, each labelled with its rule); ``smo`` beside it is the same algorithm, step for step,
    with the kernel rows computed on demand and cached.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength: the price of each unit of margin violation.
    kernel : {"rbf", "poly", "linear"}, default="rbf"
    degree : int, default=3
        Degree of the polynomial kernel.
    gamma : {"scale", "auto"} or float, default="scale"
        Kernel coefficient for "rbf" and "poly". ``"scale"`` is ``1 / (n_features * X.var())``,
        ``"auto"`` is ``1 / n_features``.
    coef0 : float, default=0.0
        Constant term of the polynomial kernel.
    tol : float, default=1e-3
        Stop when the largest violation of the optimality conditions is below ``tol``.
    cache_size : float, default=200
        Megabytes for the kernel matrix. When ``n^2`` entries fit it is computed once;
        otherwise rows are computed on demand and the recent ones kept.
    max_iter : int, default=-1
        Maximum SMO steps per pair of classes; ``-1`` for no limit.
    decision_function_shape : {"ovr", "ovo"}, default="ovr"
        Shape of ``decision_function`` with more than two classes: one-vs-one values
        ``(n, n_classes * (n_classes - 1) / 2)`` or votes turned into ``(n, n_classes)`` scores
        the way scikit-learn does it.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    support_ : ndarray of shape (n_SV,)
        Indices of the support vectors in the training data, grouped by class.
    support_vectors_ : ndarray of shape (n_SV, n_features)
    n_support_ : ndarray of shape (n_classes,)
        Number of support vectors of each class.
    dual_coef_ : ndarray of shape (n_classes - 1, n_SV)
        ``y_i alpha_i`` of each support vector, laid out as in scikit-learn (one row per
        other class it is paired with).
    intercept_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
    n_iter_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
        SMO steps taken by each pairwise problem.
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> X, y = make_moons(200, noise=0.1, random_state=0)
    >>> SVC(gamma=2.0).fit(X, y).score(X, y) > 0.95
    True
    """

    _parameter_rules = {
        "C": real(gt=0),
        "kernel": one_of(*_KERNELS),
        "degree": integer(ge=0),
        "gamma": [one_of("scale", "auto"), real(gt=0)],
        "coef0": real(),
        "tol": real(gt=0),
        "cache_size": real(gt=0),
        "max_iter": integer(),  # -1: no limit
        "decision_function_shape": one_of("ovr", "ovo"),
    }

    def __init__(
        self,
        C=1.0,
        kernel="rbf",
        degree=3,
        gamma="scale",
        coef0=0.0,
        tol=1e-3,
        cache_size=200,
        max_iter=-1,
        decision_function_shape="ovr",
    ):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.cache_size = cache_size
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y):
        """Fit one SMO problem per pair of classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : SVC
        """
        check_params(self)
        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                f"SVC needs samples of at least 2 classes in the data; got 1 class "
                f"({self.classes_[0]!r})."
            )
        check_squares_finite(X, "SVC")
        self._gamma = self._resolve_gamma(X)
        kernel = partial(
            pairwise_kernel,
            kernel=self.kernel,
            gamma=self._gamma,
            degree=self.degree,
            coef0=self.coef0,
        )
        pairs = list(combinations(range(n_classes), 2))
        coef, b, self.n_iter_ = self._solve_pairs(X, y_idx, pairs, kernel)
        self._store_support(X, y_idx, pairs, coef, b)
        return self

    def _solve_pairs(self, X, y_idx, pairs, kernel):
        """Run SMO on each pair of classes; ``coef[k, i] = y_i alpha_i`` in pair ``k``."""
        n = X.shape[0]
        diag = kernel_diagonal(X, self.kernel, self._gamma, self.degree, self.coef0)
        cache_bytes = self.cache_size * 2**20
        # one kernel matrix for every pair when it fits; pairs then slice it
        K = kernel(X, X) if 8 * n * n <= cache_bytes else None
        coef = np.zeros((len(pairs), n))
        b = np.zeros(len(pairs))
        n_iter = np.zeros(len(pairs), dtype=np.int64)
        # kernel rows computed on demand are small matrix products: one BLAS thread
        with nullcontext() if K is not None else single_blas_thread():
            for k, (p, q) in enumerate(pairs):
                idx = np.flatnonzero((y_idx == p) | (y_idx == q))
                y_pair = np.where(y_idx[idx] == p, 1.0, -1.0)  # LIBSVM: the first class is +1
                K_pair = None if K is None else (K if len(idx) == n else K[np.ix_(idx, idx)])
                rows = KernelRows(X[idx], kernel, cache_bytes, K=K_pair)
                alpha, b[k], n_iter[k], converged = smo(
                    rows, diag[idx], y_pair, float(self.C), float(self.tol), self.max_iter
                )
                coef[k, idx] = y_pair * alpha
                if not converged:
                    warnings.warn(
                        f"SMO stopped after max_iter={self.max_iter} steps before reaching "
                        f"tol={self.tol}; scale the features or raise max_iter.",
                        ConvergenceWarning,
                        stacklevel=3,
                    )
        return coef, b, n_iter

    def _resolve_gamma(self, X):
        if self.gamma == "scale":
            var = X.var()
            return 1.0 / (X.shape[1] * var) if var > 0 else 1.0
        if self.gamma == "auto":
            return 1.0 / X.shape[1]
        return float(self.gamma)

    def _store_support(self, X, y_idx, pairs, coef, b):
        """Collect the support vectors and lay out the coefficients as scikit-learn does."""
        n_classes = len(self.classes_)
        sv = np.flatnonzero((coef != 0).any(axis=0))
        sv = sv[np.argsort(y_idx[sv], kind="stable")]  # grouped by class, then by index
        sv_class = y_idx[sv]
        self.support_ = sv.astype(np.int32)
        self.support_vectors_ = X[sv]
        self.n_support_ = np.bincount(sv_class, minlength=n_classes).astype(np.int32)
        # dual_coef_[q - 1] holds the class-p support vectors' coefficients in pair (p, q),
        # dual_coef_[p] the class-q ones; _pair_coef_ has the same numbers, one column per pair
        dual_coef = np.zeros((n_classes - 1, len(sv)))
        pair_coef = np.zeros((len(sv), len(pairs)))
        for k, (p, q) in enumerate(pairs):
            in_p, in_q = sv_class == p, sv_class == q
            dual_coef[q - 1, in_p] = coef[k, sv[in_p]]
            dual_coef[p, in_q] = coef[k, sv[in_q]]
            pair_coef[:, k] = coef[k, sv] * (in_p | in_q)
        intercept = b
        if n_classes == 2:
            # scikit-learn's convention: a positive decision value means classes_[1]
            dual_coef, pair_coef, intercept = -dual_coef, -pair_coef, -b
        self.dual_coef_ = dual_coef
        self.intercept_ = intercept
        self._pair_coef = pair_coef
        self._pairs = np.array(pairs, dtype=np.intp).reshape(-1, 2)

    # --------------------------------------------------------------- prediction
    def _pairwise_decision(self, X):
        """One-vs-one decision values ``K(X, SV) @ coef + b``, in blocks of rows."""
        sv = self.support_vectors_
        step = rows_per_block(sv.shape[0])  # bounded memory
        out = np.empty((X.shape[0], self._pair_coef.shape[1]))
        for start in range(0, X.shape[0], step):
            block = slice(start, start + step)
            K = pairwise_kernel(X[block], sv, self.kernel, self._gamma, self.degree, self.coef0)
            out[block] = K @ self._pair_coef
        out += self.intercept_
        return out

    def _validated(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False, order="C")
        check_squares_finite(X, "SVC")  # a kernel of overflowing values is silently 0 or inf
        return X

    def decision_function(self, X):
        """Signed distance-like scores.

        Two classes: shape (n,), positive means ``classes_[1]``. More classes: shape
        (n, n_classes) for ``decision_function_shape="ovr"`` (votes plus a confidence in
        (-1/3, 1/3)), or (n, n_pairs) one-vs-one values (positive favours the first class of
        the pair) for ``"ovo"``.
        """
        dec = self._pairwise_decision(self._validated(X))
        if len(self.classes_) == 2:
            return dec[:, 0]
        if self.decision_function_shape == "ovo":
            return dec
        votes, confidence = self._votes(dec)
        return votes + confidence / (3 * (np.abs(confidence) + 1))

    def _votes(self, dec):
        """Votes of the pairwise classifiers and their summed decision values, per class."""
        n_classes = len(self.classes_)
        first = np.eye(n_classes)[self._pairs[:, 0]]  # (n_pairs, n_classes) one-hot
        second = np.eye(n_classes)[self._pairs[:, 1]]
        wins = (dec > 0).astype(float)
        votes = wins @ first + (1.0 - wins) @ second
        return votes, dec @ (first - second)

    def predict(self, X):
        """Class with the most one-vs-one votes (ties go to the earlier class, as in LIBSVM)."""
        dec = self._pairwise_decision(self._validated(X))
        if len(self.classes_) == 2:
            return self.classes_[(dec[:, 0] > 0).astype(int)]
        votes, _ = self._votes(dec)
        return self.classes_[votes.argmax(axis=1)]

"""Principal component analysis by the singular value decomposition.

See notebooks/11_unsupervised_learning.ipynb for the derivation.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from mlcourse.utils import check_params, integer, one_of, real


def flip_signs(Vt):
    """Make each row's entry of largest magnitude positive.

    A singular vector is only defined up to its sign (``v`` and ``-v`` are both valid), so
    without a rule two LAPACK builds could return mirrored components. Same rule as
    scikit-learn's ``svd_flip(..., u_based_decision=False)``.

    Returns
    -------
    Vt : ndarray, the rows multiplied by +1 or -1
    signs : ndarray of shape (n_rows,)
    """
    biggest = np.take_along_axis(Vt, np.abs(Vt).argmax(axis=1)[:, None], axis=1)[:, 0]
    signs = np.where(biggest < 0, -1.0, 1.0)
    return Vt * signs[:, None], signs


def svd_components(X_centered):
    """Principal axes and singular values from the thin SVD ``X_c = U S V^T``.

    Returns
    -------
    S : ndarray of shape (min(n, d),), decreasing
    Vt : ndarray of shape (min(n, d), d), rows are the principal axes
    """
    _, S, Vt = np.linalg.svd(X_centered, full_matrices=False)
    return S, Vt


def covariance_components(X_centered):
    """Compute what :func:`svd_components` does, through ``eigh`` of the d x d covariance.

    ``C = X_c^T X_c / (n - 1) = V diag(S^2 / (n - 1)) V^T``: cheaper when ``n >> d`` because
    the big matrix is touched once (one product) and the decomposition is only d x d.
    """
    n_samples = X_centered.shape[0]
    C = X_centered.T @ X_centered / (n_samples - 1)
    eigenvalues, eigenvectors = np.linalg.eigh(C)  # ascending order
    eigenvalues = np.clip(eigenvalues[::-1], 0.0, None)  # round-off can go slightly negative
    S = np.sqrt(eigenvalues * (n_samples - 1))
    return S, eigenvectors[:, ::-1].T


def components_for_variance(explained_variance_ratio, fraction):
    """Smallest number of components whose cumulative explained variance exceeds ``fraction``."""
    cumulative = np.cumsum(explained_variance_ratio)
    if cumulative.size == 0 or cumulative[-1] <= 0:  # no variance at all: one axis is enough
        return 1
    return int(np.searchsorted(cumulative, fraction, side="right")) + 1


class PCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Principal component analysis by SVD of the centred data, written in NumPy.

    With ``X_c = X - mean = U S V^T``, the rows of ``V^T`` are the directions of largest
    variance and ``S^2 / (n - 1)`` the variances along them; projecting is ``X_c V``.
    See notebooks/11_unsupervised_learning.ipynb.

    Parameters
    ----------
    n_components : int, float in (0, 1) or None, default=None
        Components to keep: a number, the smallest number explaining more than this
        fraction of the variance, or all ``min(n_samples, n_features)``.
    whiten : bool, default=False
        Divide the projections by ``sqrt(explained_variance_)`` so each has unit variance.
    svd_solver : {"auto", "full", "covariance_eigh"}, default="auto"
        ``"full"``: thin SVD of the centred data. ``"covariance_eigh"``: eigendecomposition
        of the covariance matrix, faster for tall data. ``"auto"`` takes the covariance
        route when ``n_samples >= 10 * n_features`` and ``n_features <= 1000``.

    Attributes
    ----------
    components_ : ndarray of shape (n_components_, n_features)
        Principal axes, unit rows, sign fixed by :func:`flip_signs`.
    explained_variance_ : ndarray of shape (n_components_,)
    explained_variance_ratio_ : ndarray of shape (n_components_,)
        Share of the total variance along each axis.
    singular_values_ : ndarray of shape (n_components_,)
    mean_ : ndarray of shape (n_features,)
    n_components_ : int
    n_samples_ : int
    n_features_in_ : int
    """

    _parameter_rules = {
        # a count of components, or the fraction of the variance they must explain
        "n_components": [None, integer(ge=1), real(gt=0, lt=1, allow_int=False)],
        "svd_solver": one_of("auto", "full", "covariance_eigh"),
    }

    def __init__(self, n_components=None, *, whiten=False, svd_solver="auto"):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver

    def _check_n_components(self, n_samples, n_features):
        k_max = min(n_samples, n_features)
        k = self.n_components
        if k is None:
            return k_max
        if isinstance(k, numbers.Integral):
            if k > k_max:
                raise ValueError(
                    f"PCA parameter n_components must be at most min(n_samples, n_features)="
                    f"{k_max}, got {k}."
                )
            return int(k)
        return float(k)

    def _solver(self, n_samples, n_features):
        if self.svd_solver != "auto":
            return self.svd_solver
        tall = n_features <= 1000 and n_samples >= 10 * n_features
        return "covariance_eigh" if tall else "full"

    def fit(self, X, y=None):
        """Find the principal axes of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            At least two rows (a variance needs them).
        y : ignored

        Returns
        -------
        self : PCA
        """
        check_params(self)
        X = validate_data(self, X, dtype=np.float64, ensure_min_samples=2)
        n_samples, n_features = X.shape
        k = self._check_n_components(n_samples, n_features)

        self.mean_ = X.mean(axis=0)
        X_centered = X - self.mean_
        if self._solver(n_samples, n_features) == "full":
            S, Vt = svd_components(X_centered)
        else:
            S, Vt = covariance_components(X_centered)
        Vt, _ = flip_signs(Vt)

        explained_variance = S**2 / (n_samples - 1)
        total = explained_variance.sum()
        # A constant X has no variance to share out: call every ratio 0 rather than 0 / 0.
        ratio = explained_variance / total if total > 0 else np.zeros_like(explained_variance)
        if isinstance(k, float):
            k = min(components_for_variance(ratio, k), S.size)

        self.n_components_ = k
        self.n_samples_ = n_samples
        self.components_ = np.ascontiguousarray(Vt[:k])
        self.explained_variance_ = explained_variance[:k].copy()
        self.explained_variance_ratio_ = ratio[:k].copy()
        self.singular_values_ = S[:k].copy()
        return self

    @property
    def _n_features_out(self):
        return self.components_.shape[0]

    def _scale(self):
        # Components with (numerically) zero variance would blow up when whitened.
        return np.maximum(np.sqrt(self.explained_variance_), np.finfo(float).eps)

    def transform(self, X):
        """Coordinates of ``X`` along the principal axes: ``(X - mean_) @ components_.T``.

        Divided by ``sqrt(explained_variance_)`` when ``whiten=True``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        # Project first, then subtract the projected mean: no centred copy of X is made.
        Z = X @ self.components_.T
        Z -= self.mean_ @ self.components_.T
        return Z / self._scale() if self.whiten else Z

    def inverse_transform(self, Z):
        """Map coordinates back to feature space: ``Z @ components_ + mean_``.

        With all components this undoes :meth:`transform`; with fewer it gives the closest
        point of the principal subspace (the reconstruction).
        """
        check_is_fitted(self)
        Z = check_array(Z, dtype=np.float64)
        if Z.shape[1] != self.n_components_:
            raise ValueError(
                f"Z has {Z.shape[1]} columns but this PCA has n_components_={self.n_components_}."
            )
        if self.whiten:
            Z = Z * self._scale()
        return Z @ self.components_ + self.mean_

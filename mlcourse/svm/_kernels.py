"""Kernel functions: similarities that stand in for dot products in a feature space.

A kernel ``k(x, z) = <phi(x), phi(z)>`` lets the SVM dual work in the feature space of
``phi`` without ever building it. See notebooks/09_support_vector_machines.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_array

from mlcourse.metrics.pairwise import squared_euclidean_distances

__all__ = ["linear_kernel", "polynomial_kernel", "rbf_kernel", "kernel_diagonal", "pairwise_kernel"]


def _check_pair(X, Y):
    """Validate ``X`` and ``Y`` (``Y=None`` means ``Y = X``) as 2-D float arrays of equal width."""
    X = check_array(X, dtype=[np.float64, np.float32])
    Y = X if Y is None else check_array(Y, dtype=[np.float64, np.float32])
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"X and Y need the same number of features; got {X.shape[1]} and {Y.shape[1]}."
        )
    return X, Y


def linear_kernel(X, Y=None):
    """Linear kernel ``K[i, j] = x_i . y_j``.

    Parameters
    ----------
    X : array-like of shape (n, d)
    Y : array-like of shape (m, d), default=None
        ``None`` means ``Y = X``.

    Returns
    -------
    K : ndarray of shape (n, m)
    """
    X, Y = _check_pair(X, Y)
    return X @ Y.T


def polynomial_kernel(X, Y=None, degree=3, gamma=None, coef0=1.0):
    """Polynomial kernel ``K[i, j] = (gamma x_i . y_j + coef0) ** degree``.

    ``gamma=None`` means ``1 / n_features`` (as in scikit-learn).

    Returns
    -------
    K : ndarray of shape (n, m)
    """
    X, Y = _check_pair(X, Y)
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    K = X @ Y.T
    K *= gamma
    K += coef0
    return K**degree


def rbf_kernel(X, Y=None, gamma=None):
    """Gaussian (RBF) kernel ``K[i, j] = exp(-gamma ||x_i - y_j||^2)``.

    The squared distances come from one matrix product,
    ``||x - y||^2 = ||x||^2 - 2 x.y + ||y||^2``. ``gamma=None`` means ``1 / n_features``.

    Returns
    -------
    K : ndarray of shape (n, m), entries in (0, 1]
    """
    X, Y = _check_pair(X, Y)
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    K = squared_euclidean_distances(X, Y)
    K *= -gamma
    return np.exp(K, out=K)


def pairwise_kernel(X, Y, kernel, gamma, degree, coef0):
    """``K(X, Y)`` for a kernel named ``"linear"``, ``"poly"`` or ``"rbf"`` (no validation)."""
    if kernel == "linear":
        return X @ Y.T
    if kernel == "poly":
        K = X @ Y.T
        K *= gamma
        K += coef0
        return K**degree
    K = squared_euclidean_distances(X, Y)
    K *= -gamma
    return np.exp(K, out=K)


def kernel_diagonal(X, kernel, gamma, degree, coef0):
    """``k(x_i, x_i)`` for every row, without the full matrix."""
    sq_norms = np.einsum("ij,ij->i", X, X)
    if kernel == "linear":
        return sq_norms
    if kernel == "poly":
        return (gamma * sq_norms + coef0) ** degree
    return np.ones(X.shape[0])

"""Distances between rows of two matrices, vectorised and memory-bounded.

Used by k-nearest neighbours (notebook 07) and k-means (notebook 11).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from mlcourse.utils import BLOCK_BYTES, rows_per_block


def check_squares_finite(X, who: str) -> None:
    """Refuse data whose squared row norms overflow float64 (values beyond about 1e154).

    Distances, kernels and margins all multiply features together; past that size they become
    inf or NaN and every later step is silently wrong, so say so before fitting.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        squares = np.einsum("ij,ij->i", X, X)
    if not np.isfinite(squares).all():
        largest = float(np.max(np.abs(X)))
        raise ValueError(
            f"{who}: the input has values too large to compute with (largest {largest:.3g}); "
            "their squares overflow float64. Scale the features first (StandardScaler).")


def squared_euclidean_distances(A, B, B_sq_norms=None):
    """Squared Euclidean distances between every row of ``A`` and every row of ``B``.

    Uses ``||a - b||^2 = ||a||^2 - 2 a.b + ||b||^2`` so the work is one matrix product.

    Parameters
    ----------
    A : ndarray of shape (n, d)
    B : ndarray of shape (m, d)
    B_sq_norms : ndarray of shape (m,), optional
        Precomputed ``(B ** 2).sum(axis=1)``, reused when ``B`` is fixed (training data,
        centroids) and ``A`` comes in blocks.

    Returns
    -------
    D : ndarray of shape (n, m)
        Non-negative (round-off below zero is clipped).
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if B_sq_norms is None:
        B_sq_norms = np.einsum("ij,ij->i", B, B)
    A_sq_norms = np.einsum("ij,ij->i", A, A)
    D = A @ B.T
    D *= -2.0
    D += A_sq_norms[:, None]
    D += B_sq_norms[None, :]
    np.maximum(D, 0.0, out=D)
    return D


def pairwise_distances_chunked(
    A, B, block_bytes=BLOCK_BYTES
) -> Iterator[tuple[slice, np.ndarray]]:
    """Yield ``(rows, D)`` blocks of squared distances so memory stays bounded.

    ``rows`` is the slice of ``A`` the block covers and ``D`` its distances to all of ``B``.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    B_sq_norms = np.einsum("ij,ij->i", B, B)
    step = rows_per_block(B.shape[0], block_bytes=block_bytes)
    for start in range(0, A.shape[0], step):
        rows = slice(start, min(start + step, A.shape[0]))
        yield rows, squared_euclidean_distances(A[rows], B, B_sq_norms)

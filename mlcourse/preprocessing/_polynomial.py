"""Polynomial and interaction features.

See notebooks/03_feature_engineering.ipynb and 05_linear_regression.ipynb.
"""

from __future__ import annotations

from itertools import combinations, combinations_with_replacement
from math import comb

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted, validate_data

from mlcourse.preprocessing._base import input_feature_names
from mlcourse.utils import Rule, check_params, integer


def _monomials(n_features: int, max_degree: int, interaction_only: bool) -> list[tuple]:
    """Every product of input columns up to ``max_degree``, as tuples of column indexes.

    Ordered by degree, then lexicographically: (), (0,), (1,), (0, 0), (0, 1), (1, 1), ...
    """
    pick = combinations if interaction_only else combinations_with_replacement
    return [c for d in range(max_degree + 1) for c in pick(range(n_features), d)]


def _n_monomials(n_features: int, degree: int, interaction_only: bool) -> int:
    """How many products of exactly ``degree`` columns there are."""
    if interaction_only:
        return comb(n_features, degree)
    return comb(n_features + degree - 1, degree)  # multisets of size degree


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All products of the input columns up to a given degree.

    For columns ``a, b`` and degree 2 the output is ``1, a, b, a^2, a b, b^2``; with
    ``interaction_only`` the powers (``a^2``) are left out. The number of outputs is
    ``C(d + degree, degree)``, so it grows fast. See notebooks/03_feature_engineering.ipynb.

    Parameters
    ----------
    degree : int or tuple (min_degree, max_degree), default=2
    interaction_only : bool, default=False
        Only products of distinct columns.
    include_bias : bool, default=True
        Start with a column of ones.

    Attributes
    ----------
    powers_ : ndarray of shape (n_output_features_, n_features_in_)
        ``powers_[i, j]`` is the exponent of input j in output i.
    n_output_features_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    """

    _parameter_rules = {
        "degree": [integer(ge=0), Rule(
            "a pair (min_degree, max_degree) with 0 <= min_degree <= max_degree",
            lambda v: isinstance(v, tuple | list) and len(v) == 2
            and all(integer().accepts(d) for d in v) and 0 <= v[0] <= v[1])],
    }

    def __init__(self, degree=2, *, interaction_only=False, include_bias=True):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def _degrees(self):
        check_params(self)
        if integer().accepts(self.degree):
            return 0, int(self.degree)
        return int(self.degree[0]), int(self.degree[1])

    def fit(self, X, y=None):
        """Work out how many products there are (they are built in ``transform``)."""
        self._min_degree, self._max_degree = self._degrees()
        X = validate_data(self, X, dtype=FLOAT_DTYPES)
        d = X.shape[1]
        kept_degrees = range(max(self._min_degree, 1), self._max_degree + 1)
        n_out = int(self.include_bias) + sum(
            _n_monomials(d, k, self.interaction_only) for k in kept_degrees
        )
        if n_out == 0:
            raise ValueError(
                f"degree={self.degree!r}, interaction_only={self.interaction_only} and "
                f"include_bias=False leave no output feature for n_features={d}."
            )
        self.n_output_features_ = n_out
        return self

    @property
    def powers_(self):
        """``powers_[i, j]``: the exponent of input j in output i (built on demand)."""
        check_is_fitted(self)
        monomials = _monomials(self.n_features_in_, self._max_degree, self.interaction_only)
        kept = [
            c for c in monomials
            if len(c) >= max(self._min_degree, 1) or (len(c) == 0 and self.include_bias)
        ]
        return np.array(
            [np.bincount(np.array(c, dtype=np.intp), minlength=self.n_features_in_)
             for c in kept], dtype=np.intp,
        ).reshape(len(kept), self.n_features_in_)

    def transform(self, X):
        """Build the product columns, one degree at a time.

        In lexicographic order, the products of degree k that start with column j are
        ``X[:, j]`` times the products of degree k-1 that start with a column >= j (> j
        without powers), and those form one contiguous block of the previous degree. So each
        (degree, column) pair is a single array multiplication over all rows.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=FLOAT_DTYPES)
        n, d = X.shape
        blocks = [np.ones((n, 1), dtype=X.dtype)]
        previous = X
        # first[j]: where the products starting with column j begin in `previous`
        first = np.arange(d + 1)
        if self._max_degree >= 1:
            blocks.append(X)
        for _ in range(2, self._max_degree + 1):
            parts, sizes = [], []
            for j in range(d):
                start = first[j + 1] if self.interaction_only else first[j]
                parts.append(X[:, j : j + 1] * previous[:, start:])
                sizes.append(parts[-1].shape[1])
            previous = np.hstack(parts) if parts else np.empty((n, 0), dtype=X.dtype)
            first = np.concatenate([[0], np.cumsum(sizes)])
            blocks.append(previous)
        lowest = max(self._min_degree, 1)
        kept = [b for k, b in enumerate(blocks) if k >= lowest or (k == 0 and self.include_bias)]
        return np.hstack(kept)

    def get_feature_names_out(self, input_features=None):
        """Names like ``1``, ``a``, ``a^2``, ``a b``."""
        check_is_fitted(self)
        names = input_feature_names(self, input_features)

        def term(j, p):
            return names[j] if p == 1 else f"{names[j]}^{p}"

        out = [
            " ".join(term(j, row[j]) for j in np.flatnonzero(row)) or "1" for row in self.powers_
        ]
        return np.asarray(out, dtype=object)

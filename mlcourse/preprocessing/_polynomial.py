"""Polynomial and interaction features.

See notebooks/03_feature_engineering.ipynb and 05_linear_regression.ipynb.
"""

from __future__ import annotations

import numbers
from itertools import combinations, combinations_with_replacement

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted, validate_data

from mlcourse.preprocessing._base import input_feature_names


def _monomials(n_features: int, max_degree: int, interaction_only: bool) -> list[tuple]:
    """Every product of input columns up to ``max_degree``, as tuples of column indexes.

    Ordered by degree, then lexicographically: (), (0,), (1,), (0, 0), (0, 1), (1, 1), ...
    """
    pick = combinations if interaction_only else combinations_with_replacement
    return [c for d in range(max_degree + 1) for c in pick(range(n_features), d)]


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

    def __init__(self, degree=2, *, interaction_only=False, include_bias=True):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def _degrees(self):
        if isinstance(self.degree, numbers.Integral) and self.degree >= 0:
            return 0, int(self.degree)
        if (
            isinstance(self.degree, tuple | list)
            and len(self.degree) == 2
            and all(isinstance(d, numbers.Integral) for d in self.degree)
            and 0 <= self.degree[0] <= self.degree[1]
        ):
            return int(self.degree[0]), int(self.degree[1])
        raise ValueError(
            "degree must be a non-negative int or a tuple (min_degree, max_degree) with "
            f"0 <= min_degree <= max_degree, got {self.degree!r}."
        )

    def _kept(self, monomials, min_degree):
        """Which monomials are output: degrees in [min_degree, max_degree], bias on request."""
        return np.array(
            [len(c) >= max(min_degree, 1) or (len(c) == 0 and self.include_bias)
             for c in monomials]
        )

    def fit(self, X, y=None):
        """Work out which products to build."""
        min_degree, max_degree = self._degrees()
        X = validate_data(self, X, dtype=FLOAT_DTYPES)
        monomials = _monomials(X.shape[1], max_degree, self.interaction_only)
        kept = self._kept(monomials, min_degree)
        if not kept.any():
            raise ValueError(
                f"degree={self.degree!r}, interaction_only={self.interaction_only} and "
                f"include_bias=False leave no output feature for n_features={X.shape[1]}."
            )
        powers = np.zeros((len(monomials), X.shape[1]), dtype=np.intp)
        for i, c in enumerate(monomials):
            np.add.at(powers[i], list(c), 1)
        self.powers_ = powers[kept]
        self.n_output_features_ = int(kept.sum())
        self._monomials = monomials
        self._keep = kept
        return self

    def transform(self, X):
        """Build the product columns, one degree at a time.

        Each monomial of degree k is a monomial of degree k-1 (its first k-1 indexes)
        times one more column, so a whole degree is one array expression.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=FLOAT_DTYPES)
        column = {c: i for i, c in enumerate(self._monomials)}
        XP = np.empty((X.shape[0], len(self._monomials)), dtype=X.dtype)
        XP[:, 0] = 1
        degree = np.array([len(c) for c in self._monomials])
        for k in range(1, degree.max(initial=0) + 1):
            block = np.flatnonzero(degree == k)
            parents = [column[self._monomials[i][:-1]] for i in block]
            last = [self._monomials[i][-1] for i in block]
            XP[:, block] = XP[:, parents] * X[:, last]
        return XP[:, self._keep]

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

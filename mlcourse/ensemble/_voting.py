"""Voting: fit several different models and combine their predictions.

Hard voting takes the (weighted) majority class, ``argmax_k sum_m w_m [f_m(x) = k]``; soft
voting averages the predicted probabilities, ``argmax_k sum_m w_m p_m(k | x)``; a voting
regressor averages the predictions. See notebooks/15_ensembles.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin, TransformerMixin, clone
from sklearn.utils import Bunch
from sklearn.utils._available_if import available_if
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class _BaseHeterogeneous(TransformerMixin, _BaseComposition):
    """Named (name, estimator) pairs, fitted as clones; ``"drop"`` leaves one out."""

    def get_params(self, deep=True):
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params):
        self._set_params("estimators", **params)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # transform returns the members' predictions, not a rescaled X
        tags.transformer_tags.preserves_dtype = []
        return tags

    @property
    def named_estimators(self):
        return Bunch(**dict(self.estimators))

    def _check_estimators(self):
        if not self.estimators or not all(
                isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str)
                for item in self.estimators):
            raise ValueError("'estimators' should be a non-empty list of (string, estimator) "
                             "tuples.")
        names = [name for name, _ in self.estimators]
        if len(set(names)) != len(names):
            raise ValueError(f"Names provided are not unique: {names!r}")
        kept = [(name, est) for name, est in self.estimators if est != "drop"]
        if not kept:
            raise ValueError("All estimators are dropped. At least one is required.")
        return kept

    def _weights_kept(self):
        if self.weights is None:
            return None
        if len(self.weights) != len(self.estimators):
            raise ValueError(f"Number of `estimators` and weights must be equal; got "
                             f"{len(self.weights)} weights, {len(self.estimators)} estimators")
        return np.array([w for w, (_, est) in zip(self.weights, self.estimators, strict=True)
                         if est != "drop"], dtype=float)

    def _fit_members(self, X, y, sample_weight):
        kept = self._check_estimators()
        self._weights_ = self._weights_kept()
        fit_kw = {} if sample_weight is None else {"sample_weight": sample_weight}
        self.estimators_ = [clone(est).fit(X, y, **fit_kw) for _, est in kept]
        self.named_estimators_ = Bunch(**{name: fitted for (name, _), fitted
                                          in zip(kept, self.estimators_, strict=True)})

    def _checked_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=None)


class VotingClassifier(ClassifierMixin, _BaseHeterogeneous):
    """Majority (hard) or averaged-probability (soft) vote of several classifiers.

    Parameters
    ----------
    estimators : list of (str, estimator)
        The members; an estimator may be ``"drop"``.
    voting : {"hard", "soft"}, default="hard"
    weights : array-like of shape (n_estimators,) or None, default=None
    n_jobs : int or None, default=None
        Accepted for compatibility; members are fitted one after the other.
    flatten_transform : bool, default=True
        Shape of :meth:`transform` with soft voting: (n, m*K) if True, else (m, n, K).
    verbose : bool, default=False
        Accepted for compatibility.

    Attributes
    ----------
    estimators_ : list of fitted estimators (fitted on class codes ``0..K-1``)
    named_estimators_ : Bunch
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    See notebooks/15_ensembles.ipynb.
    """

    def __init__(self, estimators, *, voting="hard", weights=None, n_jobs=None,
                 flatten_transform=True, verbose=False):
        self.estimators = estimators
        self.voting = voting
        self.weights = weights
        self.n_jobs = n_jobs
        self.flatten_transform = flatten_transform
        self.verbose = verbose

    def fit(self, X, y, sample_weight=None):
        """Fit a clone of every member on ``X, y``.

        Returns
        -------
        self
        """
        if self.voting not in ("hard", "soft"):
            raise ValueError(f"Voting must be 'soft' or 'hard'; got (voting={self.voting!r})")
        X, y = validate_data(self, X, y, dtype=None)
        check_classification_targets(y)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        self._fit_members(X, y_code, sample_weight)
        return self

    def _votes(self, X):
        """Weighted vote count of each class, shape (n_samples, n_classes)."""
        votes = np.zeros((X.shape[0], self.classes_.size))
        weights = np.ones(len(self.estimators_)) if self._weights_ is None else self._weights_
        rows = np.arange(X.shape[0])
        for est, w in zip(self.estimators_, weights, strict=True):
            votes[rows, est.predict(X).astype(np.intp)] += w
        return votes

    def _collect_proba(self, X):
        return np.asarray([est.predict_proba(X) for est in self.estimators_])

    def _soft(self):
        return self.voting == "soft"

    @available_if(_soft)
    def predict_proba(self, X):
        """Weighted mean of the members' class probabilities (soft voting only)."""
        X = self._checked_X(X)
        return np.average(self._collect_proba(X), axis=0, weights=self._weights_)

    def predict(self, X):
        """Predict the majority class (hard) or the most probable class on average (soft)."""
        if self.voting == "soft":
            proba = self.predict_proba(X)
            return self.classes_[np.argmax(proba, axis=1)]
        X = self._checked_X(X)
        return self.classes_[np.argmax(self._votes(X), axis=1)]

    def transform(self, X):
        """Members' predictions: class codes (hard, shape (n, m)) or probabilities (soft)."""
        X = self._checked_X(X)
        if self.voting == "soft":
            proba = self._collect_proba(X)
            return np.hstack(proba) if self.flatten_transform else proba
        return np.column_stack([est.predict(X) for est in self.estimators_])


class VotingRegressor(RegressorMixin, _BaseHeterogeneous):
    """Weighted mean of the predictions of several regressors.

    Parameters
    ----------
    estimators : list of (str, estimator)
    weights : array-like of shape (n_estimators,) or None, default=None
    n_jobs : int or None, default=None
        Accepted for compatibility.
    verbose : bool, default=False
        Accepted for compatibility.

    Attributes
    ----------
    estimators_ : list of fitted estimators
    named_estimators_ : Bunch
    n_features_in_ : int

    See notebooks/15_ensembles.ipynb.
    """

    def __init__(self, estimators, *, weights=None, n_jobs=None, verbose=False):
        self.estimators = estimators
        self.weights = weights
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X, y, sample_weight=None):
        """Fit a clone of every member on ``X, y``.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=None, y_numeric=True)
        self._fit_members(X, y, sample_weight)
        return self

    def predict(self, X):
        """``sum_m w_m f_m(x) / sum_m w_m``."""
        return np.average(self.transform(X), axis=1, weights=self._weights_)

    def transform(self, X):
        """Members' predictions, shape (n_samples, n_members)."""
        X = self._checked_X(X)
        return np.column_stack([est.predict(X) for est in self.estimators_])

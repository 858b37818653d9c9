"""Bagging and random forests: many trees on bootstrap samples, averaged.

Each member sees a bootstrap sample of the rows (``n`` draws with replacement, passed to
the tree as integer sample weights); a random forest also draws ``max_features``
candidate features afresh at every split, which decorrelates the trees further. The
rows a member never saw (about ``e^-1 = 37 %``) give a free validation score: the
out-of-bag (OOB) estimate.

See notebooks/15_ensembles.ipynb.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    has_fit_parameter,
    validate_data,
)

from mlcourse.ensemble._base import (
    COUNT_OR_FRACTION,
    bootstrap_counts,
    draw_count,
    grow_member,
    is_mlcourse_tree,
    member_seeds,
)
from mlcourse.tree import DecisionTreeClassifier, DecisionTreeRegressor, presort
from mlcourse.tree._classes import TREE_RULES
from mlcourse.utils import check_params, integer, one_of


def _r2(y, pred):
    ss_res = np.sum((y - pred) ** 2)
    ss_tot = np.sum((y - y.mean()) ** 2)
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else (1.0 if ss_res == 0 else 0.0)


def _oob_average(total, n_predictions):
    """Average the out-of-bag sums; rows that were never out of bag get a warning."""
    missing = n_predictions == 0
    if missing.any():
        warnings.warn("Some inputs do not have OOB scores. This probably means too few "
                      "estimators were used to compute any reliable oob estimates.",
                      UserWarning, stacklevel=3)
    shape = (-1,) + (1,) * (total.ndim - 1)
    return total / np.maximum(n_predictions, 1).reshape(shape)


def _sample_draws(seed, n, n_draws, bootstrap):
    """Row counts of one member: a bootstrap sample, or ``n_draws`` rows without replacement."""
    if bootstrap:
        return bootstrap_counts(seed, n, n_draws)
    if n_draws == n:
        return np.ones(n, dtype=np.int64)
    rng = np.random.RandomState(seed)
    counts = np.zeros(n, dtype=np.int64)
    counts[rng.permutation(n)[:n_draws]] = 1
    return counts


class _ForestMixin:
    """Fit, OOB and importances shared by both forests."""

    def _fit_forest(self, X, y, sample_weight, classes=None):
        check_params(self)
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        if not self.bootstrap and self.max_samples is not None:
            raise ValueError("`max_sample` cannot be set if `bootstrap=False`. Either "
                             "switch to `bootstrap=True` or set `max_sample=None`.")
        n = X.shape[0]
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        self._n_draws = draw_count(self.max_samples, n)
        order = presort(X)  # each feature sorted once for the whole forest
        self._seeds = member_seeds(self.random_state, self.n_estimators)
        self.estimators_ = []
        for seed in self._seeds:
            counts = _sample_draws(seed, n, self._n_draws, self.bootstrap)
            tree = self._make_tree()
            self.estimators_.append(grow_member(tree, X, order, y, sw * counts, seed, classes))
        self.estimator_ = self._make_tree()
        if self.oob_score:
            self._compute_oob(X, y)
        return self

    def _member_counts(self, n):
        for seed, tree in zip(self._seeds, self.estimators_, strict=True):
            yield _sample_draws(seed, n, self._n_draws, self.bootstrap), tree

    @property
    def feature_importances_(self):
        """Mean decrease in impurity of each feature, averaged over the trees, sums to 1."""
        check_is_fitted(self)
        imp = np.mean([t.feature_importances_ for t in self.estimators_
                       if t.tree_.node_count > 1] or [np.zeros(self.n_features_in_)], axis=0)
        total = imp.sum()
        return imp / total if total > 0 else imp

    def apply(self, X):
        """Leaf index of every sample in every tree, shape ``(n_samples, n_estimators)``."""
        X = self._checked_X(X)
        return np.column_stack([t.tree_.apply(X) for t in self.estimators_])

    def _checked_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=np.float64)

    def _tree_params(self):
        return dict(criterion=self.criterion, max_depth=self.max_depth,
                    min_samples_split=self.min_samples_split,
                    min_samples_leaf=self.min_samples_leaf, max_features=self.max_features)


# The forests check their trees' parameters themselves, so an error names the forest.
_FOREST_RULES = {"n_estimators": integer(ge=1), **TREE_RULES,
                 "max_samples": [None, *COUNT_OR_FRACTION]}


class RandomForestClassifier(_ForestMixin, ClassifierMixin, BaseEstimator):
    """Random forest: bagged CART trees with a fresh draw of features at every split.

    ``p(k | x) = (1/B) sum_b p_b(k | x)``: the class probabilities of the ``B`` trees,
    averaged; the prediction is the most probable class. See notebooks/15_ensembles.ipynb.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
    max_depth : int or None, default=None
    min_samples_split : int or float, default=2
    min_samples_leaf : int or float, default=1
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        Features drawn at each split (``None``: all of them, which is plain bagging).
    bootstrap : bool, default=True
        Draw each tree's rows with replacement; ``False`` gives every tree all the rows.
    oob_score : bool, default=False
        Score each row with the trees that did not see it (``oob_score_``).
    n_jobs : int or None, default=None
        Accepted for compatibility with scikit-learn; the trees are grown one after the
        other (each one is vectorised).
    random_state : int, RandomState or None, default=None
        Seeds the bootstrap draws and the feature draws.
    max_samples : int, float or None, default=None
        Rows drawn per tree (``None``: as many as there are).

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float
        Accuracy of the out-of-bag predictions (if ``oob_score``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
    n_features_in_ : int

    References
    ----------
    .. [1] L. Breiman, "Random Forests", Machine Learning 45(1), 5-32, 2001.
    """

    _parameter_rules = {"criterion": one_of("gini", "entropy", "log_loss"), **_FOREST_RULES}

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, max_features="sqrt", bootstrap=True,
                 oob_score=False, n_jobs=None, random_state=None, max_samples=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.max_samples = max_samples

    def _make_tree(self):
        return DecisionTreeClassifier(**self._tree_params())

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` trees, each on its own bootstrap sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        self.n_classes_ = self.classes_.size
        return self._fit_forest(X, y_code, sample_weight, classes=np.arange(self.n_classes_))

    def _compute_oob(self, X, y_code):
        total = np.zeros((X.shape[0], self.n_classes_))
        n_pred = np.zeros(X.shape[0])
        for counts, tree in self._member_counts(X.shape[0]):
            oob = np.flatnonzero(counts == 0)
            total[oob] += tree.tree_.value[tree.tree_.apply(X[oob])]
            n_pred[oob] += 1
        self.oob_decision_function_ = _oob_average(total, n_pred)
        self.oob_score_ = float(np.mean(self.oob_decision_function_.argmax(axis=1) == y_code))

    def predict_proba(self, X):
        """Mean of the trees' class probabilities, shape ``(n_samples, n_classes)``."""
        X = self._checked_X(X)
        proba = np.zeros((X.shape[0], self.n_classes_))
        for tree in self.estimators_:
            proba += tree.tree_.value[tree.tree_.apply(X)]
        return proba / len(self.estimators_)

    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict the class with the largest mean probability over the trees."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class RandomForestRegressor(_ForestMixin, RegressorMixin, BaseEstimator):
    """Random forest for regression: the mean of bagged regression trees.

    ``f(x) = (1/B) sum_b f_b(x)``. scikit-learn's default ``max_features=1.0`` tries every
    feature at each split (bagged trees); ``max_features=1/3`` is the textbook forest.
    See notebooks/15_ensembles.ipynb.

    Parameters
    ----------
    n_estimators : int, default=100
    criterion : {"squared_error"}, default="squared_error"
    max_depth : int or None, default=None
    min_samples_split : int or float, default=2
    min_samples_leaf : int or float, default=1
    max_features : {"sqrt", "log2"}, int, float or None, default=1.0
    bootstrap : bool, default=True
    oob_score : bool, default=False
        Compute ``oob_score_``, the R² of the out-of-bag predictions.
    n_jobs : int or None, default=None
        Accepted for compatibility; the trees are grown one after the other.
    random_state : int, RandomState or None, default=None
    max_samples : int, float or None, default=None

    Attributes
    ----------
    estimators_ : list of DecisionTreeRegressor
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float
    oob_prediction_ : ndarray of shape (n_samples,)
    n_features_in_ : int

    References
    ----------
    .. [1] L. Breiman, "Random Forests", Machine Learning 45(1), 5-32, 2001.
    """

    _parameter_rules = {"criterion": one_of("squared_error"), **_FOREST_RULES}

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, max_features=1.0, bootstrap=True,
                 oob_score=False, n_jobs=None, random_state=None, max_samples=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.max_samples = max_samples

    def _make_tree(self):
        return DecisionTreeRegressor(**self._tree_params())

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` regression trees, each on its own bootstrap sample.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        return self._fit_forest(X, y.astype(np.float64), sample_weight)

    def _compute_oob(self, X, y):
        total, n_pred = np.zeros(X.shape[0]), np.zeros(X.shape[0])
        for counts, tree in self._member_counts(X.shape[0]):
            oob = np.flatnonzero(counts == 0)
            total[oob] += tree.tree_.value[tree.tree_.apply(X[oob])]
            n_pred[oob] += 1
        self.oob_prediction_ = _oob_average(total, n_pred)
        self.oob_score_ = float(_r2(y, self.oob_prediction_))

    def predict(self, X):
        """Mean of the trees' predictions."""
        X = self._checked_X(X)
        pred = np.zeros(X.shape[0])
        for tree in self.estimators_:
            pred += tree.tree_.value[tree.tree_.apply(X)]
        return pred / len(self.estimators_)


# --- bagging any estimator ---------------------------------------------------------------------


def _feature_count(max_features, n_features):
    """Features per member: the count itself, or a fraction of ``n_features``."""
    if isinstance(max_features, numbers.Integral):
        if max_features > n_features:
            raise ValueError(f"max_features must be at most n_features={n_features}, "
                             f"got {max_features}.")
        return int(max_features)
    return max(1, int(max_features * n_features))


class _BaseBagging(BaseEstimator):
    _parameter_rules = {
        "n_estimators": integer(ge=1),
        "max_samples": [None, *COUNT_OR_FRACTION],
        "max_features": COUNT_OR_FRACTION,
    }

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=1.0, max_features=1.0,
                 bootstrap=True, bootstrap_features=False, oob_score=False, n_jobs=None,
                 random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fit_bagging(self, X, y, sample_weight):
        check_params(self)
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        n, d = X.shape
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        n_draws = draw_count(self.max_samples, n)
        k = _feature_count(self.max_features, d)
        self.estimator_ = clone(self._default() if self.estimator is None else self.estimator)
        fast = is_mlcourse_tree(self.estimator_)
        weighted = has_fit_parameter(self.estimator_, "sample_weight")
        if sample_weight is not None and not weighted:
            raise ValueError(f"{type(self.estimator_).__name__} does not support sample_weight.")
        order = presort(X) if fast else None
        classes = np.arange(self.classes_.size) if hasattr(self, "classes_") else None
        self._seeds = member_seeds(self.random_state, self.n_estimators)
        self.estimators_, self.estimators_features_, self._counts = [], [], []
        for seed in self._seeds:
            rng = np.random.RandomState(seed)
            if self.bootstrap_features:
                feats = rng.randint(0, d, k)
            else:
                feats = np.sort(rng.permutation(d)[:k])
            counts = _sample_draws(rng.randint(2**31 - 1), n, n_draws, self.bootstrap)
            member = clone(self.estimator_)
            Xf = X[:, feats]
            if fast:
                # the whole-forest presort restricted to the member's features
                grow_member(member, Xf, order[feats], y, sw * counts, seed, classes)
            elif weighted:
                if "random_state" in member.get_params():
                    member.set_params(random_state=int(seed))
                member.fit(Xf, y, sample_weight=sw * counts)
            else:
                if "random_state" in member.get_params():
                    member.set_params(random_state=int(seed))
                rows = np.repeat(np.arange(n), counts)
                member.fit(Xf[rows], y[rows])
            self.estimators_.append(member)
            self.estimators_features_.append(feats)
            self._counts.append(counts)
        if self.oob_score:
            self._compute_oob(X, y)
        return self

    def _checked_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=np.float64)


class BaggingClassifier(ClassifierMixin, _BaseBagging):
    """Bootstrap aggregating: one estimator refitted on many bootstrap samples, averaged.

    ``p(k | x) = (1/B) sum_b p_b(k | x)`` (a member without ``predict_proba`` votes with a
    one-hot of its prediction). See notebooks/15_ensembles.ipynb.

    Parameters
    ----------
    estimator : estimator or None, default=None
        The model to bag; ``None`` means ``mlcourse.tree.DecisionTreeClassifier()``.
    n_estimators : int, default=10
    max_samples : int or float, default=1.0
        Rows drawn per member (an int, or a fraction of ``n_samples``).
    max_features : int or float, default=1.0
        Features per member, drawn once per member (not per split as in a forest).
    bootstrap : bool, default=True
        Draw rows with replacement.
    bootstrap_features : bool, default=False
        Draw features with replacement.
    oob_score : bool, default=False
        Compute ``oob_score_`` (accuracy) and ``oob_decision_function_``.
    n_jobs : int or None, default=None
        Accepted for compatibility; members are fitted one after the other.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    estimator_ : estimator
    estimators_ : list of estimators
    estimators_features_ : list of ndarray
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    oob_score_ : float
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
    n_features_in_ : int

    References
    ----------
    .. [1] L. Breiman, "Bagging Predictors", Machine Learning 24(2), 123-140, 1996.
    """

    def _default(self):
        return DecisionTreeClassifier()

    def fit(self, X, y, sample_weight=None):
        """Fit ``n_estimators`` copies of ``estimator`` on bootstrap samples.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        self.n_classes_ = self.classes_.size
        return self._fit_bagging(X, y_code, sample_weight)

    def _member_proba(self, member, feats, X):
        """Class probabilities of one member, in the columns of ``classes_``."""
        out = np.zeros((X.shape[0], self.n_classes_))
        Xf = X[:, feats]
        if hasattr(member, "predict_proba"):
            out[:, member.classes_] = member.predict_proba(Xf)
        else:
            out[np.arange(X.shape[0]), member.predict(Xf)] = 1.0
        return out

    def _compute_oob(self, X, y_code):
        total = np.zeros((X.shape[0], self.n_classes_))
        n_pred = np.zeros(X.shape[0])
        for member, feats, counts in zip(self.estimators_, self.estimators_features_,
                                         self._counts, strict=True):
            oob = np.flatnonzero(counts == 0)
            if oob.size:
                total[oob] += self._member_proba(member, feats, X[oob])
                n_pred[oob] += 1
        self.oob_decision_function_ = _oob_average(total, n_pred)
        self.oob_score_ = float(np.mean(self.oob_decision_function_.argmax(axis=1) == y_code))

    def predict_proba(self, X):
        """Mean of the members' class probabilities."""
        X = self._checked_X(X)
        total = sum(self._member_proba(m, f, X)
                    for m, f in zip(self.estimators_, self.estimators_features_, strict=True))
        return total / len(self.estimators_)

    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict the class with the largest mean probability over the trees."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class BaggingRegressor(RegressorMixin, _BaseBagging):
    """Bootstrap aggregating for regression: the mean of the members' predictions.

    See notebooks/15_ensembles.ipynb. Parameters as :class:`BaggingClassifier`; ``None``
    as ``estimator`` means ``mlcourse.tree.DecisionTreeRegressor()`` and ``oob_score_`` is
    the R² of the out-of-bag predictions (``oob_prediction_``).

    References
    ----------
    .. [1] L. Breiman, "Bagging Predictors", Machine Learning 24(2), 123-140, 1996.
    """

    def _default(self):
        return DecisionTreeRegressor()

    def fit(self, X, y, sample_weight=None):
        """Fit ``n_estimators`` copies of ``estimator`` on bootstrap samples.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        return self._fit_bagging(X, y.astype(np.float64), sample_weight)

    def _compute_oob(self, X, y):
        total, n_pred = np.zeros(X.shape[0]), np.zeros(X.shape[0])
        for member, feats, counts in zip(self.estimators_, self.estimators_features_,
                                         self._counts, strict=True):
            oob = np.flatnonzero(counts == 0)
            if oob.size:
                total[oob] += member.predict(X[oob][:, feats])
                n_pred[oob] += 1
        self.oob_prediction_ = _oob_average(total, n_pred)
        self.oob_score_ = float(_r2(y, self.oob_prediction_))

    def predict(self, X):
        """Mean of the members' predictions."""
        X = self._checked_X(X)
        total = sum(m.predict(X[:, f])
                    for m, f in zip(self.estimators_, self.estimators_features_, strict=True))
        return total / len(self.estimators_)

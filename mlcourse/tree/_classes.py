"""CART decision trees: the estimators.

A node is split on the feature ``j`` and threshold ``t`` (halfway between two consecutive
distinct values) that maximise the impurity decrease
``W imp(node) - W_L imp(left) - W_R imp(right)``; growing stops at pure nodes, at
``max_depth`` or when a node is too small.

See notebooks/08_decision_trees.ipynb.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from mlcourse.tree._criteria import ClassificationCriterion, RegressionCriterion
from mlcourse.tree._grow import grow_tree
from mlcourse.utils import InvalidParameterError, check_params, integer, one_of, real

# What the parameters both trees share may be; each tree adds its criteria.
TREE_RULES = {
    "max_depth": [None, integer(ge=1)],
    # an int counts samples, a float is a fraction of them
    "min_samples_split": [integer(ge=2), real(gt=0, le=1, allow_int=False)],
    "min_samples_leaf": [integer(ge=1), real(gt=0, le=1, allow_int=False)],
    "max_features": [None, one_of("sqrt", "log2"), integer(ge=1),
                     real(gt=0, le=1, allow_int=False)],
}


class BaseDecisionTree(BaseEstimator):
    """Parameter handling, fitting and traversal shared by both trees."""

    _parameter_rules: dict = TREE_RULES

    def __init__(self, *, criterion, max_depth=None, min_samples_split=2, min_samples_leaf=1,
                 max_features=None, random_state=None):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state

    def _resolved_params(self, n_samples, n_features):
        """Check the hyper-parameters and turn fractions and names into counts."""
        check_params(self)
        msl = _count(self.min_samples_leaf, n_samples, low=1)
        mss = _count(self.min_samples_split, n_samples, low=2)
        # a node smaller than two leaves cannot be split anyway
        mss = max(mss, 2 * msl)
        return dict(max_depth=self.max_depth, min_samples_split=mss, min_samples_leaf=msl,
                    max_features=self._max_features(n_features))

    def _max_features(self, n_features):
        """Return the number of features tried at each split."""
        value = self.max_features
        if value is None:
            return n_features
        if value == "sqrt":
            return max(1, int(np.sqrt(n_features)))
        if value == "log2":
            return max(1, int(np.log2(n_features)))
        if isinstance(value, numbers.Integral):
            if value > n_features:
                raise InvalidParameterError(
                    f"{type(self).__name__} parameter max_features must be at most "
                    f"n_features={n_features}, got {value!r}.")
            return int(value)
        return max(1, int(value * n_features))  # a fraction of the features

    def _grow(self, X, criterion, n_samples):
        params = self._resolved_params(n_samples, X.shape[1])
        self.max_features_ = params["max_features"]
        rng = check_random_state(self.random_state)
        self.tree_ = grow_tree(X, criterion, rng=rng, **params)
        self.feature_importances_ = self.tree_.feature_importances(X.shape[1])
        return self

    def _checked_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=np.float64)

    def apply(self, X):
        """Index (in ``tree_``) of the leaf that each sample lands in.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        X = self._checked_X(X)
        return self.tree_.apply(X)

    def get_depth(self):
        """Depth of the tree: the number of splits on the longest root-to-leaf path."""
        check_is_fitted(self)
        return self.tree_.max_depth

    def get_n_leaves(self):
        """Return the number of leaves of the tree."""
        check_is_fitted(self)
        return self.tree_.n_leaves


def _count(value, n_samples, low):
    """Turn ``value`` into a count of samples: the int itself, or a fraction rounded up."""
    if isinstance(value, numbers.Integral):
        return int(value)
    return max(low, int(np.ceil(value * n_samples)))


def _weights(sample_weight, X):
    """Non-negative float weights, not all zero (ones when ``sample_weight`` is None)."""
    return _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)


class DecisionTreeClassifier(ClassifierMixin, BaseDecisionTree):
    """CART classification tree with a vectorised split search.

    Impurity of a node with class proportions ``p_k``: Gini ``1 - sum_k p_k^2`` or
    entropy ``-sum_k p_k log2 p_k``; each split maximises the weighted impurity decrease.
    See notebooks/08_decision_trees.ipynb.

    Parameters
    ----------
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        Impurity measure (``"log_loss"`` is the entropy under another name).
    max_depth : int or None, default=None
        Maximum depth; ``None`` grows until leaves are pure or too small to split.
    min_samples_split : int or float, default=2
        Smallest number (or fraction) of samples a node needs to be split.
    min_samples_leaf : int or float, default=1
        Smallest number (or fraction) of samples each child of a split must keep.
    max_features : int, float, "sqrt", "log2" or None, default=None
        Number of features drawn at random (without replacement) for each split; a
        random forest uses ``"sqrt"``. ``None`` tries every feature.
    random_state : int, RandomState or None, default=None
        Seeds the feature draws when ``max_features`` is set.

    Attributes
    ----------
    tree_ : Tree
        The fitted tree in flat arrays.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    feature_importances_ : ndarray of shape (n_features,)
        Total impurity decrease brought by each feature, normalised to sum to 1.
    max_features_ : int
        Number of features tried per split.
    n_features_in_ : int
    """

    _parameter_rules = {"criterion": one_of("gini", "entropy", "log_loss"), **TREE_RULES}

    def __init__(self, criterion="gini", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, max_features=None, random_state=None):
        super().__init__(criterion=criterion, max_depth=max_depth,
                         min_samples_split=min_samples_split,
                         min_samples_leaf=min_samples_leaf, max_features=max_features,
                         random_state=random_state)

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on ``X, y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weights; an integer weight counts like repeated rows, and
            rows of weight 0 are ignored (so bootstrap counts can be passed as weights).

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        w = _weights(sample_weight, X)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        self.n_classes_ = self.classes_.size
        kind = "gini" if self.criterion == "gini" else "entropy"
        criterion = ClassificationCriterion(y_code, w, self.n_classes_, kind)
        return self._grow(X, criterion, X.shape[0])

    def predict_proba(self, X):
        """Class probabilities: the weighted class fractions of each sample's leaf.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        leaves = self.apply(X)  # checks first that the model is fitted
        return self.tree_.value[leaves]

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba` (``-inf`` for a class absent from the leaf)."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Most frequent (weighted) class of each sample's leaf."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class DecisionTreeRegressor(RegressorMixin, BaseDecisionTree):
    """CART regression tree with a vectorised split search.

    Impurity of a node: the weighted variance ``sum_i w_i (y_i - ybar)^2 / sum_i w_i``;
    each split maximises the weighted variance decrease, each leaf predicts its mean.
    See notebooks/08_decision_trees.ipynb.

    Parameters
    ----------
    criterion : {"squared_error"}, default="squared_error"
        Impurity measure.
    max_depth : int or None, default=None
        Maximum depth; ``None`` grows until leaves are pure or too small to split.
    min_samples_split : int or float, default=2
        Smallest number (or fraction) of samples a node needs to be split.
    min_samples_leaf : int or float, default=1
        Smallest number (or fraction) of samples each child of a split must keep.
    max_features : int, float, "sqrt", "log2" or None, default=None
        Number of features drawn at random for each split; ``None`` tries them all.
    random_state : int, RandomState or None, default=None
        Seeds the feature draws when ``max_features`` is set.

    Attributes
    ----------
    tree_ : Tree
        The fitted tree in flat arrays.
    feature_importances_ : ndarray of shape (n_features,)
        Total variance decrease brought by each feature, normalised to sum to 1.
    max_features_ : int
    n_features_in_ : int
    """

    _parameter_rules = {"criterion": one_of("squared_error"), **TREE_RULES}

    def __init__(self, criterion="squared_error", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, max_features=None, random_state=None):
        super().__init__(criterion=criterion, max_depth=max_depth,
                         min_samples_split=min_samples_split,
                         min_samples_leaf=min_samples_leaf, max_features=max_features,
                         random_state=random_state)

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on ``X, y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Real targets.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weights; rows of weight 0 are ignored.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        w = _weights(sample_weight, X)
        criterion = RegressionCriterion(y.astype(np.float64), w)
        return self._grow(X, criterion, X.shape[0])

    def predict(self, X):
        """Mean target of each sample's leaf."""
        leaves = self.apply(X)
        return self.tree_.value[leaves]

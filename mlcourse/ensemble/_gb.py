"""Gradient boosting with CART regression trees.

Start from a constant ``F_0`` (the mean, or the log-odds of the class priors) and add trees
one at a time: tree ``m`` is fitted to the negative gradient of the loss at the current
predictions (the residuals ``y - F`` for squared error, ``y - p`` for log loss), its leaves
get the value that best lowers the loss (the mean residual; for log loss one Newton step
``sum r / sum p(1-p)``), and ``F_m = F_{m-1} + learning_rate * tree_m``.

See notebooks/15_ensembles.ipynb.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logsumexp, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from mlcourse.ensemble._base import MAX_INT, grow_member
from mlcourse.tree import DecisionTreeRegressor, presort
from mlcourse.tree._classes import TREE_RULES
from mlcourse.tree._tree import TREE_LEAF
from mlcourse.utils import check_params, integer, one_of, real


def newton_leaf_values(leaves, n_nodes, residual, hessian, sample_weight, scale=1.0):
    """One Newton step per leaf: ``scale * sum w r / sum w h`` over the leaf's samples.

    ``leaves[i]`` is the leaf of sample ``i``; returns one value per node (0 where the
    leaf has no hessian, e.g. a node with no training sample).
    """
    num = np.bincount(leaves, weights=sample_weight * residual, minlength=n_nodes)
    den = np.bincount(leaves, weights=sample_weight * hessian, minlength=n_nodes)
    out = np.zeros(n_nodes)
    np.divide(num, den, out=out, where=np.abs(den) > 1e-150)
    return scale * out


# What the parameters of both boosters may be; each adds its loss.
_BOOSTING_RULES = {
    "learning_rate": real(gt=0),
    "n_estimators": integer(ge=1),
    "subsample": real(gt=0, le=1),
    "criterion": one_of("friedman_mse", "squared_error"),
    **TREE_RULES,
}


class _BaseGradientBoosting(BaseEstimator):

    def __init__(self, *, loss, learning_rate=0.1, n_estimators=100, subsample=1.0,
                 criterion="friedman_mse", min_samples_split=2, min_samples_leaf=1,
                 max_depth=3, random_state=None, max_features=None):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.criterion = criterion
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_depth = max_depth
        self.random_state = random_state
        self.max_features = max_features

    def _boost(self, X, Y, sw):
        """Run the boosting loop; ``Y`` is the target (n,) or one-hot classes (n, K)."""
        check_params(self)
        n, d = X.shape
        raw = np.tile(self._init_raw, (n, 1))
        K = raw.shape[1]
        order = presort(X)  # each feature sorted once for every tree
        rng = check_random_state(self.random_state)
        n_inbag = max(1, int(self.subsample * n))
        self.estimators_ = np.empty((self.n_estimators, K), dtype=object)
        self.train_score_ = np.zeros(self.n_estimators)
        importances = np.zeros(d)
        for m in range(self.n_estimators):
            inbag = np.ones(n, dtype=bool)
            if self.subsample < 1.0:
                inbag[:] = False
                inbag[rng.permutation(n)[:n_inbag]] = True
            w = sw * inbag
            residual, hessian = self._residual_hessian(Y, raw)
            for k in range(K):
                tree = DecisionTreeRegressor(max_depth=self.max_depth,
                                             min_samples_split=self.min_samples_split,
                                             min_samples_leaf=self.min_samples_leaf,
                                             max_features=self.max_features)
                grow_member(tree, X, order, residual[:, k], w, rng.randint(MAX_INT))
                t = tree.tree_
                leaves = t.apply(X)
                if hessian is not None:  # log loss: a Newton step in each leaf
                    values = newton_leaf_values(leaves, t.node_count, residual[:, k],
                                                hessian[:, k], w, self._newton_scale(K))
                    is_leaf = t.left == TREE_LEAF
                    t.value = np.where(is_leaf, values, t.value)
                raw[:, k] += self.learning_rate * t.value[leaves]
                self.estimators_[m, k] = tree
                inner = t.left != TREE_LEAF
                importances += np.bincount(t.feature[inner], weights=t.gain[inner],
                                           minlength=d)
            self.train_score_[m] = self._loss(Y[inbag], raw[inbag], sw[inbag])
        total = importances.sum()
        self.feature_importances_ = importances / total if total > 0 else importances
        self.n_estimators_ = self.n_estimators
        return self

    def _raw_predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        raw = np.tile(self._init_raw, (X.shape[0], 1))
        for trees in self.estimators_:
            for k, tree in enumerate(trees):
                raw[:, k] += self.learning_rate * tree.tree_.value[tree.tree_.apply(X)]
        return raw

    def _staged_raw_predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        raw = np.tile(self._init_raw, (X.shape[0], 1))
        for trees in self.estimators_:
            for k, tree in enumerate(trees):
                raw[:, k] += self.learning_rate * tree.tree_.value[tree.tree_.apply(X)]
            yield raw.copy()


class GradientBoostingRegressor(RegressorMixin, _BaseGradientBoosting):
    """Gradient boosting for regression with squared error.

    ``F_m(x) = F_{m-1}(x) + learning_rate * h_m(x)`` where the tree ``h_m`` is fitted to
    the residuals ``y - F_{m-1}(x)`` (the negative gradient of ``(y - F)^2 / 2``).
    See notebooks/15_ensembles.ipynb.

    Parameters
    ----------
    loss : {"squared_error"}, default="squared_error"
    learning_rate : float, default=0.1
        Shrinkage applied to every tree.
    n_estimators : int, default=100
        Number of boosting stages.
    subsample : float, default=1.0
        Fraction of rows drawn (without replacement) for each tree: stochastic boosting.
    criterion : {"friedman_mse", "squared_error"}, default="friedman_mse"
        Both choose the same splits here: Friedman's improvement
        ``w_L w_R / (w_L + w_R) (mean_L - mean_R)^2`` is the variance decrease.
    min_samples_split : int or float, default=2
    min_samples_leaf : int or float, default=1
    max_depth : int or None, default=3
    random_state : int, RandomState or None, default=None
    max_features : {"sqrt", "log2"}, int, float or None, default=None

    Attributes
    ----------
    estimators_ : ndarray of DecisionTreeRegressor of shape (n_estimators, 1)
    init_ : float
        The constant start ``F_0``, the (weighted) mean of ``y``.
    train_score_ : ndarray of shape (n_estimators,)
        Training loss (half mean squared error) after each stage, on the in-bag rows.
    feature_importances_ : ndarray of shape (n_features,)
    n_features_in_ : int

    References
    ----------
    .. [1] J. H. Friedman, "Greedy Function Approximation: A Gradient Boosting Machine",
       The Annals of Statistics 29(5), 1189-1232, 2001.
    """

    _parameter_rules = {"loss": one_of("squared_error"), **_BOOSTING_RULES}

    def __init__(self, *, loss="squared_error", learning_rate=0.1, n_estimators=100,
                 subsample=1.0, criterion="friedman_mse", min_samples_split=2,
                 min_samples_leaf=1, max_depth=3, random_state=None, max_features=None):
        super().__init__(loss=loss, learning_rate=learning_rate, n_estimators=n_estimators,
                         subsample=subsample, criterion=criterion,
                         min_samples_split=min_samples_split,
                         min_samples_leaf=min_samples_leaf, max_depth=max_depth,
                         random_state=random_state, max_features=max_features)

    def fit(self, X, y, sample_weight=None):
        """Fit ``n_estimators`` trees, each to the residuals of the ones before.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        self.init_ = float(np.average(y, weights=sw))
        self._init_raw = np.array([self.init_])
        return self._boost(X, y.astype(np.float64)[:, None], sw)

    @staticmethod
    def _residual_hessian(Y, raw):
        return Y - raw, None

    @staticmethod
    def _loss(Y, raw, w):
        return float(np.average(0.5 * ((Y - raw) ** 2).sum(axis=1), weights=w))

    def predict(self, X):
        """``F_0 + learning_rate * sum_m h_m(X)``."""
        return self._raw_predict(X)[:, 0]

    def staged_predict(self, X):
        """Predictions after each stage (a generator), to draw error against stages."""
        for raw in self._staged_raw_predict(X):
            yield raw[:, 0]


class GradientBoostingClassifier(ClassifierMixin, _BaseGradientBoosting):
    """Gradient boosting for classification with log loss (binary or multinomial).

    Binary: ``p = sigmoid(F)``; each tree is fitted to ``y - p`` and its leaves take the
    Newton step ``sum (y - p) / sum p (1 - p)``. ``K > 2`` classes: one tree per class and
    stage on ``y_k - p_k`` with ``p = softmax(F)``, leaves scaled by ``(K - 1) / K``.
    See notebooks/15_ensembles.ipynb.

    Parameters
    ----------
    loss : {"log_loss"}, default="log_loss"
    learning_rate : float, default=0.1
    n_estimators : int, default=100
    subsample : float, default=1.0
    criterion : {"friedman_mse", "squared_error"}, default="friedman_mse"
    min_samples_split : int or float, default=2
    min_samples_leaf : int or float, default=1
    max_depth : int or None, default=3
    random_state : int, RandomState or None, default=None
    max_features : {"sqrt", "log2"}, int, float or None, default=None

    Attributes
    ----------
    estimators_ : ndarray of DecisionTreeRegressor of shape (n_estimators, K)
        ``K = 1`` for two classes.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    train_score_ : ndarray of shape (n_estimators,)
        Training log loss after each stage, on the in-bag rows.
    feature_importances_ : ndarray of shape (n_features,)
    n_features_in_ : int

    References
    ----------
    .. [1] J. H. Friedman, "Greedy Function Approximation: A Gradient Boosting Machine",
       The Annals of Statistics 29(5), 1189-1232, 2001.
    """

    _parameter_rules = {"loss": one_of("log_loss"), **_BOOSTING_RULES}

    def __init__(self, *, loss="log_loss", learning_rate=0.1, n_estimators=100,
                 subsample=1.0, criterion="friedman_mse", min_samples_split=2,
                 min_samples_leaf=1, max_depth=3, random_state=None, max_features=None):
        super().__init__(loss=loss, learning_rate=learning_rate, n_estimators=n_estimators,
                         subsample=subsample, criterion=criterion,
                         min_samples_split=min_samples_split,
                         min_samples_leaf=min_samples_leaf, max_depth=max_depth,
                         random_state=random_state, max_features=max_features)

    def fit(self, X, y, sample_weight=None):
        """Fit the trees stage by stage on the gradients of the log loss.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        self.n_classes_ = K = self.classes_.size
        if K < 2:
            raise ValueError("y contains 1 class; GradientBoostingClassifier needs at least 2 "
                             "classes.")
        prior = np.bincount(y_code, weights=sw, minlength=K) / sw.sum()
        prior = np.clip(prior, np.finfo(float).eps, 1 - np.finfo(float).eps)
        if K == 2:
            self._init_raw = np.log(prior[1:] / prior[0])  # the log-odds
            Y = (y_code == 1).astype(np.float64)[:, None]
        else:
            self._init_raw = np.log(prior) - np.log(prior).mean()  # softmax ignores a shift
            Y = (y_code[:, None] == np.arange(K)).astype(np.float64)
        return self._boost(X, Y, sw)

    @staticmethod
    def _proba(raw):
        if raw.shape[1] == 1:
            p = expit(raw)
            return np.hstack([1 - p, p])
        return softmax(raw, axis=1)

    def _residual_hessian(self, Y, raw):
        if raw.shape[1] == 1:
            p = expit(raw)
            return Y - p, p * (1 - p)
        r = Y - softmax(raw, axis=1)
        return r, np.abs(r) * (1 - np.abs(r))

    @staticmethod
    def _newton_scale(K):
        return 1.0 if K == 1 else (K - 1) / K

    @staticmethod
    def _loss(Y, raw, w):
        if raw.shape[1] == 1:  # log(1 + e^F) - y F
            per_row = np.logaddexp(0, raw[:, 0]) - Y[:, 0] * raw[:, 0]
        else:
            per_row = logsumexp(raw, axis=1) - (Y * raw).sum(axis=1)
        return float(np.average(per_row, weights=w))

    def decision_function(self, X):
        """Raw scores ``F(X)``: shape (n_samples,) for two classes, else (n_samples, K)."""
        raw = self._raw_predict(X)
        return raw[:, 0] if raw.shape[1] == 1 else raw

    def predict_proba(self, X):
        """``sigmoid(F)`` or ``softmax(F)``, shape (n_samples, n_classes)."""
        return self._proba(self._raw_predict(X))

    def predict_log_proba(self, X):
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        raw = self._raw_predict(X)
        return self.classes_[np.argmax(self._proba(raw), axis=1)]

    def staged_predict_proba(self, X):
        """Class probabilities after each stage (a generator)."""
        for raw in self._staged_raw_predict(X):
            yield self._proba(raw)

    def staged_predict(self, X):
        """Predicted classes after each stage (a generator)."""
        for proba in self.staged_predict_proba(X):
            yield self.classes_[np.argmax(proba, axis=1)]

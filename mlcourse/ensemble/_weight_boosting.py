"""AdaBoost (SAMME): weak learners fitted in turn on re-weighted samples.

Round ``m`` fits a weak learner (a stump by default) with the current sample weights,
measures its weighted error ``err_m``, gives it the say
``alpha_m = learning_rate * (log((1 - err_m) / err_m) + log(K - 1))`` and multiplies the
weight of every sample it got wrong by ``exp(alpha_m)``: the next learner concentrates on
the hard cases. The prediction is the class with the largest total say.
See notebooks/15_ensembles.ipynb.
"""

from __future__ import annotations

import numpy as np
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    has_fit_parameter,
    validate_data,
)

from mlcourse.ensemble._base import grow_member, is_mlcourse_tree, member_seeds
from mlcourse.tree import DecisionTreeClassifier, presort
from mlcourse.utils import check_params, integer, real


class AdaBoostClassifier(ClassifierMixin, BaseEstimator):
    """AdaBoost with the multi-class SAMME rule.

    ``F_k(x) = sum_m alpha_m c_mk(x) / sum_m alpha_m`` with ``c_mk = 1`` if learner ``m``
    predicts class ``k``, else ``-1/(K-1)``; the prediction is ``argmax_k F_k(x)``.

    Parameters
    ----------
    estimator : estimator or None, default=None
        The weak learner (must accept ``sample_weight``); ``None`` means
        ``mlcourse.tree.DecisionTreeClassifier(max_depth=1)``, a stump.
    n_estimators : int, default=50
        Maximum number of rounds (fewer if a learner is perfect).
    learning_rate : float, default=1.0
        Multiplies every ``alpha_m``.
    random_state : int, RandomState or None, default=None
        Seeds each learner's ``random_state``.

    Attributes
    ----------
    estimators_ : list of fitted learners (on class codes)
    estimator_weights_ : ndarray of shape (n_estimators,)
        ``alpha_m`` of each round.
    estimator_errors_ : ndarray of shape (n_estimators,)
        Weighted training error ``err_m`` of each round.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    feature_importances_ : ndarray of shape (n_features,)
    n_features_in_ : int

    See notebooks/15_ensembles.ipynb.

    References
    ----------
    .. [1] J. Zhu, H. Zou, S. Rosset and T. Hastie, "Multi-class AdaBoost", Statistics and
       Its Interface 2(3), 349-360, 2009 (SAMME).
    .. [2] Y. Freund and R. E. Schapire, "A Decision-Theoretic Generalization of On-Line
       Learning and an Application to Boosting", Journal of Computer and System Sciences
       55(1), 119-139, 1997.
    """

    _parameter_rules = {"n_estimators": integer(ge=1), "learning_rate": real(gt=0)}

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0, random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Run up to ``n_estimators`` boosting rounds.

        Returns
        -------
        self
        """
        check_params(self)
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        self.n_classes_ = K = self.classes_.size
        if K < 2:
            raise ValueError("y contains 1 class; AdaBoostClassifier needs at least 2 classes.")
        w = _check_sample_weight(sample_weight, X, dtype=np.float64, copy=True,
                                 ensure_non_negative=True)
        w /= w.sum()
        self.estimator_ = clone(DecisionTreeClassifier(max_depth=1) if self.estimator is None
                                else self.estimator)
        if not has_fit_parameter(self.estimator_, "sample_weight"):
            raise ValueError(f"{type(self.estimator_).__name__} doesn't support sample_weight.")
        fast = is_mlcourse_tree(self.estimator_)
        order = presort(X) if fast else None  # X never changes: sort it once
        seeds = member_seeds(self.random_state, self.n_estimators)
        self.estimators_ = []
        alphas, errors = [], []
        zero = w == 0
        eps = np.finfo(np.float64).eps
        for seed in seeds:
            w = np.clip(w, eps, None)
            w[zero] = 0.0  # rows given weight 0 stay out
            learner = clone(self.estimator_)
            if fast:
                grow_member(learner, X, order, y_code, w, seed, np.arange(K))
            else:
                if "random_state" in learner.get_params():
                    learner.set_params(random_state=int(seed))
                learner.fit(X, y_code, sample_weight=w)
            miss = learner.predict(X) != y_code
            err = np.average(miss, weights=w)
            self.estimators_.append(learner)
            if err <= 0:  # a perfect learner: it alone decides
                alphas.append(1.0)
                errors.append(0.0)
                break
            if err >= 1.0 - 1.0 / K:  # no better than guessing: stop
                self.estimators_.pop()
                if not self.estimators_:
                    raise ValueError("BaseClassifier in AdaBoostClassifier ensemble is worse "
                                     "than random, ensemble can not be fit.")
                break
            alpha = self.learning_rate * (np.log((1 - err) / err) + np.log(K - 1))
            alphas.append(alpha)
            errors.append(err)
            w = w * np.exp(alpha * miss * (w > 0))  # up-weight the mistakes
            total = w.sum()
            if not np.isfinite(total) or total <= 0:
                break
            w /= total
        self.estimator_weights_ = np.array(alphas)
        self.estimator_errors_ = np.array(errors)
        return self

    @property
    def feature_importances_(self):
        """Importances of the learners, weighted by their say ``alpha_m``."""
        check_is_fitted(self)
        imp = sum(a * est.feature_importances_
                  for a, est in zip(self.estimator_weights_, self.estimators_, strict=True))
        return imp / self.estimator_weights_.sum()

    def _staged_scores(self, X):
        """Yield the running sums of ``alpha_m c_mk(x)`` and of ``alpha_m``, round after round."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        K = self.n_classes_
        score = np.zeros((X.shape[0], K))
        total = 0.0
        for est, alpha in zip(self.estimators_, self.estimator_weights_, strict=True):
            vote = np.full((X.shape[0], K), -1.0 / (K - 1))
            vote[np.arange(X.shape[0]), est.predict(X).astype(np.intp)] = 1.0
            score += alpha * vote
            total += alpha
            yield score / total

    def _to_decision(self, F):
        if self.n_classes_ == 2:
            return F[:, 1] - F[:, 0]  # (scikit-learn's binary convention)
        return F

    def decision_function(self, X):
        """``F(x)``: shape (n_samples,) for two classes (positive: ``classes_[1]``)."""
        *_, F = self._staged_scores(X)
        return self._to_decision(F)

    def staged_decision_function(self, X):
        for F in self._staged_scores(X):
            yield self._to_decision(F)

    def _proba(self, decision):
        if self.n_classes_ == 2:
            return softmax(np.column_stack([-decision, decision]) / 2, axis=1)
        return softmax(decision / (self.n_classes_ - 1), axis=1)

    def predict_proba(self, X):
        """``softmax(F / (K - 1))`` (Zhu et al. 2009, eq. 15)."""
        return self._proba(self.decision_function(X))

    def predict(self, X):
        """Predict the class with the largest total say."""
        *_, F = self._staged_scores(X)
        return self.classes_[np.argmax(F, axis=1)]

    def staged_predict(self, X):
        """Predicted classes after each round (a generator)."""
        for F in self._staged_scores(X):
            yield self.classes_[np.argmax(F, axis=1)]

"""Stacking: a final model learns how to combine the members' predictions.

The final estimator is trained on *out-of-fold* predictions (each row predicted by members
that did not see it, via cross-validation), so it learns how much to trust each member on
new data rather than on data they memorised. At prediction time the members refitted on
all the rows feed it. See notebooks/15_ensembles.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin, clone, is_classifier
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.model_selection import check_cv, cross_val_predict
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data

from mlcourse.ensemble._voting import _BaseHeterogeneous


class _BaseStacking(_BaseHeterogeneous):
    def __init__(self, estimators, final_estimator=None, *, cv=None, stack_method="auto",
                 n_jobs=None, passthrough=False, verbose=0):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.stack_method = stack_method
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose

    def _method_of(self, est):
        if self.stack_method != "auto":
            if not hasattr(est, self.stack_method):
                raise ValueError(f"Underlying estimator {type(est).__name__} does not "
                                 f"implement the method {self.stack_method}.")
            return self.stack_method
        for method in self._auto_methods:
            if hasattr(est, method):
                return method
        raise ValueError(f"{type(est).__name__} has none of {self._auto_methods}.")

    def _columns(self, pred, method):
        """Shape a member's output into feature columns.

        The first probability column of a binary problem is redundant and is dropped.
        """
        pred = np.asarray(pred, dtype=float)
        if pred.ndim == 1:
            return pred[:, None]
        if method == "predict_proba" and pred.shape[1] == 2:
            return pred[:, 1:]
        return pred

    def _fit_stack(self, X, y, y_fit, sample_weight):
        kept = self._check_estimators()
        self._weights_ = None
        fit_kw = {} if sample_weight is None else {"sample_weight": sample_weight}
        self.estimators_ = [clone(est).fit(X, y_fit, **fit_kw) for _, est in kept]
        self.named_estimators_ = dict(zip([n for n, _ in kept], self.estimators_, strict=True))
        self.stack_method_ = [self._method_of(est) for est in self.estimators_]
        cv = check_cv(self.cv, y_fit, classifier=is_classifier(self))
        # out-of-fold predictions: the final model's training data
        params = {} if sample_weight is None else {"sample_weight": sample_weight}
        oof = [self._columns(cross_val_predict(clone(est), X, y_fit, cv=cv, method=method,
                                               params=params), method)
               for (_, est), method in zip(kept, self.stack_method_, strict=True)]
        Z = np.hstack(oof + ([X] if self.passthrough else []))
        final = self._default_final() if self.final_estimator is None else self.final_estimator
        self.final_estimator_ = clone(final).fit(Z, y_fit, **fit_kw)
        return self

    def transform(self, X):
        """Build the final model's input: the members' predictions (and ``X`` if passthrough)."""
        X = self._checked_X(X)
        cols = [self._columns(getattr(est, method)(X), method)
                for est, method in zip(self.estimators_, self.stack_method_, strict=True)]
        return np.hstack(cols + ([X] if self.passthrough else []))


class StackingClassifier(ClassifierMixin, _BaseStacking):
    """Stack classifiers with a final classifier trained on their out-of-fold predictions.

    Parameters
    ----------
    estimators : list of (str, estimator)
    final_estimator : estimator or None, default=None
        ``None`` means ``sklearn.linear_model.LogisticRegression()``, as in scikit-learn.
    cv : int, cross-validation generator, iterable or None, default=None
        Folds for the out-of-fold predictions (``None``: 5-fold stratified).
    stack_method : {"auto", "predict_proba", "decision_function", "predict"}, default="auto"
        "auto" uses the first of these the member has.
    n_jobs : int or None, default=None
        Accepted for compatibility.
    passthrough : bool, default=False
        Also give the final estimator the original features.
    verbose : int, default=0
        Accepted for compatibility.

    Attributes
    ----------
    estimators_ : list of fitted members (fitted on class codes)
    final_estimator_ : fitted final estimator
    stack_method_ : list of str
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    See notebooks/15_ensembles.ipynb.

    References
    ----------
    .. [1] D. H. Wolpert, "Stacked Generalization", Neural Networks 5(2), 241-259, 1992.
    """

    _auto_methods = ("predict_proba", "decision_function", "predict")

    def _default_final(self):
        return LogisticRegression()

    def fit(self, X, y, sample_weight=None):
        """Fit the members on all rows and the final model on their out-of-fold output.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=None)
        check_classification_targets(y)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        return self._fit_stack(X, y, y_code, sample_weight)

    def predict_proba(self, X):
        """Predict class probabilities with the final estimator."""
        Z = self.transform(X)  # checks first that the model is fitted
        return self.final_estimator_.predict_proba(Z)

    def predict(self, X):
        Z = self.transform(X)
        codes = self.final_estimator_.predict(Z)
        return self.classes_[np.asarray(codes, dtype=np.intp)]


class StackingRegressor(RegressorMixin, _BaseStacking):
    """Stack regressors with a final regressor trained on their out-of-fold predictions.

    Parameters as :class:`StackingClassifier`; ``None`` as ``final_estimator`` means
    ``sklearn.linear_model.RidgeCV()`` (as in scikit-learn) and ``cv=None`` is 5-fold.
    See notebooks/15_ensembles.ipynb.

    References
    ----------
    .. [1] D. H. Wolpert, "Stacked Generalization", Neural Networks 5(2), 241-259, 1992.
    """

    _auto_methods = ("predict",)

    def _default_final(self):
        return RidgeCV()

    def fit(self, X, y, sample_weight=None):
        """Fit the members on all rows and the final model on their out-of-fold output.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=None, y_numeric=True)
        return self._fit_stack(X, y, y, sample_weight)

    def predict(self, X):
        Z = self.transform(X)
        return self.final_estimator_.predict(Z)

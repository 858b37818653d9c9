"""Cross-validation: fit on k - 1 folds, score on the one left out, k times.

See notebooks/13_hyperparameter_tuning.ipynb (and notebook 12 for the metrics).
"""

from __future__ import annotations

import numbers
import time
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.utils import check_random_state

from mlcourse.model_selection._split import _indexable, _take, check_cv


def _fit_and_score(estimator, X, y, scorer, train, test, *, params=None,
                   return_train_score=False, error_score=np.nan, return_estimator=False):
    """Fit a clone of ``estimator`` on the rows ``train`` and score it on ``test``.

    The clone gets ``params`` set first; it is also scored on ``train`` when asked. A fit
    that raises scores ``error_score``.
    """
    model = clone(estimator)
    if params:
        model.set_params(**params)
    X_train, X_test = _take(X, train), _take(X, test)
    y_train, y_test = (None, None) if y is None else (_take(y, train), _take(y, test))
    result = {}
    start = time.perf_counter()
    try:
        model.fit(X_train, y_train)
    except Exception as error:
        if error_score == "raise":
            raise
        result["fit_time"] = time.perf_counter() - start
        result["score_time"] = 0.0
        result["test_score"] = error_score
        if return_train_score:
            result["train_score"] = error_score
        warnings.warn(
            f"Fitting failed with {type(error).__name__}: {error}; its score is set to "
            f"{error_score}.",
            UserWarning,
            stacklevel=2,
        )
        result["estimator"] = model
        return result
    result["fit_time"] = time.perf_counter() - start
    start = time.perf_counter()
    result["test_score"] = float(scorer(model, X_test, y_test))
    result["score_time"] = time.perf_counter() - start
    if return_train_score:
        result["train_score"] = float(scorer(model, X_train, y_train))
    if return_estimator:
        result["estimator"] = model
    return result


_DEFAULT_SIZES = np.linspace(0.1, 1.0, 5)


def _check_error_score(error_score):
    if error_score != "raise" and not isinstance(error_score, numbers.Number):
        raise ValueError(f"error_score must be 'raise' or a number; got {error_score!r}.")


def cross_validate(estimator, X, y=None, *, groups=None, scoring=None, cv=None, n_jobs=None,
                   return_train_score=False, return_estimator=False, error_score=np.nan):
    """Fit and score ``estimator`` on each fold of ``cv``; return the scores and times.

    Parameters
    ----------
    estimator : estimator with ``fit``
    X, y : array-like, DataFrame or list
    groups : array-like or None
        Group labels for a group splitter (``GroupKFold``).
    scoring : str, callable or None
        A scorer name (``"accuracy"``, ``"neg_mean_squared_error"``, ...; scikit-learn's
        ``get_scorer`` plumbing), a callable ``scorer(estimator, X, y)``, or None for the
        estimator's own ``score``.
    cv : int, splitter or iterable, default=None (5 folds)
        See :func:`check_cv`.
    n_jobs : int or None
        Fits run in parallel with joblib when > 1.
    return_train_score, return_estimator : bool
    error_score : 'raise' or float, default=nan

    Returns
    -------
    dict with ``test_score``, ``fit_time``, ``score_time`` (arrays of length n_splits) and,
    when asked, ``train_score`` and ``estimator``.
    """
    _check_error_score(error_score)
    X, y = _indexable(X), _indexable(y)
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    scorer = check_scoring(estimator, scoring=scoring)
    folds = list(splitter.split(X, y, groups))
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_score)(estimator, X, y, scorer, train, test,
                                return_train_score=return_train_score,
                                error_score=error_score, return_estimator=return_estimator)
        for train, test in folds
    )
    out = {key: np.array([r[key] for r in results], dtype=float)
           for key in ("fit_time", "score_time", "test_score")}
    if return_train_score:
        out["train_score"] = np.array([r["train_score"] for r in results], dtype=float)
    if return_estimator:
        out["estimator"] = [r["estimator"] for r in results]
    return out


def cross_val_score(estimator, X, y=None, *, groups=None, scoring=None, cv=None, n_jobs=None,
                    error_score=np.nan):
    """Return the test score of each fold: ``cross_validate(...)["test_score"]``.

    Same signature and the same numbers as ``sklearn.model_selection.cross_val_score``.
    See notebooks/13_hyperparameter_tuning.ipynb.
    """
    return cross_validate(estimator, X, y, groups=groups, scoring=scoring, cv=cv,
                          n_jobs=n_jobs, error_score=error_score)["test_score"]


def _absolute_train_sizes(train_sizes, n_max):
    """Turn training sizes into sorted row counts, without repeats (scikit-learn's rule).

    A size is a fraction in (0, 1] of ``n_max`` (rounded down, at least 1) or a count in
    [1, n_max].
    """
    sizes = np.asarray(train_sizes)
    if np.issubdtype(sizes.dtype, np.floating):
        if sizes.min() <= 0 or sizes.max() > 1:
            raise ValueError(
                "train_sizes has been interpreted as fractions of the maximum number of "
                f"training samples and must be within (0, 1], but is within "
                f"[{sizes.min():f}, {sizes.max():f}]."
            )
        sizes = np.clip((sizes * n_max).astype(int), 1, n_max)
    elif sizes.min() <= 0 or sizes.max() > n_max:
        raise ValueError(
            "train_sizes has been interpreted as absolute numbers of training samples and "
            f"must be within (0, {n_max}], but is within [{sizes.min()}, {sizes.max()}]."
        )
    unique = np.unique(sizes)
    if len(unique) < len(sizes):
        warnings.warn(
            f"Removed duplicate entries from 'train_sizes'. Number of ticks will be less "
            f"than the size of 'train_sizes': {len(unique)} instead of {len(sizes)}.",
            RuntimeWarning,
            stacklevel=3,
        )
    return unique


def learning_curve(estimator, X, y=None, *, groups=None, train_sizes=_DEFAULT_SIZES,
                   cv=None, scoring=None, n_jobs=None, shuffle=False, random_state=None,
                   error_score=np.nan):
    """Training and validation scores as the training set grows.

    For each fold and each size n, the model is fitted on the first n rows of the fold's
    training set (shuffled first when ``shuffle=True``) and scored on that subset and on the
    fold's test set.

    Returns
    -------
    train_sizes_abs : ndarray of shape (n_ticks,)
    train_scores, test_scores : ndarray of shape (n_ticks, n_splits)
    """
    _check_error_score(error_score)
    X, y = _indexable(X), _indexable(y)
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    scorer = check_scoring(estimator, scoring=scoring)
    folds = list(splitter.split(X, y, groups))
    if shuffle:
        rng = check_random_state(random_state)
        folds = [(rng.permutation(train), test) for train, test in folds]
    sizes = _absolute_train_sizes(train_sizes, len(folds[0][0]))
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_score)(estimator, X, y, scorer, train[:n], test,
                                return_train_score=True, error_score=error_score)
        for train, test in folds for n in sizes
    )
    shape = (len(folds), len(sizes))
    train_scores = np.array([r["train_score"] for r in results], dtype=float).reshape(shape)
    test_scores = np.array([r["test_score"] for r in results], dtype=float).reshape(shape)
    return sizes, train_scores.T, test_scores.T

"""Hyperparameter search: score every candidate setting by cross-validation, keep the best.

See notebooks/13_hyperparameter_tuning.ipynb.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Mapping, Sequence

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from mlcourse.model_selection._split import _indexable, check_cv
from mlcourse.model_selection._validation import _check_error_score, _fit_and_score
from mlcourse.utils import check_params, integer, one_of


class ParameterGrid:
    """Every combination of the values in a dict (or a list of dicts) of lists.

    Keys are visited in sorted order and the last key varies fastest, as in
    ``sklearn.model_selection.ParameterGrid``, so candidate ``i`` is the same in both.
    """

    def __init__(self, param_grid):
        grids = [param_grid] if isinstance(param_grid, Mapping) else list(param_grid)
        for grid in grids:
            if not isinstance(grid, Mapping):
                raise TypeError(
                    f"Parameter grid should be a dict or a list of dicts; got {grid!r}."
                )
            for key, values in grid.items():
                is_list = isinstance(values, Sequence | np.ndarray)
                if isinstance(values, str | bytes) or not is_list:
                    raise TypeError(
                        f"Parameter grid for parameter {key!r} needs to be a list or a numpy "
                        f"array, but got {values!r} (of type {type(values).__name__}) instead."
                    )
                if len(values) == 0:
                    raise ValueError(f"Parameter grid for parameter {key!r} is empty.")
        self.param_grid = grids

    def __iter__(self):
        for grid in self.param_grid:
            keys = sorted(grid)
            for values in itertools.product(*(grid[k] for k in keys)):
                yield dict(zip(keys, values, strict=True))

    def __len__(self):
        return sum(int(np.prod([len(v) for v in grid.values()])) for grid in self.param_grid)

    def __getitem__(self, i):
        return list(self)[i]


class ParameterSampler:
    """``n_iter`` settings drawn at random from lists or scipy distributions.

    When every value is a list, distinct grid points are drawn without replacement;
    otherwise each draw takes, key by key in sorted order, ``dist.rvs(random_state=rng)``
    or a uniformly chosen list entry. The second case draws the same settings as
    ``sklearn.model_selection.ParameterSampler`` for the same seed; the first draws a
    different (but equally random) subset of the grid.
    """

    def __init__(self, param_distributions, n_iter, *, random_state=None):
        dists = ([param_distributions] if isinstance(param_distributions, Mapping)
                 else list(param_distributions))
        for dist in dists:
            for key, values in dist.items():
                if not (hasattr(values, "rvs") or isinstance(values, Sequence | np.ndarray)):
                    raise TypeError(
                        f"Parameter value for {key!r} is not iterable or a distribution: "
                        f"{values!r}."
                    )
        self.param_distributions = dists
        self.n_iter = n_iter
        self.random_state = random_state

    def _all_lists(self):
        return all(not hasattr(v, "rvs") for d in self.param_distributions for v in d.values())

    def __iter__(self):
        rng = check_random_state(self.random_state)
        if self._all_lists():
            grid = list(ParameterGrid(self.param_distributions))
            for i in rng.permutation(len(grid))[: self.n_iter]:
                yield grid[i]
            return
        for _ in range(self.n_iter):
            dist = self.param_distributions[rng.choice(len(self.param_distributions))]
            params = {}
            for key, values in sorted(dist.items()):
                params[key] = (values.rvs(random_state=rng) if hasattr(values, "rvs")
                               else values[rng.randint(len(values))])
            yield params

    def __len__(self):
        if self._all_lists():
            return min(self.n_iter, len(ParameterGrid(self.param_distributions)))
        return self.n_iter


def _rank(means):
    """Rank 1 for the highest mean; ties share the lowest rank; nan ranks last."""
    if np.isnan(means).all():
        return np.ones(len(means), dtype=np.int32)
    filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
    return rankdata(-filled, method="min").astype(np.int32)


def _delegate(method):
    """Tell whether the refitted best estimator has ``method`` (for ``available_if``)."""

    def check(self):
        if hasattr(self, "best_estimator_"):
            return hasattr(self.best_estimator_, method)
        return hasattr(self.estimator, method)

    return check


class BaseSearchCV(MetaEstimatorMixin, BaseEstimator):
    """What grid, random and halving search share.

    Score candidates on the folds of ``cv``, rank them, refit the best on all the data. A
    subclass writes ``_run_search(evaluate)`` and calls ``evaluate(candidates)`` as often as
    it likes.
    """

    _parameter_rules = {"refit": one_of(True, False)}

    def __init__(self, estimator, *, scoring=None, n_jobs=None, refit=True, cv=None,
                 verbose=0, error_score=np.nan, return_train_score=False):
        self.estimator = estimator
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.verbose = verbose
        self.error_score = error_score
        self.return_train_score = return_train_score

    def __sklearn_tags__(self):
        """Describe the search as its estimator is: a classifier, a regressor, sparse-friendly..."""
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = copy.deepcopy(inner.classifier_tags)
        tags.regressor_tags = copy.deepcopy(inner.regressor_tags)
        tags.input_tags.pairwise = inner.input_tags.pairwise
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.target_tags.multi_output = inner.target_tags.multi_output
        return tags

    # ------------------------------------------------------------------ the search
    def fit(self, X, y=None, groups=None):
        """Score every candidate by cross-validation, then refit the best on all of X."""
        check_params(self)
        _check_error_score(self.error_score)
        X, y = _indexable(X), _indexable(y)
        splitter = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        scorer = check_scoring(self.estimator, scoring=self.scoring)
        self._splitter = splitter
        self.n_splits_ = splitter.get_n_splits(X, y, groups)
        self.scorer_ = scorer
        all_params, all_results, extra = [], [], {}

        def evaluate(candidates, cv=splitter, more=None):
            """Score each candidate on each fold; return the results gathered so far."""
            candidates = [dict(c) for c in candidates]
            folds = list(cv.split(X, y, groups))
            if self.verbose:
                print(f"Fitting {len(folds)} folds for each of {len(candidates)} "
                      f"candidates, totalling {len(folds) * len(candidates)} fits")
            out = Parallel(n_jobs=self.n_jobs)(
                delayed(_fit_and_score)(self.estimator, X, y, scorer, train, test,
                                        params=params, error_score=self.error_score,
                                        return_train_score=self.return_train_score)
                for params in candidates for train, test in folds
            )
            all_params.extend(candidates)
            all_results.extend(out[i * len(folds):(i + 1) * len(folds)]
                               for i in range(len(candidates)))
            for key, values in (more or {}).items():
                extra.setdefault(key, []).extend(values)
            self.cv_results_ = self._format_results(all_params, all_results, extra)
            return self.cv_results_

        self._run_search(evaluate)
        self.best_index_ = self._best_index(self.cv_results_)
        self.best_params_ = self.cv_results_["params"][self.best_index_]
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        if self.refit:
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            start = time.perf_counter()
            self.best_estimator_.fit(X, y)
            self.refit_time_ = time.perf_counter() - start
            if hasattr(self.best_estimator_, "feature_names_in_"):
                self.feature_names_in_ = self.best_estimator_.feature_names_in_
            if hasattr(self.best_estimator_, "n_features_in_"):
                self.n_features_in_ = self.best_estimator_.n_features_in_
        return self

    @staticmethod
    def _best_index(results):
        return int(np.argmin(results["rank_test_score"]))

    def _format_results(self, all_params, all_results, extra):
        n = len(all_params)
        results = {}
        for key in ("fit_time", "score_time"):
            times = np.array([[r[key] for r in folds] for folds in all_results])
            results[f"mean_{key}"] = times.mean(axis=1)
            results[f"std_{key}"] = times.std(axis=1)
        names = sorted({k for p in all_params for k in p})
        for name in names:
            column = np.ma.MaskedArray(np.empty(n, dtype=object), mask=True)
            for i, p in enumerate(all_params):
                if name in p:
                    column[i] = p[name]
            results[f"param_{name}"] = column
        results["params"] = all_params
        sets = ("test", "train") if self.return_train_score else ("test",)
        for part in sets:
            scores = np.array([[r[f"{part}_score"] for r in folds] for folds in all_results],
                              dtype=float)
            for k in range(scores.shape[1]):
                results[f"split{k}_{part}_score"] = scores[:, k]
            results[f"mean_{part}_score"] = scores.mean(axis=1)
            results[f"std_{part}_score"] = scores.std(axis=1)
            if part == "test":
                results["rank_test_score"] = _rank(results["mean_test_score"])
        for key, values in extra.items():
            results[key] = np.asarray(values)
        return results

    # ------------------------------------------------------------------ the refitted model
    def _check_refit(self, method):
        if not self.refit:
            raise AttributeError(
                f"This {type(self).__name__} was fitted with refit=False: {method} is "
                "available only after refitting on the best parameters."
            )
        check_is_fitted(self, "best_estimator_")

    @available_if(_delegate("predict"))
    def predict(self, X):
        """Predictions of the best estimator, refitted on all the data."""
        self._check_refit("predict")
        return self.best_estimator_.predict(X)

    @available_if(_delegate("predict_proba"))
    def predict_proba(self, X):
        self._check_refit("predict_proba")
        return self.best_estimator_.predict_proba(X)

    @available_if(_delegate("decision_function"))
    def decision_function(self, X):
        self._check_refit("decision_function")
        return self.best_estimator_.decision_function(X)

    @available_if(_delegate("transform"))
    def transform(self, X):
        self._check_refit("transform")
        return self.best_estimator_.transform(X)

    def score(self, X, y=None):
        """Score the refitted best estimator with the search's scorer."""
        self._check_refit("score")
        return self.scorer_(self.best_estimator_, X, y)

    @property
    def classes_(self):
        self._check_refit("classes_")
        return self.best_estimator_.classes_


class GridSearchCV(BaseSearchCV):
    """Exhaustive search: every combination of ``param_grid`` scored by cross-validation.

    ``cv_results_`` holds, per candidate, ``params``, ``param_<name>``, the score of each fold
    (``split<k>_test_score``), ``mean_test_score``, ``std_test_score`` (population std over the
    folds), ``rank_test_score`` and the fit and score times; ``best_params_``, ``best_score_``
    and ``best_index_`` name the winner and, with ``refit=True``, ``best_estimator_`` is it
    refitted on all the data. The same numbers as ``sklearn.model_selection.GridSearchCV``
    on the same folds. See notebooks/13_hyperparameter_tuning.ipynb.

    Parameters
    ----------
    estimator : estimator
    param_grid : dict or list of dicts
        Parameter names mapped to lists of values to try.
    scoring : str, callable or None
        A scorer name (scikit-learn's ``get_scorer`` names), a callable
        ``scorer(estimator, X, y)``, or None for the estimator's ``score``.
    n_jobs : int or None
    refit : bool, default=True
    cv : int, splitter or iterable, default=None (5 folds; stratified for a classifier)
    verbose : int, default=0
    error_score : 'raise' or float, default=nan
    return_train_score : bool, default=False
    """

    def __init__(self, estimator, param_grid, *, scoring=None, n_jobs=None, refit=True,
                 cv=None, verbose=0, error_score=np.nan, return_train_score=False):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, error_score=error_score,
                         return_train_score=return_train_score)
        self.param_grid = param_grid

    def _run_search(self, evaluate):
        evaluate(ParameterGrid(self.param_grid))


class RandomizedSearchCV(BaseSearchCV):
    """Random search: ``n_iter`` settings drawn at random, each scored by cross-validation.

    The settings are drawn from ``param_distributions``, whose values are scipy.stats objects
    (anything with ``rvs``) or lists.

    Same attributes as :class:`GridSearchCV`. With distributions it draws the same settings
    as ``sklearn.model_selection.RandomizedSearchCV`` for the same ``random_state`` (see
    :class:`ParameterSampler`). See notebooks/13_hyperparameter_tuning.ipynb.

    Parameters
    ----------
    estimator : estimator
    param_distributions : dict or list of dicts
    n_iter : int, default=10
    scoring, n_jobs, refit, cv, verbose, error_score, return_train_score
        As in :class:`GridSearchCV`.
    random_state : int, RandomState or None, default=None
    """

    _parameter_rules = {**BaseSearchCV._parameter_rules, "n_iter": integer(ge=1)}

    def __init__(self, estimator, param_distributions, *, n_iter=10, scoring=None,
                 n_jobs=None, refit=True, cv=None, verbose=0, random_state=None,
                 error_score=np.nan, return_train_score=False):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, error_score=error_score,
                         return_train_score=return_train_score)
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state

    def _run_search(self, evaluate):
        evaluate(ParameterSampler(self.param_distributions, self.n_iter,
                                  random_state=self.random_state))

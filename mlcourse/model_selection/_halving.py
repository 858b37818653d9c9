"""Successive halving: search wide on a small budget, then narrow down.

Many candidates run on a small budget, the best third on three times more, and so on, until
few candidates remain on the whole budget.

See notebooks/13_hyperparameter_tuning.ipynb.
"""

from __future__ import annotations

import numbers
from math import ceil, floor, log

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets

from mlcourse.model_selection._search import BaseSearchCV, ParameterGrid
from mlcourse.model_selection._split import _indexable, _n_samples
from mlcourse.utils import real


class _Subsampled:
    """The folds of ``base_cv``, each train and test part cut to ``fraction`` of its rows.

    The rows kept are a random subset, the same on every call when ``random_state`` is an int.
    """

    def __init__(self, base_cv, fraction, random_state):
        self.base_cv = base_cv
        self.fraction = fraction
        self.random_state = random_state

    def _subset(self, rows):
        order = np.arange(len(rows))
        check_random_state(self.random_state).shuffle(order)
        return rows[order[: int(self.fraction * len(rows))]]

    def split(self, X, y=None, groups=None):
        for train, test in self.base_cv.split(X, y, groups):
            yield self._subset(train), self._subset(test)

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.base_cv.get_n_splits(X, y, groups)


def _top_k(results, k, iteration):
    """Pick the ``k`` best candidates of one iteration, worst of them first (nan counts lowest)."""
    rows = np.flatnonzero(results["iter"] == iteration)
    scores = results["mean_test_score"][rows]
    order = np.roll(np.argsort(scores), np.count_nonzero(np.isnan(scores)))
    return [results["params"][rows[i]] for i in order[-k:]]


class HalvingGridSearchCV(BaseSearchCV):
    """Grid search by successive halving, with scikit-learn's resource rules.

    Iteration ``i`` scores the surviving candidates with ``n_resources = min_resources_ *
    factor**i`` units of the resource (rows of every train and test fold when
    ``resource="n_samples"``, else the value of that estimator parameter, e.g.
    ``n_estimators``), then keeps the best ``ceil(n_candidates / factor)``. It runs
    ``min(n_possible_iterations, n_required_iterations)`` iterations; with
    ``min_resources="exhaust"`` the first budget is chosen so that the last iteration uses
    nearly ``max_resources_``; with ``"smallest"`` it is ``2 * n_splits`` (times the number of
    classes for a classifier). The best candidate is the best of the *last* iteration.

    The same iterations, budgets, candidates and scores as
    ``sklearn.model_selection.HalvingGridSearchCV`` on the same folds and ``random_state``.
    ``cv_results_`` adds ``iter`` and ``n_resources``; the fitted search has
    ``n_resources_``, ``n_candidates_``, ``n_iterations_``, ``n_possible_iterations_``,
    ``n_required_iterations_``, ``min_resources_``, ``max_resources_`` and
    ``n_remaining_candidates_``. See notebooks/13_hyperparameter_tuning.ipynb.

    Parameters
    ----------
    estimator, param_grid
        As in :class:`GridSearchCV`.
    factor : int or float, default=3
    resource : str, default="n_samples"
    max_resources : int or "auto", default="auto" (all the rows)
    min_resources : int, "exhaust" or "smallest", default="exhaust"
    aggressive_elimination : bool, default=False
        Start again with the first budget until few enough candidates are left.
    cv : int, splitter or iterable, default=5
    scoring, refit, error_score, return_train_score, n_jobs, verbose
        As in :class:`GridSearchCV`.
    random_state : int, RandomState or None
        Seed of the row subsets when ``resource="n_samples"``.
    """

    _parameter_rules = {**BaseSearchCV._parameter_rules, "factor": real(gt=1)}

    def __init__(self, estimator, param_grid, *, factor=3, resource="n_samples",
                 max_resources="auto", min_resources="exhaust", aggressive_elimination=False,
                 cv=5, scoring=None, refit=True, error_score=np.nan, return_train_score=True,
                 random_state=None, n_jobs=None, verbose=0):
        super().__init__(estimator, scoring=scoring, n_jobs=n_jobs, refit=refit, cv=cv,
                         verbose=verbose, error_score=error_score,
                         return_train_score=return_train_score)
        self.param_grid = param_grid
        self.factor = factor
        self.resource = resource
        self.max_resources = max_resources
        self.min_resources = min_resources
        self.aggressive_elimination = aggressive_elimination
        self.random_state = random_state

    def _candidates(self):
        return list(ParameterGrid(self.param_grid))

    def fit(self, X, y=None, groups=None):
        """Run the halving iterations, then refit the best candidate of the last one."""
        X, y = _indexable(X), _indexable(y)
        self._X, self._y, self._groups = X, y, groups
        try:
            return super().fit(X, y, groups)
        finally:
            del self._X, self._y, self._groups

    def _check_resource(self):
        """Refuse a resource the estimator does not have, and folds that change between calls.

        Every iteration must score its candidates on the same folds, cut smaller or not.
        """
        if self.resource != "n_samples" and self.resource not in self.estimator.get_params():
            raise ValueError(
                f"Cannot use resource={self.resource} which is not supported by estimator "
                f"{type(self.estimator).__name__}"
            )
        if getattr(self._splitter, "shuffle", False) and not isinstance(
                getattr(self._splitter, "random_state", None), numbers.Integral):
            raise ValueError(
                "The cv parameter must yield consistent folds across calls to split(). Set "
                "its random_state to an int, or set shuffle=False."
            )

    def _smallest_budget(self):
        """Return the budget of the first iteration before ``"exhaust"`` raises it.

        With ``"smallest"`` or ``"exhaust"`` and rows as the resource, that is two rows per
        fold (times the number of classes for a classifier), scikit-learn's rule.
        """
        if self.min_resources not in ("smallest", "exhaust"):
            return self.min_resources
        if self.resource != "n_samples":
            return 1
        smallest = self._splitter.get_n_splits(self._X, self._y, self._groups) * 2
        if is_classifier(self.estimator):
            check_classification_targets(self._y)
            smallest *= len(np.unique(self._y))
        return smallest

    def _largest_budget(self):
        """Return the budget of the last iteration: all the rows when ``"auto"``."""
        if self.max_resources != "auto":
            return self.max_resources
        if self.resource != "n_samples":
            raise ValueError("resource can only be 'n_samples' when max_resources='auto'")
        return _n_samples(self._X)

    def _budgets(self, n_candidates):
        """Return the budget of every iteration, growing by ``factor`` up to the largest.

        Also sets the fitted attributes that describe the schedule (``min_resources_``,
        ``n_iterations_``, ...).
        """
        self._check_resource()
        smallest = self._smallest_budget()
        largest = self._largest_budget()
        if largest == 0:
            raise ValueError(
                f"max_resources_={largest}: you might have passed an empty dataset X."
            )
        if smallest > largest:
            rows = f" (n_samples={_n_samples(self._X)})" if self.resource == "n_samples" else ""
            raise ValueError(
                f"min_resources_={smallest} is greater than max_resources_={largest}{rows}."
            )
        n_required = 1 + floor(log(n_candidates, self.factor))
        if self.min_resources == "exhaust":
            smallest = max(smallest, largest // self.factor ** (n_required - 1))
        n_possible = 1 + floor(log(largest // smallest, self.factor))
        n_iterations = n_required if self.aggressive_elimination else min(n_possible, n_required)
        self.min_resources_, self.max_resources_ = smallest, largest
        self.n_required_iterations_, self.n_possible_iterations_ = n_required, n_possible
        self.n_iterations_ = n_iterations
        budgets = []
        for i in range(n_iterations):
            power = max(0, i - n_required + n_possible) if self.aggressive_elimination else i
            budgets.append(min(int(self.factor**power * smallest), largest))
        return budgets

    def _run_search(self, evaluate):
        candidates = self._candidates()
        if self.resource != "n_samples" and any(self.resource in c for c in candidates):
            raise ValueError(
                f"Cannot use parameter {self.resource} as the resource since it is part of "
                "the searched parameters."
            )
        self.n_resources_, self.n_candidates_ = [], []
        n_rows = _n_samples(self._X)
        for i, budget in enumerate(self._budgets(len(candidates))):
            self.n_resources_.append(budget)
            self.n_candidates_.append(len(candidates))
            if self.resource == "n_samples":
                cv = _Subsampled(self._splitter, budget / n_rows, self.random_state)
                run = candidates
            else:
                cv = self._splitter
                run = [{**c, self.resource: budget} for c in candidates]
            results = evaluate(run, cv=cv, more={"iter": [i] * len(run),
                                                 "n_resources": [budget] * len(run)})
            keep = _top_k(results, ceil(len(candidates) / self.factor), i)
            if self.resource != "n_samples":
                keep = [{k: v for k, v in c.items() if k != self.resource} for c in keep]
            candidates = keep
        self.n_remaining_candidates_ = len(candidates)

    @staticmethod
    def _best_index(results):
        last = np.flatnonzero(results["iter"] == results["iter"].max())
        scores = results["mean_test_score"][last]
        return int(last[0 if np.isnan(scores).all() else np.nanargmax(scores)])

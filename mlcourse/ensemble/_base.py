"""Helpers shared by the ensembles: seeds, bootstrap draws, trees grown from a presort.

See notebooks/15_ensembles.ipynb.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import check_random_state

from mlcourse.tree import DecisionTreeClassifier, DecisionTreeRegressor, grow_tree
from mlcourse.tree._criteria import ClassificationCriterion, RegressionCriterion
from mlcourse.utils import integer, real

MAX_INT = np.iinfo(np.int32).max
# Rows (or features) drawn per member: a count, or a fraction of them all.
COUNT_OR_FRACTION = [integer(ge=1), real(gt=0, le=1, allow_int=False)]


def member_seeds(random_state, n_members):
    """One integer seed per member of the ensemble, drawn from ``random_state``."""
    return check_random_state(random_state).randint(MAX_INT, size=n_members)


def bootstrap_counts(seed, n_samples, n_draws):
    """How often each of ``n_samples`` rows is drawn in ``n_draws`` draws with replacement.

    A count can be passed to a tree as a sample weight: a row drawn twice weighs 2,
    a row never drawn (out of bag) weighs 0 and is left out of the fit.
    """
    rng = np.random.RandomState(seed)
    return np.bincount(rng.randint(0, n_samples, n_draws), minlength=n_samples)


def draw_count(max_samples, n_samples):
    """Return the number of rows drawn per member: all of them, an int, or a fraction.

    ``max_samples`` has passed the estimator's :data:`COUNT_OR_FRACTION` rule; only its size
    against the data is left to check.
    """
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, numbers.Integral):
        if max_samples > n_samples:
            raise ValueError(f"max_samples must be at most n_samples={n_samples}, "
                             f"got {max_samples}.")
        return int(max_samples)
    return max(1, round(max_samples * n_samples))


def grow_member(tree, X, order, y, w, seed, classes=None):
    """Fit ``tree`` (an unfitted mlcourse tree) on ``X`` with weights ``w``, fast.

    Equivalent to ``tree.set_params(random_state=seed).fit(X, y, sample_weight=w)`` but
    skips the validation (done once by the ensemble) and reuses ``order = presort(X)``,
    so every member of a forest shares one sort of each feature. For a classifier, ``y``
    holds class codes ``0..len(classes)-1``.
    """
    n, d = X.shape
    tree.random_state = int(seed)
    if classes is not None:
        criterion = ClassificationCriterion(
            y, w, classes.size, "gini" if tree.criterion == "gini" else "entropy")
        tree.classes_, tree.n_classes_ = classes, classes.size
    else:
        criterion = RegressionCriterion(y, w)
    params = tree._resolved_params(n, d)
    tree.max_features_ = params["max_features"]
    tree.n_features_in_ = d
    tree.tree_ = grow_tree(X, criterion, rng=np.random.RandomState(seed), order=order, **params)
    tree.feature_importances_ = tree.tree_.feature_importances(d)
    return tree


def is_mlcourse_tree(estimator):
    return type(estimator) in (DecisionTreeClassifier, DecisionTreeRegressor)

"""Splitting data: one train/test split, and the k-fold splitters of cross-validation.

See notebooks/04_data_splitting.ipynb and notebooks/13_hyperparameter_tuning.ipynb.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_consistent_length


def _n_samples(a) -> int:
    if hasattr(a, "shape") and len(a.shape) > 0:
        return a.shape[0]
    return len(a)


def _indexable(a):
    """Return something rows can be taken from.

    That is ``a`` itself when it is an array, DataFrame, sparse matrix, list or None, else
    ``np.asarray(a)`` (an array-like that only has ``__array__``).
    """
    if a is None or hasattr(a, "shape") or hasattr(a, "iloc") or isinstance(a, list | tuple):
        return a
    return np.asarray(a)


def _check_size(name: str, size, n_samples: int):
    """Validate one of ``test_size`` / ``train_size``: a fraction in (0, 1) or a count."""
    if size is None:
        return
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        if not 0 < size < n_samples:
            raise ValueError(
                f"{name}={size} should be either positive and smaller than the number of "
                f"samples {n_samples} or a float in the (0, 1) range."
            )
    elif isinstance(size, numbers.Real):
        if not 0 < size < 1:
            raise ValueError(
                f"{name}={size} should be either positive and smaller than the number of "
                f"samples {n_samples} or a float in the (0, 1) range."
            )
    else:
        raise TypeError(f"{name} must be an int, a float or None, got {size!r}.")


def split_sizes(n_samples: int, test_size=None, train_size=None, default_test_size=0.25):
    """Return the number of training and test rows, with scikit-learn's rules.

    A float is a fraction of the rows (test rounded up, train rounded down), an int a
    count; a missing size is the complement of the other; both missing means
    ``default_test_size``.
    """
    _check_size("test_size", test_size, n_samples)
    _check_size("train_size", train_size, n_samples)
    if test_size is None and train_size is None:
        test_size = default_test_size
    fractions = [s for s in (test_size, train_size) if isinstance(s, float)]
    if len(fractions) == 2 and sum(fractions) > 1:
        raise ValueError(
            f"The sum of test_size and train_size = {sum(fractions)}, should be in the (0, 1) "
            "range. Reduce test_size and/or train_size."
        )
    n_test = (
        int(np.ceil(test_size * n_samples)) if isinstance(test_size, float) else test_size
    )
    n_train = (
        int(np.floor(train_size * n_samples)) if isinstance(train_size, float) else train_size
    )
    n_test = n_samples - n_train if n_test is None else n_test
    n_train = n_samples - n_test if n_train is None else n_train
    if n_train + n_test > n_samples:
        raise ValueError(
            f"The sum of train_size and test_size = {n_train + n_test}, should be smaller "
            f"than the number of samples {n_samples}. Reduce test_size and/or train_size."
        )
    if n_train == 0:
        raise ValueError(
            f"With n_samples={n_samples}, test_size={test_size} and train_size={train_size}, "
            "the resulting train set will be empty. Adjust any of the aforementioned parameters."
        )
    return int(n_train), int(n_test)


def apportion(counts: np.ndarray, n_draws: int, rng) -> np.ndarray:
    """Share ``n_draws`` among classes in proportion to ``counts``, in whole numbers.

    Largest-remainder method: every class gets the floor of its exact share; the rows left
    over go to the largest fractional parts, ties broken at random.
    """
    exact = counts / counts.sum() * n_draws
    share = np.floor(exact)
    left = int(n_draws - share.sum())
    remainder = exact - share
    for value in np.sort(np.unique(remainder))[::-1]:
        if left == 0:
            break
        tied = np.flatnonzero(remainder == value)
        chosen = rng.choice(tied, size=min(len(tied), left), replace=False)
        share[chosen] += 1
        left -= len(chosen)
    return share.astype(int)


def _stratified_indices(y, n_train, n_test, rng):
    """Train and test rows that keep each class's share (up to rounding)."""
    y = np.asarray(y)
    if y.ndim == 2:  # several label columns: stratify on their combination
        y = np.array([" ".join(row.astype(str)) for row in y])
    classes, y_code = np.unique(y, return_inverse=True)
    counts = np.bincount(y_code)
    if counts.min() < 2:
        raise ValueError(
            f"The least populated class in y ({classes[np.argmin(counts)]!r}) has only 1 "
            "member, which is too few: stratifying needs at least 2 members per class."
        )
    for name, n in (("train_size", n_train), ("test_size", n_test)):
        if n < len(classes):
            raise ValueError(
                f"The {name} = {n} should be greater or equal to the number of classes = "
                f"{len(classes)}, so that every class can appear."
            )
    # the rows of each class, in their original order
    by_class = np.split(np.argsort(y_code, kind="stable"), np.cumsum(counts)[:-1])
    n_train_per_class = apportion(counts, n_train, rng)
    n_test_per_class = apportion(counts - n_train_per_class, n_test, rng)
    train, test = [], []
    for rows, a, b in zip(by_class, n_train_per_class, n_test_per_class, strict=True):
        rows = rows[rng.permutation(len(rows))]
        train.append(rows[:a])
        test.append(rows[a : a + b])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _take(a, rows):
    """Rows of an array, sparse matrix, DataFrame, Series or list."""
    if a is None:
        return None
    if hasattr(a, "iloc"):
        return a.iloc[rows]
    if sparse.issparse(a):
        return a.tocsr()[rows]
    if hasattr(a, "shape"):
        return a[rows]
    return [a[i] for i in rows]


def train_test_split(
    *arrays, test_size=None, train_size=None, random_state=None, shuffle=True, stratify=None
):
    """Split arrays (same number of rows) into random train and test parts.

    Returns ``[a_train, a_test, b_train, b_test, ...]``, each part of the same type as its
    input (array, list, DataFrame, Series, sparse matrix). Same split as scikit-learn for
    the same ``random_state``. See notebooks/04_data_splitting.ipynb.

    Parameters
    ----------
    *arrays : sequence of indexables with the same length
    test_size : float or int, default=None
        Fraction (0, 1) or number of test rows; 0.25 when ``train_size`` is None too.
    train_size : float or int, default=None
        Fraction or number of training rows; the complement of ``test_size`` when None.
    random_state : int, RandomState or None
        Seed of the shuffle (an int makes it reproducible).
    shuffle : bool, default=True
        False takes the first rows for training and the next ones for testing (time order).
    stratify : array-like or None
        Class labels whose proportions both parts should keep.
    """
    if not arrays:
        raise ValueError("At least one array required as input.")
    present = [a for a in arrays if a is not None]
    check_consistent_length(*present)
    n_samples = _n_samples(present[0])
    if n_samples == 0:
        raise ValueError("Cannot split empty data: the arrays have 0 rows.")
    n_train, n_test = split_sizes(n_samples, test_size, train_size)
    if not shuffle:
        if stratify is not None:
            raise ValueError(
                "Stratified train/test split is not implemented for shuffle=False: the rows "
                "must be drawn at random to balance the classes."
            )
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        rng = check_random_state(random_state)
        if stratify is None:
            order = rng.permutation(n_samples)
            test, train = order[:n_test], order[n_test : n_test + n_train]
        else:
            check_consistent_length(present[0], stratify)
            train, test = _stratified_indices(stratify, n_train, n_test, rng)
    return [part for a in arrays for part in (_take(a, train), _take(a, test))]


# ---------------------------------------------------------------------------- k-fold splitters
# See notebooks/13_hyperparameter_tuning.ipynb: every splitter below hands out *indices*
# (train, test); the estimators never see the rows of the test fold while they are fitted.


class _Splitter:
    """What every cross-validation splitter shares: ``split`` and ``get_n_splits``.

    A subclass writes ``_test_folds(X, y, groups)``, which yields the test indices of each
    fold; the training indices are all the other rows.
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        if not isinstance(n_splits, numbers.Integral) or isinstance(n_splits, bool):
            raise ValueError(
                f"The number of folds must be of Integral type. {n_splits!r} of type "
                f"{type(n_splits)} was passed."
            )
        if n_splits <= 1:
            raise ValueError(
                "k-fold cross-validation requires at least one train/test split by setting "
                f"n_splits=2 or more, got n_splits={n_splits}."
            )
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}.")
        if not shuffle and random_state is not None:
            raise ValueError(
                "Setting a random_state has no effect since shuffle is False. You should "
                "leave random_state to its default (None), or set shuffle=True."
            )
        self.n_splits = int(n_splits)
        self.shuffle = shuffle
        self.random_state = random_state

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays, one pair per fold."""
        n_samples = _n_samples(X)
        if y is not None:
            check_consistent_length(X, y)
        if groups is not None:
            check_consistent_length(X, groups)
        if self.n_splits > n_samples:
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the "
                f"number of samples: n_samples={n_samples}."
            )
        rows = np.arange(n_samples)
        for test in self._test_folds(X, y, groups):
            is_test = np.zeros(n_samples, dtype=bool)
            is_test[test] = True
            yield rows[~is_test], rows[is_test]

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of (train, test) pairs that ``split`` yields."""
        return self.n_splits

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"


class KFold(_Splitter):
    """K consecutive folds; each is the test set once, the other k - 1 train.

    The first ``n_samples % n_splits`` folds hold one row more than the others. With
    ``shuffle=True`` the rows are shuffled once before they are cut into folds. Same folds
    as ``sklearn.model_selection.KFold``. See notebooks/13_hyperparameter_tuning.ipynb.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
    random_state : int, RandomState or None, default=None
        Seed of the shuffle; only with ``shuffle=True``.
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _test_folds(self, X, y, groups):
        n_samples = _n_samples(X)
        rows = np.arange(n_samples)
        if self.shuffle:
            check_random_state(self.random_state).shuffle(rows)
        sizes = np.full(self.n_splits, n_samples // self.n_splits)
        sizes[: n_samples % self.n_splits] += 1
        yield from np.split(rows, np.cumsum(sizes)[:-1])


class StratifiedKFold(_Splitter):
    """K folds that keep each class's share of the rows.

    The rows of each class, in their order, are dealt to the folds in blocks whose sizes come
    from a round robin over the sorted labels, so every fold gets ``n_class / k`` rows of each
    class give or take one. ``shuffle=True`` shuffles which rows of a class go to which
    fold. Same folds as ``sklearn.model_selection.StratifiedKFold``.
    See notebooks/13_hyperparameter_tuning.ipynb.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
    random_state : int, RandomState or None, default=None
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def split(self, X, y, groups=None):
        """Yield ``(train, test)`` index arrays; ``y`` holds the class labels."""
        if y is None:
            raise ValueError("StratifiedKFold needs the class labels y to stratify on.")
        return super().split(X, y, groups)

    def _fold_of_each_row(self, y):
        rng = check_random_state(self.random_state)
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if y.ndim != 1 or type_of_target(y) not in ("binary", "multiclass"):
            raise ValueError(
                "Supported target types are: ('binary', 'multiclass'). "
                f"Got {type_of_target(y)!r} instead."
            )
        # classes numbered in their order of first appearance
        _, first, inverse = np.unique(y, return_index=True, return_inverse=True)
        y_code = np.argsort(np.argsort(first))[inverse]
        counts = np.bincount(y_code)
        if np.all(self.n_splits > counts):
            raise ValueError(
                f"n_splits={self.n_splits} cannot be greater than the number of members in "
                "each class."
            )
        if self.n_splits > counts.min():
            warnings.warn(
                f"The least populated class in y has only {counts.min()} members, which is "
                f"less than n_splits={self.n_splits}.",
                UserWarning,
                stacklevel=3,
            )
        # allocation[f, k]: rows of class k in fold f, dealt round robin over sorted labels
        y_sorted = np.sort(y_code)
        allocation = np.stack([
            np.bincount(y_sorted[f :: self.n_splits], minlength=len(counts))
            for f in range(self.n_splits)
        ])
        fold = np.empty(len(y), dtype=int)
        for k in range(len(counts)):
            folds_of_class = np.repeat(np.arange(self.n_splits), allocation[:, k])
            if self.shuffle:
                rng.shuffle(folds_of_class)
            fold[y_code == k] = folds_of_class
        return fold

    def _test_folds(self, X, y, groups):
        fold = self._fold_of_each_row(y)
        for f in range(self.n_splits):
            yield np.flatnonzero(fold == f)


class GroupKFold(_Splitter):
    """K folds in which a group (a patient, a customer, a house) never straddles two folds.

    Without shuffling, groups are placed from the largest to the smallest, each into the fold
    that holds the fewest rows so far, which balances the fold sizes; same folds as
    ``sklearn.model_selection.GroupKFold``. With ``shuffle=True`` the groups are permuted and
    cut into ``n_splits`` nearly equal runs of groups. See notebooks/13_hyperparameter_tuning.ipynb.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
    random_state : int, RandomState or None, default=None
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays; ``groups`` holds each row's group."""
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        return super().split(X, y, groups)

    def _test_folds(self, X, y, groups):
        groups = np.asarray(groups)
        if groups.ndim != 1:
            raise ValueError(f"groups should be one-dimensional; got shape {groups.shape}.")
        unique_groups, group_code = np.unique(groups, return_inverse=True)
        if self.n_splits > len(unique_groups):
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the "
                f"number of groups: {len(unique_groups)}."
            )
        if self.shuffle:
            rng = check_random_state(self.random_state)
            for test_groups in np.array_split(rng.permutation(unique_groups), self.n_splits):
                yield np.flatnonzero(np.isin(groups, test_groups))
            return
        size = np.bincount(group_code)
        largest_first = np.argsort(size, kind="stable")[::-1]
        rows_in_fold = np.zeros(self.n_splits)
        fold_of_group = np.zeros(len(unique_groups), dtype=int)
        for g in largest_first:  # a loop over groups, not rows: greedy bin packing
            lightest = int(np.argmin(rows_in_fold))
            rows_in_fold[lightest] += size[g]
            fold_of_group[g] = lightest
        fold = fold_of_group[group_code]
        for f in range(self.n_splits):
            yield np.flatnonzero(fold == f)


class TimeSeriesSplit(_Splitter):
    """Folds for data in time order: train on the past, test on the block that follows.

    The last ``n_splits * test_size`` rows are cut into ``n_splits`` consecutive test blocks
    (``test_size`` defaults to ``n_samples // (n_splits + 1)``). Each training set is every
    row before its test block, minus the ``gap`` rows just before it, and at most the last
    ``max_train_size`` of them. Same folds as ``sklearn.model_selection.TimeSeriesSplit``.
    See notebooks/13_hyperparameter_tuning.ipynb.

    Parameters
    ----------
    n_splits : int, default=5
    max_train_size : int or None, default=None
    test_size : int or None, default=None
    gap : int, default=0
    """

    def __init__(self, n_splits=5, *, max_train_size=None, test_size=None, gap=0):
        super().__init__(n_splits)
        self.max_train_size = max_train_size
        self.test_size = test_size
        self.gap = gap

    def split(self, X, y=None, groups=None):
        """Yield ``(train, test)`` index arrays in time order (``groups`` is ignored)."""
        n_samples = _n_samples(X)
        if y is not None:
            check_consistent_length(X, y)
        n_folds = self.n_splits + 1
        test_size = self.test_size if self.test_size is not None else n_samples // n_folds
        if n_folds > n_samples:
            raise ValueError(
                f"Cannot have number of folds={n_folds} greater than the number of "
                f"samples={n_samples}."
            )
        if n_samples - self.gap - test_size * self.n_splits <= 0:
            raise ValueError(
                f"Too many splits={self.n_splits} for number of samples={n_samples} with "
                f"test_size={test_size} and gap={self.gap}."
            )
        rows = np.arange(n_samples)
        for start in range(n_samples - self.n_splits * test_size, n_samples, test_size):
            end = start - self.gap
            first = 0
            if self.max_train_size and self.max_train_size < end:
                first = end - self.max_train_size
            yield rows[first:end], rows[start : start + test_size]


def check_cv(cv=5, y=None, *, classifier=False):
    """Return the splitter that ``cv`` stands for.

    An int means ``StratifiedKFold(cv)`` for a classifier with binary or multiclass ``y``,
    ``KFold(cv)`` otherwise (scikit-learn's rule); None means 5; an object with ``split``
    (a splitter of this module or of scikit-learn) is used as it is; a list of
    ``(train, test)`` pairs is replayed.
    """
    cv = 5 if cv is None else cv
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if classifier and y is not None and type_of_target(y) in ("binary", "multiclass"):
            return StratifiedKFold(cv)
        return KFold(cv)
    if hasattr(cv, "split") and hasattr(cv, "get_n_splits"):
        return cv
    if hasattr(cv, "__iter__") and not isinstance(cv, str):
        return _FixedSplits(list(cv))
    raise ValueError(
        "Expected cv as an integer, a cross-validation object (with split and get_n_splits) "
        f"or an iterable of (train, test) pairs; got {cv!r}."
    )


class _FixedSplits:
    """A list of (train, test) pairs with the splitter interface."""

    def __init__(self, pairs):
        self.pairs = [(np.asarray(a), np.asarray(b)) for a, b in pairs]

    def split(self, X=None, y=None, groups=None):
        yield from self.pairs

    def get_n_splits(self, X=None, y=None, groups=None):
        return len(self.pairs)

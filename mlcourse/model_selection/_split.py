"""Splitting data into training and test sets.

See notebooks/04_data_splitting.ipynb.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length


def _n_samples(a) -> int:
    if hasattr(a, "shape") and len(a.shape) > 0:
        return a.shape[0]
    return len(a)


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
    """Number of training and test rows, with scikit-learn's rules.

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

"""Tests of mlcourse.model_selection.train_test_split: same split as scikit-learn,
stratification keeps class proportions, every input type, clear errors."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.model_selection import train_test_split as sk_train_test_split

from mlcourse.datasets import load_titanic
from mlcourse.model_selection import train_test_split
from mlcourse.model_selection._split import apportion, split_sizes


@pytest.fixture(scope="module")
def titanic():
    return load_titanic()


def _sk_sizes(n, test_size, train_size):
    """Sizes scikit-learn's train_test_split gives (or the error type it raises)."""
    try:
        train, test = sk_train_test_split(np.arange(n), test_size=test_size,
                                          train_size=train_size, random_state=0)
    except ValueError:
        return ValueError
    return len(train), len(test)


SIZES = [None, 0.1, 0.25, 0.333, 0.5, 0.9, 1, 2, 7, 33, 99]


@pytest.mark.parametrize("n", [10, 34, 100])
def test_sizes_follow_sklearn_rules(n):
    for test_size in SIZES:
        for train_size in SIZES:
            expected = _sk_sizes(n, test_size, train_size)
            if expected is ValueError:
                with pytest.raises(ValueError):
                    split_sizes(n, test_size, train_size)
            else:
                assert split_sizes(n, test_size, train_size) == expected, (test_size, train_size)


@pytest.mark.parametrize("kwargs", [
    dict(random_state=0),
    dict(test_size=0.2, random_state=1),
    dict(train_size=0.5, test_size=0.3, random_state=2),
    dict(test_size=100, random_state=3),
    dict(shuffle=False),
    dict(shuffle=False, train_size=0.6),
    dict(stratify="pclass", random_state=4),
    dict(stratify="pclass", test_size=0.1, train_size=0.3, random_state=5),
    dict(stratify="survived", test_size=0.5, random_state=np.random.RandomState(6)),
])
def test_same_split_as_sklearn(titanic, kwargs):
    if isinstance(kwargs.get("stratify"), str):
        kwargs = {**kwargs, "stratify": titanic[kwargs["stratify"]]}
    X, y = titanic.drop(columns="survived"), titanic["survived"]
    rs = kwargs.get("random_state")
    ours = train_test_split(X, y, **kwargs)
    if isinstance(rs, np.random.RandomState):  # a RandomState is consumed: replay it
        kwargs = {**kwargs, "random_state": np.random.RandomState(6)}
    theirs = sk_train_test_split(X, y, **kwargs)
    assert len(ours) == 4
    for a, b in zip(ours, theirs, strict=True):
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


@pytest.mark.parametrize("seed", range(5))
def test_stratified_split_keeps_class_proportions(seed):
    rng = np.random.default_rng(seed)
    y = rng.choice(["a", "b", "c"], size=1003, p=[0.85, 0.1, 0.05])
    X = rng.normal(size=(len(y), 2))
    _, _, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y,
                                             random_state=seed)
    classes, counts = np.unique(y, return_counts=True)
    for part in (y_train, y_test):
        share = np.array([(part == c).sum() for c in classes])
        # each class within one row of its exact share (largest-remainder rounding)
        assert np.all(np.abs(share - counts * len(part) / len(y)) < 1)


def test_unstratified_split_drifts_more_than_stratified():
    rng = np.random.default_rng(0)
    y = (rng.random(500) < 0.06).astype(int)
    errors = {True: [], False: []}
    for seed in range(30):
        for strat in (True, False):
            _, y_test = train_test_split(y, test_size=50, random_state=seed,
                                         stratify=y if strat else None)
            errors[strat].append(abs(y_test.mean() - y.mean()))
    assert max(errors[True]) <= 0.5 / 50 + 1e-12  # at most half a row off
    assert np.mean(errors[False]) > 3 * np.mean(errors[True])


def test_apportion_is_proportional_and_sums_up():
    rng = np.random.RandomState(0)
    counts = np.array([50, 30, 15, 5])
    for n in [4, 10, 33, 77, 100]:
        share = apportion(counts, n, rng)
        assert share.sum() == n
        assert np.all(np.abs(share - counts * n / counts.sum()) < 1)


def test_parts_are_disjoint_cover_and_aligned():
    X = np.arange(50).reshape(25, 2)
    y = np.arange(25) * 10
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=0)
    rows = np.concatenate([X_train[:, 0], X_test[:, 0]]) // 2
    assert sorted(rows) == list(range(25))  # every row exactly once
    np.testing.assert_array_equal(X_train[:, 0] // 2 * 10, y_train)  # X and y stay paired
    np.testing.assert_array_equal(X_test[:, 0] // 2 * 10, y_test)
    assert len(X_test) == 10


def test_input_types_are_kept():
    n = 20
    X_list = [[i, i + 1] for i in range(n)]
    df = pd.DataFrame({"a": range(n)}, index=[f"r{i}" for i in range(n)])
    series = pd.Series(range(n), index=df.index)
    X_sparse = sparse.csr_matrix(np.eye(n))
    parts = train_test_split(X_list, df, series, X_sparse, random_state=0)
    assert isinstance(parts[0], list) and isinstance(parts[1], list)
    assert isinstance(parts[2], pd.DataFrame) and isinstance(parts[4], pd.Series)
    assert sparse.issparse(parts[6])
    # the DataFrame keeps its index labels, aligned with the list rows
    assert [row[0] for row in parts[0]] == [int(i[1:]) for i in parts[2].index]
    assert list(parts[4].index) == list(parts[2].index)
    np.testing.assert_array_equal(parts[6].toarray().argmax(axis=1), parts[2]["a"])


def test_shuffle_false_keeps_time_order():
    X = np.arange(10)
    train, test = train_test_split(X, shuffle=False, test_size=3)
    np.testing.assert_array_equal(train, np.arange(7))
    np.testing.assert_array_equal(test, [7, 8, 9])


def test_random_state_makes_it_reproducible():
    X = np.arange(100)
    a = train_test_split(X, random_state=42)
    b = train_test_split(X, random_state=42)
    c = train_test_split(X, random_state=43)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_multilabel_stratify_matches_sklearn():
    rng = np.random.RandomState(0)
    Y = rng.randint(0, 2, size=(60, 2))
    ours = train_test_split(np.arange(60), stratify=Y, random_state=1)
    theirs = sk_train_test_split(np.arange(60), stratify=Y, random_state=1)
    np.testing.assert_array_equal(ours[1], theirs[1])


# ---------------------------------------------------------------------- bad input


def test_errors():
    X, y = np.arange(20), np.r_[np.zeros(19), 1]
    with pytest.raises(ValueError, match="At least one array required"):
        train_test_split()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        train_test_split(X, X[:-1])
    with pytest.raises(ValueError, match="empty"):
        train_test_split(np.array([]))
    for bad in (0, 20, -1, 0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match=f"test_size={bad} should be"):
            train_test_split(X, test_size=bad)
    with pytest.raises(TypeError, match="test_size must be an int, a float or None"):
        train_test_split(X, test_size="half")
    with pytest.raises(ValueError, match="The sum of test_size and train_size"):
        train_test_split(X, test_size=0.6, train_size=0.6)
    with pytest.raises(ValueError, match="should be smaller than the number of samples"):
        train_test_split(X, test_size=15, train_size=10)
    with pytest.raises(ValueError, match="train set will be empty"):
        train_test_split(X[:3], test_size=0.9)
    with pytest.raises(ValueError, match="only 1 member"):
        train_test_split(X, stratify=y)
    with pytest.raises(ValueError, match="not implemented for shuffle=False"):
        train_test_split(X, stratify=X % 2, shuffle=False)
    with pytest.raises(ValueError, match="greater or equal to the number of classes"):
        train_test_split(X, stratify=X % 4, test_size=3)

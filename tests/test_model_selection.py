"""Tests of mlcourse.model_selection: train_test_split (same split as scikit-learn, class
proportions kept, every input type, clear errors); the k-fold splitters (the same folds as
scikit-learn's, uneven sizes and groups included; shuffled folds a partition); cross_val_score,
learning_curve and the grid, random and halving searches (the same scores, ranks and winners as
scikit-learn's on the same folds)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.stats import loguniform, randint
from sklearn import model_selection as skms
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split as sk_train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlcourse.datasets import load_titanic
from mlcourse.model_selection import (
    GridSearchCV,
    GroupKFold,
    HalvingGridSearchCV,
    KFold,
    ParameterGrid,
    RandomizedSearchCV,
    StratifiedKFold,
    TimeSeriesSplit,
    check_cv,
    cross_val_score,
    cross_validate,
    learning_curve,
    train_test_split,
)
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


# ====================================================================== cross-validation
# KFold, StratifiedKFold, GroupKFold, TimeSeriesSplit: the same folds as scikit-learn's



def _folds(splitter, *args, **kwargs):
    """The folds as a list, or ValueError if the splitter refuses the input."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return list(splitter.split(*args, **kwargs))
    except ValueError:
        return ValueError


def _assert_same_folds(ours, theirs):
    assert (ours is ValueError) == (theirs is ValueError)
    if theirs is ValueError:
        return
    assert len(ours) == len(theirs)
    for (a_train, a_test), (b_train, b_test) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a_train, b_train)
        np.testing.assert_array_equal(a_test, b_test)


UNEVEN = [(10, 3), (11, 2), (13, 5), (17, 4), (23, 5), (7, 7)]


@pytest.mark.parametrize("n, k", UNEVEN)
def test_kfold_same_folds_as_sklearn(n, k):
    X = np.zeros((n, 2))
    _assert_same_folds(_folds(KFold(k), X), _folds(skms.KFold(k), X))
    _assert_same_folds(_folds(KFold(k, shuffle=True, random_state=3), X),
                       _folds(skms.KFold(k, shuffle=True, random_state=3), X))


@pytest.mark.parametrize("n, k", UNEVEN)
@pytest.mark.parametrize("seed", range(3))
def test_stratified_kfold_same_folds_as_sklearn(n, k, seed):
    rng = np.random.RandomState(seed)
    y = rng.choice(["b", "a", "c"], size=n, p=[0.5, 0.3, 0.2])  # first seen is not first sorted
    X = np.zeros((n, 1))
    _assert_same_folds(_folds(StratifiedKFold(k), X, y), _folds(skms.StratifiedKFold(k), X, y))
    _assert_same_folds(_folds(StratifiedKFold(k, shuffle=True, random_state=seed), X, y),
                       _folds(skms.StratifiedKFold(k, shuffle=True, random_state=seed), X, y))


@pytest.mark.parametrize("n, k", UNEVEN)
@pytest.mark.parametrize("seed", range(3))
def test_group_kfold_same_folds_as_sklearn(n, k, seed):
    rng = np.random.RandomState(seed)
    groups = rng.choice(["u", "v", "w", "x", "y", "z", "t", "s"], size=n)  # ties in sizes
    X = np.zeros((n, 1))
    _assert_same_folds(_folds(GroupKFold(k), X, groups=groups),
                       _folds(skms.GroupKFold(k), X, groups=groups))
    _assert_same_folds(_folds(GroupKFold(k, shuffle=True, random_state=seed), X, groups=groups),
                       _folds(skms.GroupKFold(k, shuffle=True, random_state=seed), X,
                              groups=groups))


@pytest.mark.parametrize("n, k", UNEVEN + [(50, 4), (100, 5)])
@pytest.mark.parametrize("kwargs", [{}, dict(gap=2), dict(test_size=3),
                                    dict(max_train_size=4, gap=1), dict(max_train_size=30)])
def test_time_series_split_same_folds_as_sklearn(n, k, kwargs):
    X = np.zeros((n, 1))
    _assert_same_folds(_folds(TimeSeriesSplit(k, **kwargs), X),
                       _folds(skms.TimeSeriesSplit(k, **kwargs), X))


@pytest.mark.parametrize("make", [
    lambda s: KFold(4, shuffle=True, random_state=s),
    lambda s: StratifiedKFold(4, shuffle=True, random_state=s),
    lambda s: GroupKFold(4, shuffle=True, random_state=s),
])
def test_shuffled_folds_are_a_partition(make):
    rng = np.random.RandomState(0)
    n = 103
    y = rng.randint(0, 3, n)
    groups = rng.randint(0, 20, n)
    tests = []
    for train, test in make(1).split(np.zeros(n), y, groups):
        assert len(np.intersect1d(train, test)) == 0
        assert len(train) + len(test) == n
        tests.append(test)
    np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(n))
    other = [t for _, t in make(2).split(np.zeros(n), y, groups)]
    assert any(not np.array_equal(a, b) for a, b in zip(tests, other, strict=False))


def test_stratified_folds_keep_class_shares_and_groups_never_straddle():
    rng = np.random.RandomState(1)
    y = (rng.random_sample(500) < 0.1).astype(int)
    for _, test in StratifiedKFold(5, shuffle=True, random_state=0).split(y, y):
        assert abs(y[test].sum() - y.sum() / 5) <= 1
    groups = rng.randint(0, 37, 500)
    for train, test in GroupKFold(5).split(y, groups=groups):
        assert not set(groups[train]) & set(groups[test])


def test_time_series_split_trains_on_the_past_with_a_gap():
    for train, test in TimeSeriesSplit(4, gap=3, max_train_size=20).split(np.zeros(60)):
        assert train.max() + 3 < test.min()
        assert len(train) <= 20


def test_splitter_errors():
    X = np.zeros((6, 1))
    with pytest.raises(ValueError, match="at least one train/test split"):
        KFold(1)
    with pytest.raises(ValueError, match="must be of Integral type"):
        KFold(2.5)
    with pytest.raises(ValueError, match="no effect since shuffle is False"):
        KFold(3, random_state=0)
    with pytest.raises(ValueError, match="greater than the number of samples"):
        list(KFold(7).split(X))
    with pytest.raises(ValueError, match="cannot be greater than the number of members"):
        list(StratifiedKFold(4).split(X, [0, 0, 0, 1, 1, 1]))
    with pytest.raises(ValueError, match="Supported target types"):
        list(StratifiedKFold(2).split(X, np.linspace(0, 1, 6)))
    with pytest.raises(ValueError, match="groups' parameter should not be None"):
        list(GroupKFold(2).split(X))
    with pytest.raises(ValueError, match="greater than the number of groups"):
        list(GroupKFold(3).split(X, groups=[0, 0, 0, 1, 1, 1]))
    with pytest.raises(ValueError, match="Too many splits"):
        list(TimeSeriesSplit(3, test_size=2).split(X))
    with pytest.warns(UserWarning, match="least populated class"):
        list(StratifiedKFold(3).split(np.zeros(8), [0, 0, 0, 0, 0, 0, 1, 1]))


def test_check_cv_follows_sklearn_rule():
    assert isinstance(check_cv(3, [0, 1, 0, 1], classifier=True), StratifiedKFold)
    assert isinstance(check_cv(3, [0.5, 1.2, 3.0], classifier=True), KFold)
    assert isinstance(check_cv(None, [0, 1]), KFold) and check_cv(None).n_splits == 5
    pairs = [([0, 1], [2]), ([2], [0, 1])]
    assert check_cv(pairs).get_n_splits() == 2
    with pytest.raises(ValueError, match="Expected cv"):
        check_cv("five")


# ---------------------------------------------------------------------- cross_val_score


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X[::2], y[::2]  # 285 rows keep the tests quick


@pytest.mark.parametrize("cv", [3, KFold(4), "group", "shuffled"])
@pytest.mark.parametrize("scoring", [None, "roc_auc", "neg_log_loss"])
def test_cross_val_score_equals_sklearn(cancer, cv, scoring):
    X, y = cancer
    groups = np.arange(len(y)) % 11
    ours_cv, their_cv = cv, cv
    if cv == "group":
        ours_cv, their_cv = GroupKFold(4), skms.GroupKFold(4)
    if cv == "shuffled":
        ours_cv, their_cv = (StratifiedKFold(3, shuffle=True, random_state=0),
                             skms.StratifiedKFold(3, shuffle=True, random_state=0))
    if isinstance(cv, KFold):
        their_cv = skms.KFold(4)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.3))
    ours = cross_val_score(model, X, y, groups=groups, cv=ours_cv, scoring=scoring)
    theirs = skms.cross_val_score(model, X, y, groups=groups, cv=their_cv, scoring=scoring)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_cross_validate_returns_train_scores_estimators_and_times(cancer):
    X, y = cancer
    out = cross_validate(DecisionTreeClassifier(max_depth=3, random_state=0), X, y, cv=4,
                         return_train_score=True, return_estimator=True)
    theirs = skms.cross_validate(DecisionTreeClassifier(max_depth=3, random_state=0), X, y,
                                 cv=4, return_train_score=True)
    np.testing.assert_array_equal(out["test_score"], theirs["test_score"])
    np.testing.assert_array_equal(out["train_score"], theirs["train_score"])
    assert len(out["estimator"]) == 4 and all(t >= 0 for t in out["fit_time"])


def test_cross_val_score_on_a_regressor_and_a_dataframe():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    for scoring in (None, "neg_mean_squared_error"):
        ours = cross_val_score(Ridge(alpha=0.5), X, y, cv=5, scoring=scoring)
        theirs = skms.cross_val_score(Ridge(alpha=0.5), X, y, cv=5, scoring=scoring)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_a_failing_fit_scores_error_score_or_raises(cancer):
    X, y = cancer
    bad = LogisticRegression(C=-1.0)
    with pytest.warns(UserWarning, match="Fitting failed"):
        scores = cross_val_score(bad, X, y, cv=3)
    assert np.isnan(scores).all()
    with pytest.raises(ValueError):
        cross_val_score(bad, X, y, cv=3, error_score="raise")


@pytest.mark.parametrize("kwargs", [dict(), dict(train_sizes=[10, 50, 120], shuffle=True,
                                                  random_state=0),
                                     dict(train_sizes=[0.05, 0.051, 0.5], cv=KFold(3))])
def test_learning_curve_equals_sklearn(cancer, kwargs):
    X, y = cancer
    model = DecisionTreeClassifier(max_depth=4, random_state=0)
    their_kwargs = dict(kwargs)
    if "cv" in kwargs:
        their_kwargs["cv"] = skms.KFold(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours = learning_curve(model, X, y, **kwargs)
        theirs = skms.learning_curve(model, X, y, **their_kwargs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------- searches


def _assert_same_search(ours, theirs, keys=("mean_test_score", "rank_test_score")):
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]
    for key in keys:
        np.testing.assert_array_equal(ours.cv_results_[key], theirs.cv_results_[key])
    for k in range(ours.n_splits_):
        np.testing.assert_array_equal(ours.cv_results_[f"split{k}_test_score"],
                                      theirs.cv_results_[f"split{k}_test_score"])
    np.testing.assert_allclose(ours.cv_results_["std_test_score"],
                               theirs.cv_results_["std_test_score"], rtol=1e-10, atol=1e-15)
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_index_ == theirs.best_index_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-12)


def test_parameter_grid_order_matches_sklearn():
    grid = [{"b": [1, 2], "a": ["x", "y", "z"]}, {"c": [0.1]}]
    assert list(ParameterGrid(grid)) == list(skms.ParameterGrid(grid))
    assert len(ParameterGrid(grid)) == 7
    with pytest.raises(TypeError, match="needs to be a list"):
        ParameterGrid({"a": 3})


@pytest.mark.parametrize("scoring", [None, "f1", "neg_log_loss"])
def test_grid_search_equals_sklearn(cancer, scoring):
    X, y = cancer
    tree = DecisionTreeClassifier(random_state=0)
    grid = {"max_depth": [1, 2, 3, None], "min_samples_leaf": [1, 5, 20]}  # ties at depth 1
    ours = GridSearchCV(tree, grid, cv=4, scoring=scoring).fit(X, y)
    theirs = skms.GridSearchCV(tree, grid, cv=4, scoring=scoring).fit(X, y)
    _assert_same_search(ours, theirs)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y))
    list(ours.cv_results_["param_max_depth"])  # one column per parameter


def test_grid_search_over_a_pipeline_with_a_list_of_grids_and_groups(cancer):
    X, y = cancer
    groups = np.arange(len(y)) % 13
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    grid = [{"logisticregression__C": [0.01, 0.1, 1.0]},
            {"standardscaler": ["passthrough"], "logisticregression__C": [0.1]}]
    ours = GridSearchCV(pipe, grid, cv=GroupKFold(3), return_train_score=True)
    theirs = skms.GridSearchCV(pipe, grid, cv=skms.GroupKFold(3), return_train_score=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unscaled fit does not converge: same in both
        ours.fit(X, y, groups=groups)
        theirs.fit(X, y, groups=groups)
    _assert_same_search(ours, theirs, keys=("mean_test_score", "rank_test_score",
                                            "mean_train_score"))
    assert ours.cv_results_["param_standardscaler"].mask.tolist() == [True] * 3 + [False]


def test_randomized_search_equals_sklearn_with_distributions(cancer):
    X, y = cancer
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    dists = {"logisticregression__C": loguniform(1e-3, 1e2),
             "logisticregression__fit_intercept": [True, False]}
    ours = RandomizedSearchCV(pipe, dists, n_iter=6, cv=3, random_state=7,
                              scoring="roc_auc").fit(X, y)
    theirs = skms.RandomizedSearchCV(pipe, dists, n_iter=6, cv=3, random_state=7,
                                     scoring="roc_auc").fit(X, y)
    _assert_same_search(ours, theirs)
    tree_dists = [{"max_depth": randint(1, 8)}, {"min_samples_leaf": randint(1, 40)}]
    tree = DecisionTreeClassifier(random_state=0)
    _assert_same_search(
        RandomizedSearchCV(tree, tree_dists, n_iter=7, cv=3, random_state=1).fit(X, y),
        skms.RandomizedSearchCV(tree, tree_dists, n_iter=7, cv=3, random_state=1).fit(X, y))


def test_randomized_search_on_lists_draws_distinct_grid_points(cancer):
    X, y = cancer
    grid = {"max_depth": [1, 2, 3, 4, 5], "min_samples_leaf": [1, 3, 10, 30]}
    search = RandomizedSearchCV(DecisionTreeClassifier(random_state=0), grid, n_iter=9, cv=3,
                                random_state=0).fit(X, y)
    drawn = [tuple(sorted(p.items())) for p in search.cv_results_["params"]]
    assert len(set(drawn)) == 9
    # each drawn setting scores what grid search gives it on the same folds
    full = GridSearchCV(DecisionTreeClassifier(random_state=0), grid, cv=3).fit(X, y)
    lookup = {tuple(sorted(p.items())): s for p, s in
              zip(full.cv_results_["params"], full.cv_results_["mean_test_score"],
                  strict=True)}
    for p, s in zip(drawn, search.cv_results_["mean_test_score"], strict=True):
        assert s == lookup[p]


def test_refit_false_has_no_best_estimator(cancer):
    X, y = cancer
    search = GridSearchCV(DecisionTreeClassifier(random_state=0), {"max_depth": [1, 2]},
                          refit=False, cv=3).fit(X, y)
    assert search.best_params_ in ({"max_depth": 1}, {"max_depth": 2})
    assert not hasattr(search, "best_estimator_")
    with pytest.raises(AttributeError, match="refit=False"):
        search.predict(X)


@pytest.mark.parametrize("kwargs", [
    dict(),
    dict(factor=2, min_resources="smallest"),
    dict(factor=3, min_resources=40, aggressive_elimination=True),
    dict(max_resources=200, cv=KFold(3)),
])
def test_halving_grid_search_equals_sklearn(cancer, kwargs):
    X, y = cancer
    tree = DecisionTreeClassifier(random_state=0)
    grid = {"max_depth": [1, 2, 3, 4, None], "min_samples_leaf": [1, 5, 20], "criterion":
            ["gini", "entropy"]}
    their_kwargs = dict(kwargs)
    if "cv" in kwargs:
        their_kwargs["cv"] = skms.KFold(3)
    ours = HalvingGridSearchCV(tree, grid, random_state=0, **kwargs).fit(X, y)
    theirs = skms.HalvingGridSearchCV(tree, grid, random_state=0, **their_kwargs).fit(X, y)
    for attr in ("n_resources_", "n_candidates_", "n_iterations_", "n_possible_iterations_",
                 "n_required_iterations_", "min_resources_", "max_resources_",
                 "n_remaining_candidates_"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    _assert_same_search(ours, theirs, keys=("mean_test_score", "mean_train_score", "iter",
                                            "n_resources", "rank_test_score"))


def test_halving_on_a_parameter_resource(cancer):
    from sklearn.ensemble import RandomForestClassifier

    X, y = cancer
    forest = RandomForestClassifier(random_state=0)
    grid = {"max_depth": [2, 4, None], "max_features": [1, 3, "sqrt"]}
    kwargs = dict(resource="n_estimators", max_resources=27, cv=3)
    ours = HalvingGridSearchCV(forest, grid, **kwargs).fit(X, y)
    theirs = skms.HalvingGridSearchCV(forest, grid, **kwargs).fit(X, y)
    assert ours.n_resources_ == theirs.n_resources_ == [3, 9, 27]
    _assert_same_search(ours, theirs)
    assert ours.best_estimator_.n_estimators == 27
    with pytest.raises(ValueError, match="part of the searched parameters"):
        HalvingGridSearchCV(forest, {"n_estimators": [1, 2]}, resource="n_estimators",
                            max_resources=9).fit(X, y)
    with pytest.raises(ValueError, match="not supported by estimator"):
        HalvingGridSearchCV(forest, grid, resource="epochs", max_resources=9).fit(X, y)


# ---------------------------------------------------------------------- estimator checks


@parametrize_with_checks([
    GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2),
    GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=2),
    RandomizedSearchCV(Ridge(), {"alpha": loguniform(0.01, 10)}, n_iter=2, cv=2,
                       random_state=0),
    HalvingGridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2,
                        min_resources="smallest"),
])
def test_searches_pass_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_a_search_is_a_classifier_when_its_estimator_is(cancer):
    from sklearn.base import is_classifier, is_regressor

    assert is_classifier(GridSearchCV(LogisticRegression(), {"C": [1.0]}))
    assert is_regressor(GridSearchCV(Ridge(), {"alpha": [1.0]}))
    X, y = cancer
    # so an int cv in a nested cross-validation is stratified, as in scikit-learn
    inner = GridSearchCV(DecisionTreeClassifier(random_state=0), {"max_depth": [1, 2]}, cv=3)
    np.testing.assert_array_equal(
        cross_val_score(inner, X, y, cv=3),
        skms.cross_val_score(skms.GridSearchCV(DecisionTreeClassifier(random_state=0),
                                               {"max_depth": [1, 2]}, cv=3), X, y, cv=3))

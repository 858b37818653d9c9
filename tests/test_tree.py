"""Tests of mlcourse.tree: scikit-learn's checks, agreement with its CART, the maths, errors."""

import numpy as np
import pytest
from sklearn import tree as sk_tree
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import parametrize_with_checks

import mlcourse.tree._grow as grow_module
from mlcourse.datasets import load_california_housing
from mlcourse.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    entropy,
    export_text,
    gini,
    presort,
    squared_error,
)
from mlcourse.tree._grow import _partition
from mlcourse.tree.readable import build_tree
from mlcourse.tree.readable import predict as readable_predict

HOUSING_FEATURES = [
    "longitude", "latitude", "housing_median_age", "total_rooms",
    "population", "households", "median_income",
]


@pytest.fixture(scope="module")
def housing():
    df = load_california_housing().sample(6000, random_state=0)
    X = df[HOUSING_FEATURES].to_numpy(float)
    y = df["median_house_value"].to_numpy() / 1e5
    return train_test_split(X, y, test_size=2000, random_state=0)


# --- 1. scikit-learn's estimator checks --------------------------------------------------------


@parametrize_with_checks(
    [
        DecisionTreeClassifier(),
        DecisionTreeClassifier(criterion="entropy", max_depth=4, min_samples_leaf=2),
        DecisionTreeClassifier(max_features="sqrt", random_state=0),
        DecisionTreeRegressor(),
        DecisionTreeRegressor(max_depth=5, min_samples_split=0.05, max_features=0.5,
                              random_state=0),
    ],
    expected_failed_checks=lambda est: {
        "check_sample_weight_equivalence_on_dense_data": (
            "min_samples_leaf counts rows, not weight (as in scikit-learn): a row of weight "
            "2 is one sample, its two copies are two, so leaves of 2 rows differ"
        )
    } if est.min_samples_leaf > 1 else {},
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --- 2. the same trees as scikit-learn's -------------------------------------------------------


def _gain(t, i, left, right):
    W = t.weighted_n_node_samples
    return W[i] * t.impurity[i] - W[left[i]] * t.impurity[left[i]] - W[right[i]] * t.impurity[
        right[i]]


def _compare_trees(ours, theirs, X):
    """Walk both trees together on training set ``X``; count identical splits and ties.

    Returns ``(same, ties, diverging)``. Where the two trees split a node differently, the
    two splits must decrease the impurity by the same amount: scikit-learn picks one of
    tied splits at random (it visits the features in a random order), we pick the first
    feature. Often the tie is between two features that cut the node into the same two
    groups of samples (iris' petal length and width, breast cancer's radius and
    perimeter): then the walk goes on below. When the groups differ ("diverging"), the
    subtrees legitimately differ and the walk stops there.
    """
    a, b = ours.tree_, theirs.tree_
    same, ties, diverging = 0, 0, 0
    stack = [(0, 0, np.ones(X.shape[0], dtype=bool))]  # node pair, samples reaching it
    while stack:
        i, j, rows = stack.pop()
        leaf_a, leaf_b = a.left[i] == -1, b.children_left[j] == -1
        if leaf_a or leaf_b:
            # scikit-learn may split a node whose targets are all equal up to rounding
            # (variance 1e-14 > machine epsilon); its children all predict the same value
            if leaf_a != leaf_b:
                assert leaf_a and b.impurity[j] < 1e-10, (i, j)
            continue
        left_a = rows & (X[:, a.feature[i]] <= a.threshold[i])
        left_b = rows & (X[:, b.feature[j]].astype(np.float32) <= b.threshold[j])
        if a.feature[i] == b.feature[j] and np.isclose(a.threshold[i], b.threshold[j],
                                                       rtol=0, atol=1e-6):
            same += 1
        else:
            g_ours = _gain(a, i, a.left, a.right)
            g_theirs = _gain(b, j, b.children_left, b.children_right)
            assert g_ours == pytest.approx(g_theirs, rel=1e-9, abs=1e-12), (
                f"different split at node {i}: ours x[{a.feature[i]}] <= {a.threshold[i]} "
                f"(gain {g_ours}), scikit-learn's x[{b.feature[j]}] <= {b.threshold[j]} "
                f"(gain {g_theirs})")
            ties += 1
            if not np.array_equal(left_a, left_b):
                diverging += 1
                continue
        stack += [(a.left[i], b.children_left[j], left_a),
                  (a.right[i], b.children_right[j], rows & ~left_a)]
    return same, ties, diverging


def _assert_same_predictions(ours, theirs, X):
    """Equal outputs, except where a value sits exactly on a threshold.

    scikit-learn rounds ``X`` to float32 before comparing it with a threshold, so a test
    value lying halfway between two training values (a threshold) may go either way.
    """
    method = "predict_proba" if hasattr(ours, "predict_proba") else "predict"
    p_ours, p_theirs = getattr(ours, method)(X), getattr(theirs, method)(X)
    equal = np.isclose(p_ours, p_theirs, rtol=1e-10, atol=1e-12).reshape(X.shape[0], -1)
    differ = np.flatnonzero(~equal.all(axis=1))
    thresholds = ours.tree_.threshold[ours.tree_.left >= 0]
    for row in differ:
        assert np.isclose(X[row][:, None], thresholds, rtol=1e-9, atol=0).any(), row
    assert differ.size <= max(1, 0.02 * X.shape[0])


CLASSIFICATION = {"iris": load_iris, "breast_cancer": load_breast_cancer, "wine": load_wine}


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("max_depth", [None, 3])
@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
def test_classifier_grows_scikit_learns_tree(name, max_depth, criterion):
    X, y = CLASSIFICATION[name](return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    ours = DecisionTreeClassifier(criterion=criterion, max_depth=max_depth).fit(X_train, y_train)
    theirs = sk_tree.DecisionTreeClassifier(criterion=criterion, max_depth=max_depth,
                                            random_state=0).fit(X_train, y_train)
    same, ties, diverging = _compare_trees(ours, theirs, X_train)  # every difference is a tie
    assert same >= 1
    if diverging == 0:  # the same partition of the training set, node for node
        _assert_same_predictions(ours, theirs, X_train)
        assert ours.get_n_leaves() == theirs.get_n_leaves()
        assert ours.get_depth() == theirs.get_depth()
    if ties == 0:  # then everything must match exactly
        _assert_same_predictions(ours, theirs, X_test)
        np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_,
                                   atol=1e-12)
    assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= 0.05


def test_tie_free_case_matches_exactly():
    # guards the test above against silently comparing nothing but ties
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    ours = DecisionTreeClassifier(criterion="entropy", max_depth=2).fit(X_train, y_train)
    theirs = sk_tree.DecisionTreeClassifier(criterion="entropy", max_depth=2,
                                            random_state=0).fit(X_train, y_train)
    assert _compare_trees(ours, theirs, X_train) == (3, 0, 0)
    _assert_same_predictions(ours, theirs, X_test)
    np.testing.assert_allclose(ours.tree_.threshold[ours.tree_.left >= 0],
                               np.sort(theirs.tree_.threshold[theirs.tree_.feature >= 0]))


@pytest.mark.parametrize("max_depth", [4, 6, None])
def test_regressor_grows_scikit_learns_tree_on_diabetes(max_depth):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    ours = DecisionTreeRegressor(max_depth=max_depth).fit(X_train, y_train)
    theirs = sk_tree.DecisionTreeRegressor(max_depth=max_depth, random_state=0).fit(
        X_train, y_train)
    same, ties, diverging = _compare_trees(ours, theirs, X_train)
    if max_depth == 4:
        assert (same, ties) == (15, 0)
        _assert_same_predictions(ours, theirs, X_test)
        np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_,
                                   atol=1e-12)
    if diverging == 0:
        _assert_same_predictions(ours, theirs, X_train)
    assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= 0.1


@pytest.mark.parametrize("max_depth", [2, 5, 8])
def test_regressor_matches_on_california_housing(housing, max_depth):
    X_train, X_test, y_train, y_test = housing
    ours = DecisionTreeRegressor(max_depth=max_depth).fit(X_train, y_train)
    theirs = sk_tree.DecisionTreeRegressor(max_depth=max_depth, random_state=0).fit(
        X_train, y_train)
    same, ties, diverging = _compare_trees(ours, theirs, X_train)
    assert same >= 3
    assert ours.score(X_test, y_test) == pytest.approx(theirs.score(X_test, y_test), abs=0.02)
    if ties == 0:
        _assert_same_predictions(ours, theirs, X_test)
    if diverging == 0:
        _assert_same_predictions(ours, theirs, X_train)
    # importances are dominated by the top splits, which agree
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, atol=0.02)


def test_sample_weight_matches_scikit_learn():
    X, y = load_wine(return_X_y=True)
    w = np.random.default_rng(0).uniform(0.5, 2.0, y.size)
    ours = DecisionTreeClassifier(max_depth=3).fit(X, y, sample_weight=w)
    theirs = sk_tree.DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y, sample_weight=w)
    assert _compare_trees(ours, theirs, X)[2] == 0
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-12)


def test_bootstrap_counts_as_weights_equal_repeated_rows():
    # what a random forest does: integer weights are the same as repeating the rows
    X, y = load_breast_cancer(return_X_y=True)
    counts = np.random.default_rng(1).multinomial(y.size, np.full(y.size, 1 / y.size))
    weighted = DecisionTreeClassifier(random_state=0).fit(X, y, sample_weight=counts)
    repeated = DecisionTreeClassifier(random_state=0).fit(np.repeat(X, counts, axis=0),
                                                          np.repeat(y, counts))
    np.testing.assert_array_equal(weighted.predict(X), repeated.predict(X))
    np.testing.assert_array_equal(weighted.tree_.threshold, repeated.tree_.threshold)


def test_min_samples_leaf_and_max_depth_are_respected(housing):
    X_train, _, y_train, _ = housing
    model = DecisionTreeRegressor(min_samples_leaf=25, max_depth=7).fit(X_train, y_train)
    leaves = model.tree_.left == -1
    assert model.tree_.n_node_samples[leaves].min() >= 25
    assert model.get_depth() <= 7
    theirs = sk_tree.DecisionTreeRegressor(min_samples_leaf=25, max_depth=7,
                                           random_state=0).fit(X_train, y_train)
    assert model.get_n_leaves() == theirs.get_n_leaves()


def test_max_features_draws_features_per_split():
    X, y = load_breast_cancer(return_X_y=True)
    trees = [DecisionTreeClassifier(max_features="sqrt", random_state=s).fit(X, y)
             for s in range(4)]
    assert trees[0].max_features_ == 5
    roots = {t.tree_.feature[0] for t in trees}
    assert len(roots) > 1  # different seeds, different candidate features at the root
    used = np.unique(trees[0].tree_.feature[trees[0].tree_.left >= 0])
    assert used.size > 5  # per split, not per tree: the tree uses more than 5 features
    again = DecisionTreeClassifier(max_features="sqrt", random_state=0).fit(X, y)
    np.testing.assert_array_equal(again.tree_.threshold, trees[0].tree_.threshold)
    assert all(t.score(X, y) == 1.0 for t in trees)


# --- 3. the mathematics ------------------------------------------------------------------------


def test_gini_and_entropy_values():
    assert gini([5, 0]) == 0.0
    assert gini([1, 1]) == pytest.approx(0.5)
    assert gini([1, 1, 1, 1]) == pytest.approx(0.75)
    assert gini([3, 1]) == pytest.approx(1 - 0.75**2 - 0.25**2)
    assert entropy([7, 0, 0]) == 0.0
    assert entropy([2, 2]) == pytest.approx(1.0)
    assert entropy([1, 1, 1, 1]) == pytest.approx(2.0)
    assert entropy([3, 1]) == pytest.approx(-(0.75 * np.log2(0.75) + 0.25 * np.log2(0.25)))
    # vectorised over nodes, and scale-free (counts or proportions)
    np.testing.assert_allclose(gini([[1, 3], [0.25, 0.75], [2, 2]]), [0.375, 0.375, 0.5])


def test_squared_error_is_weighted_variance():
    y = np.array([1.0, 2.0, 4.0, 7.0])
    assert squared_error(y) == pytest.approx(np.var(y))
    w = np.array([1, 2, 1, 3])
    assert squared_error(y, w) == pytest.approx(squared_error(np.repeat(y, w)))


def _brute_force_best_split(X, y, impurity):
    """Try every threshold of every feature with a Python loop: the definition of CART."""
    best = (np.inf, None, None)
    counts = lambda labels: np.bincount(labels, minlength=y.max() + 1)  # noqa: E731
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        for t in (values[:-1] + values[1:]) / 2:
            left = X[:, j] <= t
            child = (left.sum() * impurity(counts(y[left]))
                     + (~left).sum() * impurity(counts(y[~left])))
            if child < best[0] - 1e-12:
                best = (child, j, t)
    return best


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_root_split_is_the_brute_force_best(criterion):
    rng = np.random.default_rng(3)
    X = rng.integers(0, 12, size=(80, 4)).astype(float)  # many ties on purpose
    y = (X[:, 1] + rng.normal(0, 3, 80) > 6).astype(int) + (X[:, 2] > 9)
    impurity = gini if criterion == "gini" else entropy
    child, j, t = _brute_force_best_split(X, y, impurity)
    tree = DecisionTreeClassifier(criterion=criterion, max_depth=1).fit(X, y).tree_
    assert (tree.feature[0], tree.threshold[0]) == (j, t)
    W = tree.n_node_samples
    assert W[1] * tree.impurity[1] + W[2] * tree.impurity[2] == pytest.approx(child)


def test_regression_root_split_is_the_brute_force_best():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 3))
    y = np.sin(2 * X[:, 0]) + 0.1 * rng.normal(size=60)
    best = (np.inf, None)
    for j in range(3):
        for t in X[:, j]:
            left = X[:, j] <= t
            if 0 < left.sum() < 60:
                sse = ((y[left] - y[left].mean()) ** 2).sum() + (
                    (y[~left] - y[~left].mean()) ** 2).sum()
                best = min(best, (sse, j))
    tree = DecisionTreeRegressor(max_depth=1).fit(X, y).tree_
    assert tree.feature[0] == best[1]
    n = tree.n_node_samples
    assert n[1] * tree.impurity[1] + n[2] * tree.impurity[2] == pytest.approx(best[0])


def test_thresholds_sit_halfway_and_ties_are_never_split():
    X = np.array([[0.0], [0.0], [1.0], [1.0], [3.0]])
    y = np.array([0, 1, 0, 1, 1])
    tree = DecisionTreeClassifier().fit(X, y).tree_
    assert set(tree.threshold[tree.left >= 0]) <= {0.5, 2.0}
    constant = DecisionTreeClassifier().fit(np.ones((6, 2)), [0, 1, 0, 1, 0, 1])
    assert constant.get_n_leaves() == 1  # nothing to split on
    np.testing.assert_allclose(constant.predict_proba([[1.0, 1.0]]), [[0.5, 0.5]])


def test_feature_importances_are_normalised_impurity_decrease():
    X, y = load_iris(return_X_y=True)
    model = DecisionTreeClassifier(max_depth=2).fit(X, y)
    t = model.tree_
    inner = np.flatnonzero(t.left >= 0)
    decrease = np.zeros(4)
    for i in inner:
        decrease[t.feature[i]] += _gain(t, i, t.left, t.right)
    np.testing.assert_allclose(model.feature_importances_, decrease / decrease.sum())
    assert model.feature_importances_.sum() == pytest.approx(1.0)


def test_partition_keeps_each_feature_sorted_inside_children():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(50, 3))
    idx = presort(X)
    # two nodes: samples 0..24 and 25..49 in the order of each feature
    node = (np.arange(50) >= 25).astype(int)
    idx = np.stack([row[np.argsort(node[row], kind="stable")] for row in idx])
    starts, sizes = np.array([0, 25]), np.array([25, 25])
    goes_right = X[:, 0] > 0
    child = 2 * node + goes_right
    child[(node == 1) & goes_right] = -1  # pretend child 3 is a leaf: its samples leave
    count = np.bincount(child[child >= 0], minlength=4)
    new_start = np.array([0, count[0], count[0] + count[1], -1])
    new = _partition(idx, child, starts, sizes, new_start)
    assert new.shape == (3, count[:3].sum())
    for j in range(3):
        for c in range(3):
            part = new[j, new_start[c]:new_start[c] + count[c]]
            assert set(part) == set(np.flatnonzero(child == c))
            assert np.all(np.diff(X[part, j]) >= 0)


def test_chunked_split_search_grows_the_same_tree(monkeypatch):
    # features are scored a chunk at a time; ties must not depend on the chunk size
    rng = np.random.default_rng(6)
    X = np.round(rng.normal(size=(600, 9)), 1)  # rounded: many tied candidate splits
    y = (X[:, 0] + X[:, 3] + rng.normal(0, 0.5, 600) > 0).astype(int)
    trees = []
    for cells in (64, 2048, 1 << 22):
        monkeypatch.setattr(grow_module, "CHUNK_ELEMENTS", cells)
        trees.append(DecisionTreeClassifier().fit(X, y).tree_)
    for tree in trees[1:]:
        np.testing.assert_array_equal(tree.feature, trees[0].feature)
        np.testing.assert_array_equal(tree.threshold, trees[0].threshold)


def test_apply_and_flat_arrays_agree_with_a_manual_walk():
    X, y = load_wine(return_X_y=True)
    model = DecisionTreeClassifier(max_depth=4).fit(X, y)
    t = model.tree_
    leaves = model.apply(X)
    for x, leaf in zip(X[:20], leaves[:20], strict=True):
        node = 0
        while t.left[node] != -1:
            node = t.left[node] if x[t.feature[node]] <= t.threshold[node] else t.right[node]
        assert node == leaf
    assert np.all(t.left[leaves] == -1)
    assert model.get_n_leaves() == np.unique(t.left, return_counts=True)[1][0]
    np.testing.assert_array_equal(t.depth[t.left[t.left >= 0]], t.depth[t.left >= 0] + 1)


def test_export_text_shows_the_splits():
    X, y = load_iris(return_X_y=True)
    names = ["sepal length", "sepal width", "petal length", "petal width"]
    text = export_text(DecisionTreeClassifier(max_depth=2).fit(X, y), feature_names=names)
    lines = text.splitlines()
    assert lines[0] == "|--- petal length <= 2.45"
    assert "|   |--- class: 0  (samples: 50)" in lines
    assert len(lines) == 2 * 2 + 3  # two splits (a "<=" and a ">" line each), three leaves
    regressor = DecisionTreeRegressor(max_depth=1).fit(X[:, :2], X[:, 2])
    assert "value:" in export_text(regressor)


# --- 3b. the readable recursive CART grows the same trees as the fast one -----------------


def _assert_same_tree(node, tree, t=0):
    """Walk the readable tree (nested nodes) and the fast one (flat arrays) together.

    The structure, features and thresholds must be identical, bit for bit; values and
    impurities are sums taken in another order, so they agree to rounding.
    """
    assert node.n_samples == tree.n_node_samples[t], t
    np.testing.assert_allclose(node.value, tree.value[t], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(node.impurity, tree.impurity[t], rtol=1e-9, atol=1e-12)
    if node.feature is None:
        assert tree.left[t] == -1, f"node {t}: a leaf in the readable tree, split in the fast one"
        return 1
    assert tree.left[t] != -1, f"node {t}: split in the readable tree, a leaf in the fast one"
    assert (node.feature, node.threshold) == (tree.feature[t], tree.threshold[t]), (
        f"node {t}: readable x[{node.feature}] <= {node.threshold}, "
        f"fast x[{tree.feature[t]}] <= {tree.threshold[t]}")
    return 1 + _assert_same_tree(node.left, tree, tree.left[t]) + _assert_same_tree(
        node.right, tree, tree.right[t])


def _ties_and_duplicates():
    """Few distinct values, duplicated rows, a copied column and symmetric classes: ties."""
    rng = np.random.default_rng(8)
    X = rng.integers(0, 4, size=(300, 5)).astype(float)
    X[:, 3] = X[:, 0]  # an identical column: every split of x[0] ties with one of x[3]
    X[:, 4] = 2.0 * X[:, 1]  # the same order as x[1], other thresholds
    X[150:] = X[:150]  # duplicated rows, here with other labels
    y = (X[:, 0] + X[:, 1] + rng.integers(0, 3, 300)) % 3
    return X, y.astype(int)


def _readable_datasets():
    iris, wine = load_iris(return_X_y=True), load_wine(return_X_y=True)
    cancer, diabetes = load_breast_cancer(return_X_y=True), load_diabetes(return_X_y=True)
    ties_X, ties_y = _ties_and_duplicates()
    rng = np.random.default_rng(9)
    return {
        "iris": (*iris, "gini"), "wine": (*wine, "entropy"),
        "breast_cancer": (*cancer, "gini"), "breast_cancer_entropy": (*cancer, "entropy"),
        "ties": (ties_X, ties_y, "gini"), "ties_entropy": (ties_X, ties_y, "entropy"),
        "diabetes": (*diabetes, "squared_error"),
        # integer targets on the tied features: exact sums, many equal splits
        "ties_regression": (ties_X, (ties_X[:, 0] * 3 + rng.integers(0, 5, 300)),
                            "squared_error"),
        # petal width in millimetres: whole numbers (see the test after this one for cm)
        "iris_petal_width": (iris[0][:, :3], np.round(iris[0][:, 3] * 10), "squared_error"),
    }


READABLE = _readable_datasets()
SETTINGS = [
    dict(),
    dict(max_depth=3),
    dict(min_samples_leaf=5),
    dict(min_samples_split=20, max_depth=6),
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: ",".join(map(str, s.items())))
@pytest.mark.parametrize("name", sorted(READABLE))
def test_readable_cart_grows_the_same_tree_as_the_fast_one(name, settings):
    X, y, criterion = READABLE[name]
    if criterion == "squared_error":
        fast = DecisionTreeRegressor(**settings).fit(X, y)
        codes = y
    else:
        fast = DecisionTreeClassifier(criterion=criterion, **settings).fit(X, y)
        codes = np.unique(y, return_inverse=True)[1]
    root = build_tree(X, codes, criterion, **settings)
    n_nodes = _assert_same_tree(root, fast.tree_)
    assert n_nodes == fast.tree_.node_count > 1
    expected = fast.predict_proba(X) if criterion != "squared_error" else fast.predict(X)
    np.testing.assert_allclose(readable_predict(root, X), expected, rtol=1e-12, atol=1e-12)


def test_readable_cart_on_real_valued_targets_differs_only_at_exact_ties():
    # With targets that are not whole numbers the fast grower's sums run over a whole level
    # and round differently from one node's sums, so two splits of exactly equal quality
    # may be told apart by rounding, differently in each grower. Everywhere else the two
    # trees must be the same; where they differ, the two splits must be equally good.
    X, y = load_iris(return_X_y=True)
    X, y = X[:, :3], X[:, 3]  # petal width in centimetres: 0.1, 0.2, ...
    fast = DecisionTreeRegressor().fit(X, y).tree_
    same, ties = 0, 0
    stack = [(build_tree(X, y, "squared_error"), 0)]
    while stack:
        node, t = stack.pop()
        assert (node.feature is None) == (fast.left[t] == -1)
        if node.feature is None:
            continue
        if (node.feature, node.threshold) != (fast.feature[t], fast.threshold[t]):
            ours = node.left.n_samples * node.left.impurity + (
                node.right.n_samples * node.right.impurity)
            theirs = fast.weighted_n_node_samples[fast.left[t]] * fast.impurity[fast.left[t]] \
                + fast.weighted_n_node_samples[fast.right[t]] * fast.impurity[fast.right[t]]
            assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12)
            ties += 1
            continue
        same += 1
        stack += [(node.left, fast.left[t]), (node.right, fast.right[t])]
    assert same >= 10


def test_readable_cart_with_bootstrap_weights_grows_the_fast_tree():
    # a forest passes bootstrap counts as weights; rows of weight 0 are left out
    X, y = load_wine(return_X_y=True)
    counts = np.bincount(np.random.default_rng(3).integers(0, len(y), len(y)), minlength=len(y))
    fast = DecisionTreeClassifier().fit(X, y, sample_weight=counts)
    root = build_tree(X, y, "gini", sample_weight=counts)
    assert _assert_same_tree(root, fast.tree_) == fast.tree_.node_count


def test_the_tree_comparison_can_fail():
    # the same data, another setting: the walk must notice the difference
    X, y, _ = READABLE["iris"]
    fast = DecisionTreeClassifier(max_depth=2).fit(X, y)
    with pytest.raises(AssertionError):
        _assert_same_tree(build_tree(X, y, "gini", max_depth=3), fast.tree_)
    with pytest.raises(AssertionError):
        _assert_same_tree(build_tree(X, y, "entropy"), DecisionTreeClassifier().fit(X, y).tree_)


# --- 4. bad input ------------------------------------------------------------------------------


def test_clear_errors():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(NotFittedError):
        DecisionTreeClassifier().predict(X)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        DecisionTreeClassifier().fit(X_nan, y)
    with pytest.raises(ValueError, match="0 sample"):
        DecisionTreeRegressor().fit(np.empty((0, 3)), [])
    with pytest.raises(ValueError, match="4 features"):
        DecisionTreeClassifier().fit(X, y).predict(X[:, :3])
    with pytest.raises(ValueError, match="Unknown label type"):
        DecisionTreeClassifier().fit(X, X[:, 0])
    with pytest.raises(ValueError, match="criterion"):
        DecisionTreeClassifier(criterion="squared_error").fit(X, y)
    with pytest.raises(ValueError, match="max_depth"):
        DecisionTreeClassifier(max_depth=0).fit(X, y)
    with pytest.raises(ValueError, match="min_samples_split"):
        DecisionTreeClassifier(min_samples_split=1).fit(X, y)
    with pytest.raises(ValueError, match="max_features"):
        DecisionTreeClassifier(max_features=9).fit(X, y)
    with pytest.raises(ValueError, match="non-zero"):
        DecisionTreeClassifier().fit(X, y, sample_weight=np.zeros(y.size))
    with pytest.raises(ValueError, match="Negative values"):
        DecisionTreeClassifier().fit(X, y, sample_weight=-np.ones(y.size))

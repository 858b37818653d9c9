"""Tests of mlcourse.ensemble: scikit-learn's checks, agreement with its ensembles, the maths."""

import numpy as np
import pytest
from sklearn import ensemble as sk
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

from mlcourse.datasets import load_california_housing
from mlcourse.ensemble import (
    AdaBoostClassifier,
    BaggingClassifier,
    BaggingRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
    StackingClassifier,
    StackingRegressor,
    VotingClassifier,
    VotingRegressor,
)
from mlcourse.ensemble._hist import best_split, bin_features, find_bin_thresholds, histograms
from mlcourse.linear_model import LinearRegression
from mlcourse.naive_bayes import GaussianNB
from mlcourse.tree import DecisionTreeClassifier, DecisionTreeRegressor

HOUSING_FEATURES = [
    "longitude", "latitude", "housing_median_age", "total_rooms",
    "population", "households", "median_income",
]

# --- 1. scikit-learn's estimator checks --------------------------------------------------------

WEIGHT_EQUIVALENCE = {
    "check_sample_weight_equivalence_on_dense_data": (
        "a bootstrap draw (or subsample) picks rows by index: a row of weight 2 is one row "
        "to draw, its two copies are two, so the members see different samples"
    ),
}

GB_WEIGHTS = {
    "check_sample_weight_equivalence_on_dense_data": (
        "min_samples_split and min_samples_leaf count rows, not weight, and equal-gain "
        "splits on the residuals may be resolved differently (scikit-learn marks its own "
        "GradientBoosting the same way)"
    ),
}

ESTIMATORS = [
    RandomForestClassifier(n_estimators=5, random_state=0),
    RandomForestRegressor(n_estimators=5, random_state=0),
    BaggingClassifier(n_estimators=5, random_state=0),
    BaggingRegressor(n_estimators=5, max_features=0.5, random_state=0),
    GradientBoostingClassifier(n_estimators=10, random_state=0),
    GradientBoostingRegressor(n_estimators=10, random_state=0),
    HistGradientBoostingClassifier(max_iter=10),
    HistGradientBoostingRegressor(max_iter=10),
    AdaBoostClassifier(n_estimators=10, random_state=0),
    VotingClassifier([("tree", DecisionTreeClassifier(max_depth=3)),
                      ("nb", GaussianNB())], voting="soft"),
    VotingClassifier([("tree", DecisionTreeClassifier(max_depth=3)), ("nb", GaussianNB()),
                      ("stump", DecisionTreeClassifier(max_depth=1))]),
    VotingRegressor([("deep", DecisionTreeRegressor(max_depth=5)),
                     ("tree", DecisionTreeRegressor(max_depth=3))]),
    StackingClassifier([("tree", DecisionTreeClassifier(max_depth=3)),
                        ("nb", GaussianNB())], cv=3),
    StackingRegressor([("deep", DecisionTreeRegressor(max_depth=5)),
                       ("tree", DecisionTreeRegressor(max_depth=3))], cv=3),
]


def _expected_failures(est):
    name = type(est).__name__
    if name.startswith(("RandomForest", "Bagging")):
        return WEIGHT_EQUIVALENCE
    if name.startswith("GradientBoosting"):
        return GB_WEIGHTS
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failures)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --- 2. compared with scikit-learn's twins -------------------------------------------------------


def _split(load, stratify=True):
    X, y = load(return_X_y=True)
    return train_test_split(X, y, random_state=0, stratify=y if stratify else None)


@pytest.fixture(scope="module")
def housing():
    df = load_california_housing().sample(6000, random_state=0)
    X = df[HOUSING_FEATURES].to_numpy(float)
    y = df["median_house_value"].to_numpy() / 1e5
    return train_test_split(X, y, test_size=2000, random_state=0)


@pytest.mark.parametrize("load", [load_breast_cancer, load_wine])
def test_random_forest_classifier_is_statistically_equivalent(load):
    """Different random draws, same method: over five seeds, the mean test accuracy and
    OOB accuracy agree with scikit-learn's to within 0.02 (a few test rows)."""
    X_tr, X_te, y_tr, y_te = _split(load)
    ours, theirs = [], []
    for seed in range(5):
        a = RandomForestClassifier(50, oob_score=True, random_state=seed).fit(X_tr, y_tr)
        b = sk.RandomForestClassifier(50, oob_score=True, random_state=seed).fit(X_tr, y_tr)
        ours.append((a.score(X_te, y_te), a.oob_score_))
        theirs.append((b.score(X_te, y_te), b.oob_score_))
    np.testing.assert_allclose(np.mean(ours, axis=0), np.mean(theirs, axis=0), atol=0.02)


def test_random_forest_regressor_is_statistically_equivalent(housing):
    X_tr, X_te, y_tr, y_te = housing
    ours, theirs = [], []
    for seed in range(2):
        a = RandomForestRegressor(20, oob_score=True, random_state=seed).fit(X_tr, y_tr)
        b = sk.RandomForestRegressor(20, oob_score=True, random_state=seed).fit(X_tr, y_tr)
        ours.append((a.score(X_te, y_te), a.oob_score_))
        theirs.append((b.score(X_te, y_te), b.oob_score_))
    np.testing.assert_allclose(np.mean(ours, axis=0), np.mean(theirs, axis=0), atol=0.02)
    # the out-of-bag R² estimates the test R² without a test set
    assert abs(np.mean(ours, axis=0)[1] - np.mean(ours, axis=0)[0]) < 0.05


def test_forest_draws_features_per_split_not_per_tree():
    """With max_features=1 a split's feature is random: one tree uses many features."""
    X, y = load_breast_cancer(return_X_y=True)
    forest = RandomForestClassifier(3, max_features=1, random_state=0).fit(X, y)
    for tree in forest.estimators_:
        used = np.unique(tree.tree_.feature[tree.tree_.left >= 0])
        assert used.size > 5


def test_forest_oob_rows_are_the_ones_not_drawn():
    X, y = load_diabetes(return_X_y=True)
    forest = RandomForestRegressor(30, oob_score=True, random_state=0).fit(X, y)
    # recompute the OOB prediction of row 0 by hand from the trees that did not see it
    preds = [tree.predict(X[:1])[0] for counts, tree in forest._member_counts(X.shape[0])
             if counts[0] == 0]
    assert len(preds) > 0
    assert forest.oob_prediction_[0] == pytest.approx(np.mean(preds))
    # about e^-1 of the rows are out of bag for each tree
    share = np.mean([np.mean(c == 0) for c, _ in forest._member_counts(X.shape[0])])
    assert share == pytest.approx(np.exp(-1), abs=0.03)


def test_forest_importances_find_the_informative_features():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 6))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    imp = RandomForestClassifier(30, random_state=0).fit(X, y).feature_importances_
    assert imp.sum() == pytest.approx(1.0)
    assert set(np.argsort(imp)[-2:]) == {0, 1}


def test_forest_rejects_oob_without_bootstrap():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="bootstrap"):
        RandomForestClassifier(5, bootstrap=False, oob_score=True).fit(X, y)


@pytest.mark.parametrize("Ours,Theirs,load", [
    (BaggingClassifier, sk.BaggingClassifier, load_breast_cancer),
    (BaggingRegressor, sk.BaggingRegressor, load_diabetes),
])
def test_bagging_scores_like_scikit_learn(Ours, Theirs, load):
    X_tr, X_te, y_tr, y_te = _split(load, stratify=Ours is BaggingClassifier)
    ours = [Ours(n_estimators=20, oob_score=True, random_state=s).fit(X_tr, y_tr)
            for s in range(3)]
    theirs = [Theirs(n_estimators=20, oob_score=True, random_state=s).fit(X_tr, y_tr)
              for s in range(3)]
    tol = 0.03 if Ours is BaggingClassifier else 0.05  # diabetes R² varies more
    assert np.mean([m.score(X_te, y_te) for m in ours]) == pytest.approx(
        np.mean([m.score(X_te, y_te) for m in theirs]), abs=tol)
    assert np.mean([m.oob_score_ for m in ours]) == pytest.approx(
        np.mean([m.oob_score_ for m in theirs]), abs=tol)


def test_bagging_any_estimator_and_feature_subsets():
    X_tr, X_te, y_tr, y_te = _split(load_breast_cancer)
    model = BaggingClassifier(GaussianNB(), n_estimators=10, max_features=0.5,
                              random_state=0).fit(X_tr, y_tr)
    assert all(f.size == 15 for f in model.estimators_features_)
    assert model.score(X_te, y_te) > 0.9


def test_gradient_boosting_regressor_matches_scikit_learn(housing):
    """Same algorithm, same trees up to ties and scikit-learn's float32 thresholds."""
    X_tr, X_te, y_tr, y_te = housing
    ours = GradientBoostingRegressor(n_estimators=60, random_state=0).fit(X_tr, y_tr)
    theirs = sk.GradientBoostingRegressor(n_estimators=60, random_state=0).fit(X_tr, y_tr)
    assert ours.score(X_te, y_te) == pytest.approx(theirs.score(X_te, y_te), abs=0.01)
    np.testing.assert_allclose(ours.train_score_[-1] * 2, theirs.train_score_[-1], rtol=0.02)
    # the first tree is the same tree: its predictions agree on almost all rows
    first_ours = ours.estimators_[0, 0].predict(X_te)
    first_theirs = theirs.estimators_[0, 0].predict(X_te.astype(np.float32))
    assert np.mean(np.isclose(first_ours, first_theirs)) > 0.98


@pytest.mark.parametrize("load", [load_breast_cancer, load_wine])
def test_gradient_boosting_classifier_matches_scikit_learn(load):
    X_tr, X_te, y_tr, y_te = _split(load)
    ours = GradientBoostingClassifier(n_estimators=30, random_state=0).fit(X_tr, y_tr)
    theirs = sk.GradientBoostingClassifier(n_estimators=30, random_state=0).fit(X_tr, y_tr)
    assert ours.score(X_te, y_te) == pytest.approx(theirs.score(X_te, y_te), abs=0.03)
    # the constant start and the first stage's Newton leaves are scikit-learn's
    raw0 = theirs._raw_predict_init(X_te[:1])[0]
    np.testing.assert_allclose(ours._init_raw, raw0, rtol=1e-10)
    first = ours.estimators_[0, 0].tree_
    first_sk = theirs.estimators_[0, 0].tree_
    leaves = first.left == -1
    # (scikit-learn may split a node further where the residuals are constant up to
    # rounding, which adds a leaf of the same value)
    theirs_leaves = first_sk.value[first_sk.children_left == -1].ravel()
    assert np.isclose(first.value[leaves][:, None], theirs_leaves[None], rtol=1e-6).any(
        axis=1).all()


def test_gradient_boosting_subsample_and_staged_predict(housing):
    X_tr, X_te, y_tr, y_te = housing
    model = GradientBoostingRegressor(n_estimators=40, subsample=0.5, random_state=0)
    model.fit(X_tr, y_tr)
    staged = list(model.staged_predict(X_te))
    assert len(staged) == 40
    np.testing.assert_allclose(staged[-1], model.predict(X_te))
    errors = [np.mean((y_te - p) ** 2) for p in staged]
    assert errors[-1] < 0.6 * errors[0]


@pytest.mark.parametrize("load", [load_breast_cancer, load_wine])
def test_adaboost_is_scikit_learns_samme(load):
    """Same stumps (no ties on these data), same weights, same decision function."""
    X_tr, X_te, y_tr, y_te = _split(load)
    ours = AdaBoostClassifier(n_estimators=30).fit(X_tr, y_tr)
    theirs = sk.AdaBoostClassifier(n_estimators=30, random_state=0).fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.estimator_weights_, theirs.estimator_weights_, rtol=1e-8)
    np.testing.assert_allclose(ours.decision_function(X_te), theirs.decision_function(X_te),
                               rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.predict_proba(X_te), theirs.predict_proba(X_te),
                               rtol=1e-8, atol=1e-10)


def test_hist_gradient_boosting_regressor_scores_like_scikit_learn(housing):
    X_tr, X_te, y_tr, y_te = housing
    ours = HistGradientBoostingRegressor(early_stopping=False).fit(X_tr, y_tr)
    with threadpool_limits(1):  # OpenMP threads crawl on a busy machine
        theirs = sk.HistGradientBoostingRegressor(early_stopping=False).fit(X_tr, y_tr)
    assert ours.score(X_te, y_te) == pytest.approx(theirs.score(X_te, y_te), abs=0.02)
    assert ours.n_iter_ == 100
    assert all(t.n_leaves <= 31 for (t,) in ours._predictors)


@pytest.mark.parametrize("load", [load_breast_cancer, load_wine])
def test_hist_gradient_boosting_classifier_scores_like_scikit_learn(load):
    X_tr, X_te, y_tr, y_te = _split(load)
    ours = HistGradientBoostingClassifier(max_iter=50).fit(X_tr, y_tr)
    with threadpool_limits(1):
        theirs = sk.HistGradientBoostingClassifier(max_iter=50).fit(X_tr, y_tr)
    assert ours.score(X_te, y_te) == pytest.approx(theirs.score(X_te, y_te), abs=0.03)


def test_hist_gradient_boosting_early_stopping():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12_000, 3))
    y = X[:, 0] + rng.normal(scale=1.0, size=12_000)  # mostly noise: stops early
    model = HistGradientBoostingRegressor(max_iter=200, random_state=0).fit(X, y)
    assert model.do_early_stopping_
    assert model.n_iter_ < 200
    assert model.validation_score_.size == model.n_iter_ + 1


# --- 3. the histogram machinery ----------------------------------------------------------------


def test_bins_are_quantiles_or_distinct_values():
    rng = np.random.default_rng(0)
    few = rng.integers(0, 10, size=500).astype(float)
    thr = find_bin_thresholds(few, 255)
    codes = bin_features(few[:, None], [thr])[:, 0]
    np.testing.assert_array_equal(codes, few.astype(int))  # one bin per distinct value
    many = rng.normal(size=5000)
    thr = find_bin_thresholds(many, 16)
    counts = np.bincount(bin_features(many[:, None], [thr])[:, 0])
    assert counts.size == 16 and counts.min() > 0.8 * 5000 / 16  # equal-count bins


def test_histograms_match_a_loop_and_subtraction_holds():
    rng = np.random.default_rng(0)
    n, d, B = 300, 4, 8
    Xb = rng.integers(0, B, size=(n, d))
    codes = Xb + np.arange(d) * B
    g, h = rng.normal(size=n), rng.uniform(0.1, 1, size=n)
    rows = np.arange(n)
    G, H, C = histograms(codes, rows, g, h, B)
    G_loop = np.zeros((d, B))
    for i in rows:
        for j in range(d):
            G_loop[j, Xb[i, j]] += g[i]
    np.testing.assert_allclose(G, G_loop)
    left = rows[Xb[:, 0] <= 3]
    right = rows[Xb[:, 0] > 3]
    GL, HL, CL = histograms(codes, left, g, h, B)
    GR, HR, CR = histograms(codes, right, g, h, B)
    np.testing.assert_allclose(G - GL, GR, atol=1e-12)
    np.testing.assert_allclose(H - HL, HR, atol=1e-12)
    np.testing.assert_array_equal(C - CL, CR)


def test_best_split_is_the_brute_force_best():
    rng = np.random.default_rng(1)
    n, d, B, l2 = 400, 3, 10, 1.0
    Xb = rng.integers(0, B, size=(n, d))
    g = rng.normal(size=n) + (Xb[:, 2] > 6)
    h = np.ones(n)
    G, H, C = histograms(Xb + np.arange(d) * B, np.arange(n), g, h, B)
    gain, f, b = best_split(G, H, C, min_samples_leaf=5, l2=l2)

    def score(mask):
        return g[mask].sum() ** 2 / (mask.sum() + l2)

    brute = max((score(Xb[:, j] <= t) + score(Xb[:, j] > t) - score(np.ones(n, bool)), j, t)
                for j in range(d) for t in range(B - 1)
                if min((Xb[:, j] <= t).sum(), (Xb[:, j] > t).sum()) >= 5)
    assert (f, b) == brute[1:]
    assert gain == pytest.approx(brute[0])


# --- 4. voting and stacking -------------------------------------------------------------------


def test_voting_is_the_weighted_average_and_majority():
    X_tr, X_te, y_tr, y_te = _split(load_wine)
    members = [("tree", DecisionTreeClassifier(max_depth=2)), ("nb", GaussianNB()),
               ("forest", RandomForestClassifier(10, random_state=0))]
    soft = VotingClassifier(members, voting="soft", weights=[1, 2, 1]).fit(X_tr, y_tr)
    probas = [m.predict_proba(X_te) for m in soft.estimators_]
    np.testing.assert_allclose(soft.predict_proba(X_te),
                               (probas[0] + 2 * probas[1] + probas[2]) / 4)
    hard = VotingClassifier(members).fit(X_tr, y_tr)
    theirs = sk.VotingClassifier(members).fit(X_tr, y_tr)
    np.testing.assert_array_equal(hard.predict(X_te), theirs.predict(X_te))
    reg = VotingRegressor([("a", DecisionTreeRegressor(max_depth=2)),
                           ("b", LinearRegression())]).fit(X_tr, y_tr.astype(float))
    np.testing.assert_allclose(reg.predict(X_te), reg.transform(X_te).mean(axis=1))


def test_stacking_matches_scikit_learn():
    X_tr, X_te, y_tr, y_te = _split(load_breast_cancer)
    members = [("tree", DecisionTreeClassifier(max_depth=3)), ("nb", GaussianNB())]
    ours = StackingClassifier(members).fit(X_tr, y_tr)
    theirs = sk.StackingClassifier(members).fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.transform(X_te), theirs.transform(X_te))
    np.testing.assert_allclose(ours.predict_proba(X_te), theirs.predict_proba(X_te), rtol=1e-6)
    X_tr, X_te, y_tr, y_te = _split(load_diabetes, stratify=False)
    members = [("tree", DecisionTreeRegressor(max_depth=3)), ("lin", LinearRegression())]
    ours = StackingRegressor(members).fit(X_tr, y_tr)
    theirs = sk.StackingRegressor(members).fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.predict(X_te), theirs.predict(X_te), rtol=1e-6)


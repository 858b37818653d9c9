"""Tests of mlcourse.metrics: equal to sklearn.metrics on random data and on the edge cases
that trip people up (tied scores, a class never predicted, a single class, constant targets,
string labels, sample weights), with the same warnings and clear errors."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as sk
from sklearn.exceptions import UndefinedMetricWarning

import mlcourse.metrics as ml


def _same(a, b):
    """Equal values (to round-off), same kind of result (float, array, tuple of arrays)."""
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
        return
    if a is None:
        assert b is None
        return
    if np.ndim(a) == 0:
        assert np.ndim(b) == 0, f"expected a number, got {b!r}"
        assert np.isclose(a, b, rtol=1e-12, atol=1e-14, equal_nan=True), (a, b)
        return
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-14, equal_nan=True)


def _both(name, *args, **kwargs):
    """Call sklearn's and ours; compare results and the warning categories raised."""
    caught = []
    for module in (sk, ml):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            result = getattr(module, name)(*args, **kwargs)
        # numpy's own RuntimeWarning on 0/0 is an accident of the implementation, not a result
        caught.append((result, sorted({w.category.__name__ for w in record
                                       if w.category is not RuntimeWarning})))
    (expected, sk_warn), (got, ml_warn) = caught
    _same(expected, got)
    assert ml_warn == sk_warn, f"{name}: sklearn warned {sk_warn}, ours {ml_warn}"
    return got


# --- random data -----------------------------------------------------------------------------

@pytest.fixture(params=[0, 1, 2])
def rng(request):
    return np.random.default_rng(request.param)


def _binary(rng, n=300):
    y = rng.integers(0, 2, n)
    score = np.round(y * 0.4 + rng.random(n), 2)  # rounding makes many tied scores
    return y, score, (score > 0.7).astype(int)


@pytest.mark.parametrize("name", ["accuracy_score", "precision_score", "recall_score",
                                  "f1_score", "confusion_matrix"])
def test_binary_labels_match_sklearn(rng, name):
    y, _, pred = _binary(rng)
    _both(name, y, pred)
    w = rng.random(len(y))
    _both(name, y, pred, sample_weight=w)
    _both(name, y, pred, sample_weight=rng.integers(0, 4, len(y)))


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("zero_division", ["warn", 0.0, 1.0, np.nan])
@pytest.mark.parametrize("name", ["precision_score", "recall_score", "f1_score"])
def test_multiclass_averages_match_sklearn(rng, name, average, zero_division):
    y = rng.integers(0, 5, 200)
    pred = rng.integers(0, 4, 200)  # class 4 is never predicted
    pred[:3] = 5  # and class 5 never occurs in y
    _both(name, y, pred, average=average, zero_division=zero_division)
    _both(name, y, pred, average=average, zero_division=zero_division,
          sample_weight=rng.random(200))
    _both(name, y, pred, average=average, zero_division=zero_division, labels=[4, 0, 2, 7])


def test_fbeta_and_support_match_sklearn(rng):
    y, pred = rng.integers(0, 3, 100), rng.integers(0, 3, 100)
    for beta in (0.0, 0.5, 2.0, np.inf):
        _both("fbeta_score", y, pred, beta=beta, average="macro")
    _both("precision_recall_fscore_support", y, pred)
    _both("precision_recall_fscore_support", y, pred, average="weighted", beta=3)


@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
def test_confusion_matrix_labels_and_normalize(rng, normalize):
    y, pred = rng.integers(0, 4, 150), rng.integers(1, 5, 150)
    _both("confusion_matrix", y, pred, normalize=normalize)
    _both("confusion_matrix", y, pred, labels=[3, 0, 9, 1], normalize=normalize)
    _both("confusion_matrix", y, pred, normalize=normalize, sample_weight=rng.random(150))
    assert ml.confusion_matrix(y, pred).dtype == np.int64
    assert ml.confusion_matrix(y, pred, sample_weight=np.ones(150)).dtype == np.float64


def test_curves_match_sklearn_with_ties(rng):
    y, score, _ = _binary(rng, 500)
    assert len(np.unique(score)) < 200  # many ties
    for drop in (True, False):
        _both("roc_curve", y, score, drop_intermediate=drop)
        _both("precision_recall_curve", y, score, drop_intermediate=drop)
        _both("roc_curve", y, score, drop_intermediate=drop, sample_weight=rng.random(500))
        _both("precision_recall_curve", y, score, drop_intermediate=drop,
              sample_weight=rng.random(500))
    _both("roc_curve", y, score.astype(np.float32))
    _both("roc_curve", y, (score * 100).astype(int))  # integer scores
    for name in ("roc_auc_score", "average_precision_score"):
        _both(name, y, score)
        _both(name, y, score, sample_weight=rng.random(500))
        _both(name, y, -score)


def test_zero_weights_are_dropped_from_curves(rng):
    y, score, _ = _binary(rng, 200)
    w = rng.integers(0, 3, 200).astype(float)
    _both("roc_curve", y, score, sample_weight=w)
    _both("precision_recall_curve", y, score, sample_weight=w)


def test_all_tied_scores_give_chance_auc():
    y = np.array([0, 1, 0, 1, 1])
    _both("roc_curve", y, np.full(5, 0.3))
    assert _both("roc_auc_score", y, np.full(5, 0.3)) == 0.5
    _both("average_precision_score", y, np.full(5, 0.3))


def test_multiclass_ranking_ovr(rng):
    y = rng.integers(0, 4, 300)
    proba = rng.dirichlet(np.ones(4), 300)
    proba[np.arange(300), y] += 0.3
    proba /= proba.sum(axis=1, keepdims=True)
    for average in ("macro", "weighted", "micro", None):
        _both("roc_auc_score", y, proba, multi_class="ovr", average=average)
        _both("roc_auc_score", y, proba, multi_class="ovr", average=average,
              sample_weight=rng.random(300))
        _both("average_precision_score", y, proba, average=average)
    with pytest.raises(ValueError, match="multi_class"):
        ml.roc_auc_score(y, proba)


def test_probabilistic_losses_match_sklearn(rng):
    y, score, _ = _binary(rng)
    p = np.clip(score / 1.4, 0, 1)
    _both("log_loss", y, p)
    _both("log_loss", y, p, sample_weight=rng.random(len(y)))
    _both("log_loss", y, p, normalize=False)
    _both("log_loss", y, np.where(y == 1, 0.0, 1.0))  # confidently wrong: clipped, finite
    _both("brier_score_loss", y, p)
    _both("brier_score_loss", y, p, sample_weight=rng.random(len(y)))
    _both("brier_score_loss", y, 1 - p, pos_label=0)
    _both("brier_score_loss", y, p, scale_by_half=False)
    y3 = rng.integers(0, 3, 100)
    P = rng.dirichlet(np.ones(3), 100)
    _both("log_loss", y3, P)
    _both("brier_score_loss", y3, P)
    _both("brier_score_loss", y3, P, scale_by_half=True)
    _both("log_loss", np.zeros(10, dtype=int), P[:10], labels=[0, 1, 2])


@pytest.mark.parametrize("multioutput", ["raw_values", "uniform_average"])
@pytest.mark.parametrize("name", ["mean_squared_error", "root_mean_squared_error",
                                  "mean_absolute_error", "r2_score"])
def test_regression_metrics_match_sklearn(rng, name, multioutput):
    y = rng.normal(size=(80, 3)) * [1, 10, 100]
    pred = y + rng.normal(size=(80, 3))
    _both(name, y[:, 0], pred[:, 0])
    _both(name, y, pred, multioutput=multioutput)
    _both(name, y, pred, multioutput=multioutput, sample_weight=rng.random(80))
    _both(name, y, pred, multioutput=[0.2, 0.3, 0.5])
    _both(name, list(y[:, 1]), list(pred[:, 1]))


def test_r2_variance_weighted(rng):
    y = rng.normal(size=(50, 2)) * [1, 10]
    pred = y + rng.normal(size=(50, 2))
    _both("r2_score", y, pred, multioutput="variance_weighted")
    constant = np.ones((50, 2))
    _both("r2_score", constant, constant, multioutput="variance_weighted")
    _both("r2_score", constant, pred, multioutput="variance_weighted")


# --- edge cases that trip people up -----------------------------------------------------------

def test_class_never_predicted_warns_and_uses_zero_division():
    y = np.array([0, 1, 1, 0, 1])
    pred = np.zeros(5, dtype=int)  # the positive class is never predicted
    with pytest.warns(UndefinedMetricWarning, match="Precision is ill-defined"):
        assert ml.precision_score(y, pred) == 0.0
    assert ml.precision_score(y, pred, zero_division=1.0) == 1.0
    assert np.isnan(ml.precision_score(y, pred, zero_division=np.nan))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a chosen zero_division is silent
        ml.precision_score(y, pred, zero_division=0.0)
        assert ml.f1_score(y, pred) == 0.0  # 2 tp / (2 tp + fp + fn) = 0 / 3: defined
    for zd in ("warn", 0.0, 1.0, np.nan):
        for name in ("precision_score", "recall_score", "f1_score"):
            _both(name, y, pred, zero_division=zd)
            _both(name, pred, y, zero_division=zd)


def test_single_class():
    y = np.ones(6, dtype=int)
    pred = np.array([1, 1, 0, 1, 1, 1])
    for name in ("accuracy_score", "precision_score", "recall_score", "f1_score",
                 "confusion_matrix"):
        _both(name, y, pred)
    _both("confusion_matrix", y, y)  # 1x1 with a warning to pass labels
    _both("confusion_matrix", y, y, labels=[0, 1])
    zeros = np.zeros(6, dtype=int)  # pos_label 1 absent from both: 0/0 everywhere
    for name in ("precision_score", "recall_score", "f1_score"):
        _both(name, zeros, zeros)
        _both(name, zeros, zeros, zero_division=1.0)
    score = np.linspace(0, 1, 6)
    _both("roc_curve", y, score)  # no negatives: fpr is nan, with a warning
    _both("roc_curve", zeros, score)
    assert np.isnan(_both("roc_auc_score", y, score))
    _both("precision_recall_curve", zeros, score)
    _both("average_precision_score", zeros, score)
    with pytest.raises(ValueError, match="only one label"):
        ml.log_loss(y, np.full(6, 0.9))
    _both("log_loss", y, np.full(6, 0.9), labels=[0, 1])


def test_constant_targets_r2():
    y = np.full(5, 3.0)
    _both("r2_score", y, y)  # perfect: 1.0
    _both("r2_score", y, y + 0.1)  # not perfect: 0.0
    _both("r2_score", y, y, force_finite=False)  # nan
    _both("r2_score", y, y + 0.1, force_finite=False)  # -inf
    assert ml.r2_score(y, y) == 1.0 and ml.r2_score(y, y + 1e-8) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="less than two samples"):
        assert np.isnan(ml.r2_score([1.0], [2.0]))


def test_string_labels(rng):
    words = np.array(["cat", "dog", "emu"])
    y, pred = words[rng.integers(0, 3, 120)], words[rng.integers(0, 3, 120)]
    _both("accuracy_score", y, pred)
    _both("confusion_matrix", y, pred)
    _both("confusion_matrix", y, pred, labels=["emu", "cat"])
    _both("f1_score", y, pred, average="macro")
    _both("precision_score", y, pred, average=None)
    yb = np.where(y == "cat", "spam", "ham")
    pb = np.where(pred == "cat", "spam", "ham")
    _both("f1_score", yb, pb, pos_label="spam")
    _both("recall_score", yb.astype(object), pb.astype(object), pos_label="spam")
    with pytest.raises(ValueError, match="pos_label"):
        ml.f1_score(yb, pb)  # pos_label=1 is not a label
    score = rng.random(120)
    _both("roc_curve", yb, score, pos_label="spam")
    _both("roc_auc_score", yb, score)  # the larger label, "spam", is positive
    _both("average_precision_score", yb, score, pos_label="spam")
    with pytest.raises(ValueError, match="pos_label"):
        ml.roc_curve(yb, score)
    _both("log_loss", yb, score)
    _both("brier_score_loss", yb, score, pos_label="spam")


def test_integer_labels_minus_one_and_one(rng):
    y = rng.choice([-1, 1], 100)
    score = rng.random(100)
    _both("roc_curve", y, score)
    _both("precision_recall_curve", y, score)
    _both("f1_score", y, np.where(score > 0.5, 1, -1))


# --- errors ----------------------------------------------------------------------------------

def test_clear_errors():
    with pytest.raises(ValueError, match="continuous"):
        ml.accuracy_score([0, 1, 1], [0.2, 0.9, 0.6])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        ml.f1_score([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="average='binary'"):
        ml.precision_score([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="average has to be one of"):
        ml.f1_score([0, 1], [0, 1], average="mean")
    with pytest.raises(ValueError, match="Mix of label input types"):
        ml.accuracy_score(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="empty"):
        ml.accuracy_score([], [])
    with pytest.raises(ValueError, match="At least one label"):
        ml.confusion_matrix([0, 1], [0, 1], labels=[5])
    with pytest.raises(ValueError, match="zero_division"):
        ml.recall_score([0, 1], [0, 1], zero_division=2)
    with pytest.raises(ValueError, match="greater than 1"):
        ml.log_loss([0, 1], [0.5, 1.5])
    with pytest.raises(ValueError, match="NaN"):
        ml.roc_curve([0, 1], [0.5, np.nan])
    with pytest.raises(ValueError, match="NaN"):
        ml.mean_squared_error([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="different number of output"):
        ml.r2_score(np.ones((4, 2)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="negative"):
        ml.accuracy_score([0, 1], [0, 1], sample_weight=[1, -1])
    with pytest.raises(ValueError, match="multilabel"):
        ml.accuracy_score(np.eye(3, dtype=int), np.eye(3, dtype=int))
    with pytest.raises(ValueError, match="x is neither increasing nor decreasing"):
        ml.auc([0, 2, 1], [0, 1, 1])


def test_auc_matches_sklearn():
    _both("auc", [0, 0.5, 1], [0, 0.8, 1])
    _both("auc", [1, 0.5, 0], [1, 0.8, 0])


def test_library_does_not_import_course_machinery():
    import ast
    from pathlib import Path

    import mlcourse.metrics

    for path in Path(mlcourse.metrics.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(
                    ("mlcourse.exercises", "mlcourse.plotting", "mlcourse.datasets")
                ), (path, node.module)

"""Tests of mlcourse.utils' declarative parameter checks, and of the estimators that use them."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, is_regressor

from mlcourse.cluster import KMeans
from mlcourse.ensemble import (
    AdaBoostClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)
from mlcourse.linear_model import (
    ElasticNet,
    LinearRegression,
    LogisticRegression,
    SGDRegressor,
)
from mlcourse.naive_bayes import GaussianNB, MultinomialNB
from mlcourse.neighbors import KNeighborsClassifier
from mlcourse.neural_network import MLPClassifier
from mlcourse.svm import SVC, LinearSVC
from mlcourse.tree import DecisionTreeClassifier
from mlcourse.utils import InvalidParameterError, Rule, check_params, integer, one_of, real


# --------------------------------------------------------------------------- the rules
@pytest.mark.parametrize(
    "rule, words, good, bad",
    [
        (integer(ge=1), "an int >= 1", [1, 7, np.int64(3)], [0, -1, 1.0, True, "1", None]),
        (integer(ge=2, le=255), "an int in [2, 255]", [2, 255], [1, 256, 3.5]),
        (integer(), "an int", [0, -5], [0.5, False]),
        (real(gt=0), "a number > 0", [1, 0.1, np.float32(2), np.inf], [0, -0.1, np.nan, True]),
        (real(ge=0), "a number >= 0", [0, 0.0, 3], [-1e-12, "0", None]),
        (real(gt=0, le=1), "a number in (0, 1]", [1, 0.5], [0, 1.0001]),
        (real(ge=0, lt=1), "a number in [0, 1)", [0, 0.99], [1, -0.5]),
        (real(gt=0, lt=np.inf), "a number in (0, inf)", [1e300], [np.inf, 0]),
        (real(le=0), "a number <= 0", [-3, 0], [0.1]),
        (real(), "a number", [-1e9, 0, 2.5], [np.nan, "x"]),
        (real(gt=0, le=1, allow_int=False), "a float in (0, 1]", [0.5, 1.0, np.float32(0.1)],
         [1, np.int64(1), 0.0, True]),
        (one_of("sgd", "adam"), "'sgd' or 'adam'", ["sgd", "adam"], ["SGD", "", None, 1]),
        (one_of("a", "b", "c"), "one of 'a', 'b', 'c'", ["c"], ["d", np.array(["a"])]),
        (one_of("auto", True, False), "one of 'auto', True, False",
         ["auto", True, False, np.True_], [1, 0, "True"]),
    ],
)
def test_each_rule_accepts_exactly_what_it_describes(rule, words, good, bad):
    assert str(rule) == words
    for value in good:
        assert rule.accepts(value), value
    for value in bad:
        assert not rule.accepts(value), value


def test_a_bound_can_be_given_only_once():
    with pytest.raises(ValueError, match="at most one lower bound"):
        real(ge=0, gt=0)
    with pytest.raises(ValueError, match="one upper"):
        integer(le=3, lt=4)


class _Model(BaseEstimator):
    _parameter_rules = {
        "C": real(gt=0),
        "max_depth": [None, integer(ge=1)],
        "solver": one_of("lbfgs", "sgd"),
        "sizes": Rule("a tuple of ints", lambda v: isinstance(v, tuple)
                      and all(isinstance(h, int) for h in v)),
    }

    def __init__(self, C=1.0, max_depth=None, solver="lbfgs", sizes=(3,), seed=None):
        self.C = C
        self.max_depth = max_depth
        self.solver = solver
        self.sizes = sizes
        self.seed = seed


def test_check_params_passes_good_values_and_ignores_unlisted_parameters():
    check_params(_Model())
    check_params(_Model(C=np.inf, max_depth=3, solver="sgd", sizes=(), seed=object()))


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(C=0), "_Model parameter C must be a number > 0, got 0."),
        (dict(max_depth=0), "_Model parameter max_depth must be None or an int >= 1, got 0."),
        (dict(max_depth=2.0), "_Model parameter max_depth must be None or an int >= 1, got 2.0."),
        (dict(solver="adam"), "_Model parameter solver must be 'lbfgs' or 'sgd', got 'adam'."),
        (dict(sizes=[3]), "_Model parameter sizes must be a tuple of ints, got [3]."),
    ],
)
def test_one_message_names_estimator_parameter_allowed_and_given(params, message):
    with pytest.raises(InvalidParameterError) as error:
        check_params(_Model(**params))
    assert str(error.value) == message


def test_the_error_is_both_a_value_error_and_a_type_error():
    for kind in (ValueError, TypeError):
        with pytest.raises(kind):
            check_params(_Model(C="big"))


def test_rules_can_be_passed_explicitly():
    check_params(_Model(C=-1), rules={"solver": one_of("lbfgs")})
    with pytest.raises(InvalidParameterError, match="solver must be 'sgd'"):
        check_params(_Model(), rules={"solver": one_of("sgd")})


def test_the_first_broken_rule_in_declaration_order_is_reported():
    with pytest.raises(InvalidParameterError, match="parameter C "):
        check_params(_Model(C=0, max_depth=0))


# --------------------------------------------------------------------------- the estimators
# One bad value per estimator: fit refuses it before touching the data, in the one style.
X = np.random.default_rng(0).normal(size=(30, 3))
y = np.tile([0, 1, 2], 10)


@pytest.mark.parametrize(
    "estimator, name, allowed",
    [
        (LinearRegression(solver="gd", batch_size=0), "batch_size", "None or an int >= 1"),
        (LogisticRegression(C=0), "C", "a number > 0"),
        (SGDRegressor(eta0=0), "eta0", "a number > 0"),
        (ElasticNet(l1_ratio=2), "l1_ratio", r"a number in \[0, 1\]"),
        (SVC(gamma=-1), "gamma", "'scale' or 'auto' or a number > 0"),
        (LinearSVC(batch_size=0), "batch_size", "an int >= 1"),
        (KMeans(n_init=0), "n_init", "'auto' or an int >= 1"),
        (KNeighborsClassifier(n_neighbors=0), "n_neighbors", "an int >= 1"),
        (GaussianNB(var_smoothing=-1), "var_smoothing", "a number >= 0"),
        (MultinomialNB(alpha=-1), "alpha", "a number >= 0"),
        (DecisionTreeClassifier(max_depth=0), "max_depth", "None or an int >= 1"),
        (GradientBoostingRegressor(subsample=0), "subsample", r"a number in \(0, 1\]"),
        (HistGradientBoostingRegressor(max_bins=300), "max_bins", r"an int in \[2, 255\]"),
        (RandomForestClassifier(n_estimators=0), "n_estimators", "an int >= 1"),
        (AdaBoostClassifier(learning_rate=0), "learning_rate", "a number > 0"),
        (MLPClassifier(dropout=1.0), "dropout", r"a number in \[0, 1\)"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseEstimator) else None,
)
def test_estimators_refuse_a_bad_parameter_in_the_one_style(estimator, name, allowed):
    target = y.astype(float) if is_regressor(estimator) else y
    message = rf"^{type(estimator).__name__} parameter {name} must be {allowed}, got "
    with pytest.raises(InvalidParameterError, match=message):
        estimator.fit(X, target)

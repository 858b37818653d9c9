"""MLPClassifier / MLPRegressor against scikit-learn: same data, layers, solver, batches, epochs.

Both sides run exactly ``max_iter`` epochs (``n_iter_no_change`` larger than ``max_iter``),
so the timings compare the same number of mini-batch updates.
"""

from __future__ import annotations

import warnings

import numpy as np
from harness import Case
from sklearn import neural_network as sk_nn
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from mlcourse import neural_network as ours
from mlcourse.datasets import load_california_housing

warnings.filterwarnings("ignore", category=ConvergenceWarning)


def _scaled(X, y, stratify):
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y if stratify else None
    )
    scaler = StandardScaler().fit(X_tr)
    return scaler.transform(X_tr), scaler.transform(X_te), y_tr, y_te


def _digits():
    return _scaled(*load_digits(return_X_y=True), stratify=True)


def _classification():
    X, y = make_classification(
        n_samples=16000, n_features=20, n_informative=12, n_classes=4,
        n_clusters_per_class=2, flip_y=0.01, random_state=0,
    )
    return _scaled(X, y, stratify=True)


def _california():
    df = load_california_housing().dropna()
    X = df.drop(columns=["median_house_value", "ocean_proximity"]).to_numpy(np.float64)
    y = df["median_house_value"].to_numpy() / 1e5  # in units of $100k
    return _scaled(X, y, stratify=False)


def _score(model, X, y):
    return model.score(X, y)


def _pair(name, params, data, target=10.0, note=""):
    classifier = "Classifier" in name
    ours_cls = ours.MLPClassifier if classifier else ours.MLPRegressor
    their_cls = sk_nn.MLPClassifier if classifier else sk_nn.MLPRegressor
    params = dict(params, n_iter_no_change=params["max_iter"] + 1, random_state=0)
    return Case(
        name=name,
        ours=lambda: ours_cls(**params),
        theirs=lambda: their_cls(**params),
        data=data,
        score=_score,
        target=target,
        note=note,
    )


CASES = [
    _pair(
        "MLPClassifier digits (100,) sgd 50 ep",
        dict(hidden_layer_sizes=(100,), solver="sgd", learning_rate_init=0.02, momentum=0.9,
             batch_size=200, max_iter=50),
        _digits,
    ),
    _pair(
        "MLPClassifier synthetic (64,64) adam 15 ep",
        dict(hidden_layer_sizes=(64, 64), solver="adam", learning_rate_init=3e-3,
             batch_size=200, max_iter=15),
        _classification,
        note=(
            "test accuracy within 0.01 of scikit-learn's: both start from Glorot-uniform "
            "weights, but drawn from different random streams and trained on differently "
            "shuffled batches, so 15 epochs end at slightly different weights."
        ),
    ),
    _pair(
        "MLPRegressor california (64,32) adam 15 ep",
        dict(hidden_layer_sizes=(64, 32), solver="adam", learning_rate_init=3e-3,
             batch_size=200, max_iter=15),
        _california,
    ),
]

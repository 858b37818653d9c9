"""Searches: mlcourse.model_selection against sklearn.model_selection, fit (the whole search
and the refit) + predict of the refitted winner, on the same folds and candidates."""

from __future__ import annotations

from functools import cache

import pandas as pd
from harness import Case
from scipy.stats import loguniform, randint
from sklearn import model_selection as sk_ms
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from mlcourse.datasets import load_german_credit
from mlcourse.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
)

GRID = {"max_depth": [2, 3, 4, 6, 8, None], "min_samples_leaf": [1, 5, 20, 60]}
DISTS = {"max_depth": randint(2, 11), "min_samples_leaf": loguniform(0.001, 0.1)}


@cache
def credit_data():
    credit = load_german_credit()
    y = (credit.pop("credit_risk") == 2).to_numpy().astype(int)
    X = pd.get_dummies(credit, dtype=float).to_numpy()
    return train_test_split(X, y, test_size=200, stratify=y, random_state=0)


def auc(model, X, y):
    from sklearn.metrics import roc_auc_score

    return roc_auc_score(y, model.predict_proba(X)[:, 1])


TREE = DecisionTreeClassifier(random_state=0)

CASES = [
    Case(
        name="GridSearchCV (tree, 24 candidates x 5 folds)",
        ours=lambda: GridSearchCV(TREE, GRID, cv=StratifiedKFold(5), scoring="roc_auc"),
        theirs=lambda: sk_ms.GridSearchCV(TREE, GRID, cv=sk_ms.StratifiedKFold(5),
                                          scoring="roc_auc"),
        data=credit_data,
        score=auc,
        target=2,
    ),
    Case(
        name="RandomizedSearchCV (tree, 20 draws x 5 folds)",
        ours=lambda: RandomizedSearchCV(TREE, DISTS, n_iter=20, cv=StratifiedKFold(5),
                                        scoring="roc_auc", random_state=0),
        theirs=lambda: sk_ms.RandomizedSearchCV(TREE, DISTS, n_iter=20,
                                                cv=sk_ms.StratifiedKFold(5),
                                                scoring="roc_auc", random_state=0),
        data=credit_data,
        score=auc,
        target=2,
    ),
    Case(
        name="HalvingGridSearchCV (tree, 24 candidates, factor 3)",
        ours=lambda: HalvingGridSearchCV(TREE, GRID, cv=StratifiedKFold(5),
                                         scoring="roc_auc", random_state=0),
        theirs=lambda: sk_ms.HalvingGridSearchCV(TREE, GRID, cv=sk_ms.StratifiedKFold(5),
                                                 scoring="roc_auc", random_state=0),
        data=credit_data,
        score=auc,
        target=2,
    ),
]


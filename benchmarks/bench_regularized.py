"""Regularised linear models: Ridge, Lasso, ElasticNet and LassoCV against scikit-learn's.

California housing with degree-2 polynomial features (44 standardised, strongly
correlated columns: the case where a penalty earns its keep), and a bag of words of the
SMS spam collection (sparse, 7k columns) for the L1 penalty, with the spam label as a 0/1
target. Same alpha, tol (1e-4) and max_iter on both sides; the score is test R^2.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from harness import Case
from sklearn import linear_model as sk
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from mlcourse import linear_model as ours
from mlcourse.datasets import load_california_housing, load_sms_spam

HOUSING_FEATURES = [
    "longitude", "latitude", "housing_median_age", "total_rooms", "total_bedrooms",
    "population", "households", "median_income",
]


@cache
def housing_poly():
    df = load_california_housing()
    X = df[HOUSING_FEATURES].fillna(df["total_bedrooms"].median()).to_numpy()
    X = np.column_stack([X[:, :3], np.log1p(X[:, 3:7]), X[:, 7]])  # counts on a log scale
    y = df["median_house_value"].to_numpy() / 1e5
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=15_000, test_size=5_000, random_state=0
    )
    poly = PolynomialFeatures(degree=2, include_bias=False).fit(X_train)
    scaler = StandardScaler().fit(poly.transform(X_train))
    return (scaler.transform(poly.transform(X_train)), scaler.transform(poly.transform(X_test)),
            y_train, y_test)


@cache
def sms_words():
    df = load_sms_spam()
    text_train, text_test, y_train, y_test = train_test_split(
        df["text"], (df["label"] == "spam").to_numpy(float), test_size=0.25,
        stratify=df["label"], random_state=0,
    )
    vectorizer = CountVectorizer(binary=True).fit(text_train)  # the counting is not timed
    return vectorizer.transform(text_train), vectorizer.transform(text_test), y_train, y_test


def r2(model, X, y):
    return model.score(X, y)


CASES = [
    Case(
        name="Ridge housing poly2 (alpha=1)",
        ours=lambda: ours.Ridge(alpha=1.0),
        theirs=lambda: sk.Ridge(alpha=1.0),
        data=housing_poly,
        score=r2,
        target=3,
        repeats=5,
    ),
    Case(
        name="Lasso housing poly2 (alpha=0.003)",
        ours=lambda: ours.Lasso(alpha=0.003, max_iter=5000),
        theirs=lambda: sk.Lasso(alpha=0.003, max_iter=5000),
        data=housing_poly,
        score=r2,
        target=3,
    ),
    Case(
        name="ElasticNet housing poly2 (0.01, l1 0.5)",
        ours=lambda: ours.ElasticNet(alpha=0.01, l1_ratio=0.5, max_iter=5000),
        theirs=lambda: sk.ElasticNet(alpha=0.01, l1_ratio=0.5, max_iter=5000),
        data=housing_poly,
        score=r2,
        target=3,
    ),
    Case(
        name="Lasso SMS spam words (sparse, alpha=1e-3)",
        ours=lambda: ours.Lasso(alpha=1e-3),
        theirs=lambda: sk.Lasso(alpha=1e-3),
        data=sms_words,
        score=r2,
        target=3,
    ),
    Case(
        name="Lasso SMS spam words (sparse, alpha=2e-4)",
        ours=lambda: ours.Lasso(alpha=2e-4),
        theirs=lambda: sk.Lasso(alpha=2e-4),
        data=sms_words,
        score=r2,
        target=3,
        note=(
            "a weak penalty keeps ~400 words: our Python loop over the working set costs "
            "more per sweep than scikit-learn's compiled sparse sweep"
        ),
    ),
    Case(
        name="ElasticNet SMS spam words (sparse, 2e-3)",
        ours=lambda: ours.ElasticNet(alpha=2e-3, l1_ratio=0.5),
        theirs=lambda: sk.ElasticNet(alpha=2e-3, l1_ratio=0.5),
        data=sms_words,
        score=r2,
        target=3,
    ),
    Case(
        name="LassoCV housing poly2 (20 alphas, 5 folds)",
        ours=lambda: ours.LassoCV(alphas=20),
        theirs=lambda: sk.LassoCV(alphas=20),
        data=housing_poly,
        score=r2,
        target=3,
        repeats=1,
        note=(
            "120 fits along the paths, most of them on weak penalties where the 44 correlated "
            "columns need hundreds of sweeps; each sweep is a Python loop over the working "
            "set, where scikit-learn's is compiled"
        ),
    ),
]

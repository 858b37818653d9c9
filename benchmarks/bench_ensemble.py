"""Ensembles: mlcourse.ensemble against sklearn.ensemble, fit + predict on realistic data.

Forests and bagging run scikit-learn with n_jobs=1 (one tree at a time, like ours);
HistGradientBoosting runs scikit-learn with its own OpenMP threads, as it ships. Early
stopping is off on both sides so both fit the same number of trees.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from harness import Case
from sklearn import ensemble as sk
from sklearn import tree as sk_tree
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB as SkGaussianNB

from mlcourse import ensemble as ours
from mlcourse.datasets import load_adult, load_california_housing
from mlcourse.naive_bayes import GaussianNB
from mlcourse.tree import DecisionTreeClassifier

HOUSING_FEATURES = [
    "longitude", "latitude", "housing_median_age", "total_rooms",
    "population", "households", "median_income",
]
ADULT_NUMERIC = ["age", "fnlwgt", "education_num", "capital_gain", "capital_loss",
                 "hours_per_week"]
ADULT_CATEGORIES = ["workclass", "marital_status", "occupation", "relationship", "race", "sex"]


@cache
def adult_data():
    """Adult income (>50K?), 20,000 training rows: numeric columns + category codes."""
    df = load_adult().dropna().sample(25_000, random_state=0)
    codes = [df[c].astype("category").cat.codes.to_numpy(float)[:, None]
             for c in ADULT_CATEGORIES]
    X = np.hstack([df[ADULT_NUMERIC].to_numpy(float)] + codes)
    y = (df["income"] == ">50K").to_numpy(int)
    return train_test_split(X, y, test_size=5_000, random_state=0, stratify=y)


@cache
def housing_data():
    df = load_california_housing()
    X = df[HOUSING_FEATURES].to_numpy(float)
    y = df["median_house_value"].to_numpy() / 1e5
    return train_test_split(X, y, test_size=4_000, random_state=0)


def score(model, X, y):
    return model.score(X, y)


def _members(tree, nb):
    return [("tree", tree(max_depth=8)), ("nb", nb())]


HIST_NOTE = ("scikit-learn runs its OpenMP threads, as shipped; on a machine whose cores are "
             "busy with other work those threads wait for each other and its time balloons, so "
             "read a ratio far below 1 as a sign of a loaded machine, not of a faster algorithm")
CASES = [
    Case("RandomForestClassifier adult (100 trees)",
         lambda: ours.RandomForestClassifier(100, random_state=0),
         lambda: sk.RandomForestClassifier(100, random_state=0, n_jobs=1),
         adult_data, score, 10, repeats=1),
    Case("RandomForestRegressor housing (50, sqrt)",
         lambda: ours.RandomForestRegressor(50, max_features="sqrt", random_state=0),
         lambda: sk.RandomForestRegressor(50, max_features="sqrt", random_state=0, n_jobs=1),
         housing_data, score, 10, repeats=1),
    Case("BaggingClassifier adult (20 trees)",
         lambda: ours.BaggingClassifier(n_estimators=20, random_state=0),
         lambda: sk.BaggingClassifier(n_estimators=20, random_state=0, n_jobs=1),
         adult_data, score, 10, repeats=1),
    Case("GradientBoostingRegressor housing (100)",
         lambda: ours.GradientBoostingRegressor(random_state=0),
         lambda: sk.GradientBoostingRegressor(random_state=0),
         housing_data, score, 10, repeats=1),
    Case("GradientBoostingClassifier adult (100)",
         lambda: ours.GradientBoostingClassifier(random_state=0),
         lambda: sk.GradientBoostingClassifier(random_state=0),
         adult_data, score, 10, repeats=1),
    Case("HistGradientBoostingRegressor housing",
         lambda: ours.HistGradientBoostingRegressor(early_stopping=False),
         lambda: sk.HistGradientBoostingRegressor(early_stopping=False),
         housing_data, score, 10, repeats=1, note=HIST_NOTE),
    Case("HistGradientBoostingClassifier adult",
         lambda: ours.HistGradientBoostingClassifier(early_stopping=False),
         lambda: sk.HistGradientBoostingClassifier(early_stopping=False),
         adult_data, score, 10, repeats=1, note=HIST_NOTE),
    Case("AdaBoostClassifier adult (50 stumps)",
         lambda: ours.AdaBoostClassifier(random_state=0),
         lambda: sk.AdaBoostClassifier(random_state=0),
         adult_data, score, 10, repeats=1),
    Case("VotingClassifier adult (soft: tree + NB)",
         lambda: ours.VotingClassifier(_members(DecisionTreeClassifier, GaussianNB),
                                       voting="soft"),
         lambda: sk.VotingClassifier(_members(sk_tree.DecisionTreeClassifier, SkGaussianNB),
                                     voting="soft"),
         adult_data, score, 10, repeats=1),
    Case("StackingClassifier adult (tree + NB, 5-fold)",
         lambda: ours.StackingClassifier(_members(DecisionTreeClassifier, GaussianNB)),
         lambda: sk.StackingClassifier(_members(sk_tree.DecisionTreeClassifier, SkGaussianNB)),
         adult_data, score, 10, repeats=1),
]

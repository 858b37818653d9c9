"""The checkers of notebook 20 pass right answers (more than one method where there is one)
and fail the wrong answers a learner is likely to write, with a hint that points at the
mistake."""

from __future__ import annotations

import numpy as np
import pandas as pd
from checker_helpers import fails, passes

# --- 20.1 ------------------------------------------------------------------------------------

def parity_ratio_bincount(y_pred, groups, weights):
    _, codes = np.unique(np.asarray(groups), return_inverse=True)
    rates = (np.bincount(codes, weights=weights * (np.asarray(y_pred) == 1))
             / np.bincount(codes, weights=weights))
    return rates.min() / rates.max()


def parity_ratio_pandas(y_pred, groups, weights):
    frame = pd.DataFrame({"g": groups, "sel": np.asarray(y_pred) * weights, "w": weights})
    sums = frame.groupby("g")[["sel", "w"]].sum()
    rates = sums["sel"] / sums["w"]
    return rates.min() / rates.max()


def test_20_1_right_answers_pass():
    passes("20.1", parity_ratio_bincount)
    passes("20.1", parity_ratio_pandas)


def test_20_1_wrong_answers_fail():
    def inverted(y_pred, groups, weights):
        return 1 / parity_ratio_bincount(y_pred, groups, weights)

    def unweighted(y_pred, groups, weights):
        return parity_ratio_bincount(y_pred, groups, np.ones(len(y_pred)))

    def difference(y_pred, groups, weights):
        _, codes = np.unique(np.asarray(groups), return_inverse=True)
        rates = (np.bincount(codes, weights=weights * y_pred) / np.bincount(codes,
                                                                            weights=weights))
        return rates.max() - rates.min()

    def fairlearn_shortcut(y_pred, groups, weights):
        from fairlearn.metrics import demographic_parity_ratio

        return demographic_parity_ratio(y_pred, y_pred, sensitive_features=groups,
                                        sample_weight=weights)

    def course_shortcut(y_pred, groups, weights):
        from mlcourse.metrics import demographic_parity_ratio

        return demographic_parity_ratio(y_pred, y_pred, sensitive_features=groups,
                                        sample_weight=weights)

    def normalises_weights_in_place(y_pred, groups, weights):
        weights /= weights.sum()
        return parity_ratio_bincount(y_pred, groups, weights)

    def first_two_groups_only(y_pred, groups, weights):
        labels = np.unique(groups)[:2]
        keep = np.isin(groups, labels)
        return parity_ratio_bincount(y_pred[keep], np.asarray(groups)[keep], weights[keep])

    fails("20.1", inverted, "inverted")
    fails("20.1", unweighted, "unweighted")
    fails("20.1", difference, "difference")
    fails("20.1", fairlearn_shortcut, "fairlearn")
    fails("20.1", course_shortcut, "mlcourse.metrics")
    fails("20.1", normalises_weights_in_place, "in place")
    fails("20.1", first_two_groups_only, "every group")


# --- 20.2 ------------------------------------------------------------------------------------

def choose(candidates, max_dp_difference, may_use_sex):
    allowed = candidates[candidates["DP difference"] <= max_dp_difference]
    if not may_use_sex:
        allowed = allowed[~allowed["needs sex at prediction"]]
    return None if allowed.empty else allowed["accuracy"].idxmax()


def choose_by_sorting(candidates, max_dp_difference, may_use_sex):
    for name, row in candidates.sort_values("accuracy", ascending=False).iterrows():
        if row["DP difference"] <= max_dp_difference and (
                may_use_sex or not row["needs sex at prediction"]):
            return name
    return None


def test_20_2_right_answers_pass():
    passes("20.2", choose)
    passes("20.2", choose_by_sorting)


def test_20_2_wrong_answers_fail():
    def most_accurate(candidates, max_dp_difference, may_use_sex):
        return candidates["accuracy"].idxmax()

    def ignores_the_law(candidates, max_dp_difference, may_use_sex):
        return choose(candidates, max_dp_difference, True)

    def fairest(candidates, max_dp_difference, may_use_sex):
        return choose(candidates.assign(accuracy=-candidates["DP difference"]),
                      max_dp_difference, may_use_sex)

    def strict_limit(candidates, max_dp_difference, may_use_sex):
        return choose(candidates, max_dp_difference - 1e-9, may_use_sex)

    def never_none(candidates, max_dp_difference, may_use_sex):
        return choose(candidates, max_dp_difference, may_use_sex) or "none"

    def position(candidates, max_dp_difference, may_use_sex):
        name = choose(candidates, max_dp_difference, may_use_sex)
        return None if name is None else int(candidates.index.get_loc(name))

    def rounds_in_place(candidates, max_dp_difference, may_use_sex):
        candidates["accuracy"] = candidates["accuracy"].round(2)
        return choose(candidates, max_dp_difference, may_use_sex)

    fails("20.2", most_accurate, "above the limit")
    fails("20.2", ignores_the_law, "not allowed")
    fails("20.2", fairest, "most accurate")
    fails("20.2", strict_limit, "0.091")
    fails("20.2", never_none, "None")
    fails("20.2", position, "name")
    fails("20.2", rounds_in_place, "in place")


# --- 20.3 ------------------------------------------------------------------------------------

def drops_tiled(predict, X, y, column, permutations):
    n_repeats, n = permutations.shape
    baseline = np.mean(predict(X) == y)
    stacked = np.tile(X, (n_repeats, 1))
    stacked[:, column] = X[permutations.ravel(), column]
    correct = (predict(stacked) == np.tile(y, n_repeats)).reshape(n_repeats, n)
    return baseline - correct.mean(axis=1)


def drops_one_call(predict, X, y, column, permutations):
    copies = np.repeat(X[None], len(permutations), axis=0)
    copies[:, :, column] = X[permutations, column]
    everything = predict(np.concatenate([X[None], copies]).reshape(-1, X.shape[1]))
    correct = (everything.reshape(len(permutations) + 1, -1) == y).mean(axis=1)
    return correct[0] - correct[1:]


def test_20_3_right_answers_pass():
    passes("20.3", drops_tiled)
    passes("20.3", drops_one_call)


def test_20_3_wrong_answers_fail():
    def loop_over_repeats(predict, X, y, column, permutations):
        baseline = np.mean(predict(X) == y)
        drops = []
        for perm in permutations:
            shuffled = X.copy()
            shuffled[:, column] = X[perm, column]
            drops.append(baseline - np.mean(predict(shuffled) == y))
        return np.array(drops)

    def flipped(predict, X, y, column, permutations):
        return -drops_tiled(predict, X, y, column, permutations)

    def whole_rows(predict, X, y, column, permutations):
        n_repeats, n = permutations.shape
        baseline = np.mean(predict(X) == y)
        correct = (predict(X[permutations.ravel()]) == np.tile(y, n_repeats))
        return baseline - correct.reshape(n_repeats, n).mean(axis=1)

    def in_place(predict, X, y, column, permutations):
        baseline = np.mean(predict(X) == y)
        stacked = np.tile(X, (len(permutations), 1))
        X[:, column] = X[permutations[0], column]  # shuffles the caller's data
        stacked[:, column] = stacked[permutations.ravel(), column]
        correct = predict(stacked) == np.tile(y, len(permutations))
        return baseline - correct.reshape(len(permutations), -1).mean(axis=1)

    def mean_only(predict, X, y, column, permutations):
        return drops_tiled(predict, X, y, column, permutations).mean()

    fails("20.3", loop_over_repeats, "called predict")
    fails("20.3", flipped, "sign is flipped")
    fails("20.3", whole_rows, "whole rows")
    fails("20.3", in_place, "in place")
    fails("20.3", mean_only, "one drop per repeat")


# --- 20.4 ------------------------------------------------------------------------------------

def below_transform(frame, quasi_identifiers, k):
    quasi = list(quasi_identifiers)
    sizes = frame.groupby(quasi, dropna=False)[quasi[0]].transform("size")
    return (sizes < k).to_numpy()


def below_value_counts(frame, quasi_identifiers, k):
    keys = frame[list(quasi_identifiers)].astype(object).fillna("<missing>")
    labels = keys.apply(tuple, axis=1)
    return labels.map(labels.value_counts()) < k


def test_20_4_right_answers_pass():
    passes("20.4", below_transform)
    passes("20.4", below_value_counts)


def test_20_4_wrong_answers_fail():
    def at_most_k(frame, quasi_identifiers, k):
        quasi = list(quasi_identifiers)
        return (frame.groupby(quasi, dropna=False)[quasi[0]].transform("size") <= k).to_numpy()

    def drops_missing(frame, quasi_identifiers, k):
        quasi = list(quasi_identifiers)
        return (frame.groupby(quasi)["income"].transform("size") < k).to_numpy()

    def inverted(frame, quasi_identifiers, k):
        return ~below_transform(frame, quasi_identifiers, k)

    def sizes_not_mask(frame, quasi_identifiers, k):
        quasi = list(quasi_identifiers)
        return frame.groupby(quasi, dropna=False)[quasi[0]].transform("size").to_numpy()

    def one_per_class(frame, quasi_identifiers, k):
        return (frame.groupby(list(quasi_identifiers), dropna=False).size() < k).to_numpy()

    def every_column(frame, quasi_identifiers, k):
        return below_transform(frame, list(frame.columns), k)

    def adds_a_column(frame, quasi_identifiers, k):
        quasi = list(quasi_identifiers)
        frame["class_size"] = frame.groupby(quasi, dropna=False)[quasi[0]].transform("size")
        return (frame["class_size"] < k).to_numpy()

    fails("20.4", at_most_k, "fewer")
    fails("20.4", drops_missing, "dropna=False")
    fails("20.4", inverted, "inverted")
    fails("20.4", sizes_not_mask, "not the sizes")
    fails("20.4", one_per_class, "one True/False per row")
    fails("20.4", every_column, "the other columns do not count")
    fails("20.4", adds_a_column, "in place")


# --- 20.5 ------------------------------------------------------------------------------------

def histogram_loop(values, bins, epsilon, rng):
    counts = np.array([np.sum(np.asarray(values) == b) for b in bins], dtype=float)
    return counts + rng.laplace(0.0, 1.0 / epsilon, size=len(bins))


def histogram_value_counts(values, bins, epsilon, rng):
    counts = pd.Series(values).value_counts().reindex(bins, fill_value=0).to_numpy(float)
    return counts + rng.laplace(scale=1 / epsilon, size=len(counts))


def test_20_5_right_answers_pass():
    passes("20.5", histogram_loop)
    passes("20.5", histogram_value_counts)


def test_20_5_wrong_answers_fail():
    def no_noise(values, bins, epsilon, rng):
        return np.array([np.sum(np.asarray(values) == b) for b in bins], dtype=float)

    def scale_epsilon(values, bins, epsilon, rng):
        return no_noise(values, bins, epsilon, rng) + rng.laplace(0, epsilon, len(bins))

    def budget_split(values, bins, epsilon, rng):
        return no_noise(values, bins, epsilon, rng) + rng.laplace(0, len(bins) / epsilon,
                                                                  len(bins))

    def gaussian(values, bins, epsilon, rng):
        return no_noise(values, bins, epsilon, rng) + rng.normal(0, 1 / epsilon, len(bins))

    def global_random(values, bins, epsilon, rng):
        return no_noise(values, bins, epsilon, rng) + np.random.laplace(0, 1 / epsilon,
                                                                        len(bins))

    def one_draw_for_all(values, bins, epsilon, rng):
        return no_noise(values, bins, epsilon, rng) + rng.laplace(0, 1 / epsilon)

    def present_bins_only(values, bins, epsilon, rng):
        counts = pd.Series(values).value_counts()
        return counts.to_numpy(float) + rng.laplace(0, 1 / epsilon, len(counts))

    fails("20.5", no_noise, "no noise")
    fails("20.5", scale_epsilon, "not epsilon")
    fails("20.5", budget_split, "sensitivity is 1")
    fails("20.5", gaussian, "shape is not")
    fails("20.5", global_random, "rng")
    fails("20.5", one_draw_for_all, "independent")
    fails("20.5", present_bins_only, "shape (5,)")

"""The checkers of notebook 22 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from checker_helpers import fails, passes

# --- 22.1 ------------------------------------------------------------------------------------

def cost_by_indexing(y_true, y_pred, cost):
    return np.asarray(cost, dtype=float)[np.asarray(y_true), np.asarray(y_pred)].mean()


def cost_by_counts(y_true, y_pred, cost):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    counts = np.bincount(2 * y_true + y_pred, minlength=4).reshape(2, 2)
    return float((counts * np.asarray(cost)).sum() / len(y_true))


@pytest.mark.parametrize("answer", [cost_by_indexing, cost_by_counts])
def test_22_1_right_answers(answer):
    passes("22.1", answer)


def test_22_1_transposed():
    fails("22.1", lambda t, p, c: cost_by_indexing(p, t, c), "actual class")


def test_22_1_total_instead_of_mean():
    fails("22.1", lambda t, p, c: cost_by_indexing(t, p, c) * len(np.asarray(t)),
          "cost per applicant")


def test_22_1_off_diagonal_only():
    def off_diagonal(y_true, y_pred, cost):
        y_true, y_pred, cost = np.asarray(y_true), np.asarray(y_pred), np.asarray(cost)
        return np.mean(np.where(y_true == y_pred, 0.0, cost[y_true, y_pred]))

    fails("22.1", off_diagonal, "the average cost is")


def test_22_1_sklearn_confusion_matrix():
    from sklearn.metrics import confusion_matrix

    def with_sklearn(y_true, y_pred, cost):
        counts = confusion_matrix(y_true, y_pred, labels=[0, 1])
        return float((counts * np.asarray(cost)).sum() / counts.sum())

    fails("22.1", with_sklearn, "called sklearn")


def test_22_1_loop():
    def loop(y_true, y_pred, cost):
        cost = np.asarray(cost, dtype=float)
        return sum(cost[t, p] for t, p in zip(np.asarray(y_true).tolist(),
                                              np.asarray(y_pred).tolist(), strict=True)
                   ) / len(y_true)

    fails("22.1", loop, "average_cost")


def test_22_1_in_place():
    def sorts_first(y_true, y_pred, cost):
        if isinstance(y_true, np.ndarray):
            y_true.sort()
        return cost_by_indexing(y_true, y_pred, cost)

    fails("22.1", sorts_first, "changed")


# --- 22.2 ------------------------------------------------------------------------------------

def valid_rows(df, rules):
    ok = pd.Series(True, index=df.index)
    for name, rule in rules.items():
        column = df[name]
        if "codes" in rule:
            ok &= column.isin(rule["codes"])
        else:
            x = pd.to_numeric(column, errors="coerce")
            ok &= x.notna() & (x % 1 == 0) & x.between(rule["min"], rule["max"])
    return ok.to_numpy()


def valid_rows_by_row(df, rules):
    """A different method: one row at a time, with isinstance checks."""
    result = []
    for _, row in df.iterrows():
        good = True
        for name, rule in rules.items():
            value = row[name]
            if "codes" in rule:
                good &= isinstance(value, str) and value in rule["codes"]
            else:
                good &= (isinstance(value, (int, float, np.integer, np.floating))
                         and not isinstance(value, bool) and np.isfinite(value)
                         and float(value).is_integer() and rule["min"] <= value <= rule["max"])
        result.append(good)
    return result


@pytest.mark.parametrize("answer", [valid_rows, valid_rows_by_row])
def test_22_2_right_answers(answer):
    passes("22.2", answer)


def test_22_2_exclusive_bounds():
    def exclusive(df, rules):
        ok = np.array(valid_rows(df, rules))
        for name, rule in rules.items():
            if "min" in rule:
                x = pd.to_numeric(df[name], errors="coerce")
                ok &= ((x > rule["min"]) & (x < rule["max"])).to_numpy()
        return ok

    fails("22.2", exclusive, "inclusive")


def test_22_2_no_whole_number_rule():
    def fractions_allowed(df, rules):
        ok = pd.Series(True, index=df.index)
        for name, rule in rules.items():
            if "codes" in rule:
                ok &= df[name].isin(rule["codes"])
            else:
                x = pd.to_numeric(df[name], errors="coerce")
                ok &= x.between(rule["min"], rule["max"])
        return ok.to_numpy()

    fails("22.2", fractions_allowed, "installment_rate")


def test_22_2_hard_coded_rules():
    from mlcourse.exercises.nb22 import _rules

    fixed = _rules()
    fails("22.2", lambda df, rules: valid_rows(df, fixed), "stricter rules")


def test_22_2_every_column_checked_for_missing_values():
    fails("22.2", lambda df, rules: valid_rows(df, rules) & df.notna().all(axis=1).to_numpy(),
          "note")


def test_22_2_codes_stripped_and_lowercased():
    def lenient(df, rules):
        cleaned = df.copy()
        for name, rule in rules.items():
            if "codes" in rule:
                cleaned[name] = cleaned[name].str.strip().str.upper()
        return valid_rows(cleaned, rules)

    fails("22.2", lenient, "breaks the rule on")


def test_22_2_fills_in_place():
    def fills(df, rules):
        df.fillna({"credit_amount": 0}, inplace=True)
        return valid_rows(df, rules)

    fails("22.2", fills, "changed")


def test_22_2_returns_filtered_frame():
    fails("22.2", lambda df, rules: df[valid_rows(df, rules)], "DataFrame")


# --- 22.3 ------------------------------------------------------------------------------------

def search(y_val, score_val, c_good, c_bad):
    order = np.argsort(-score_val)
    s, y = score_val[order], y_val[order]
    # refusing the k highest scores: good refused = cumulative goods, bad accepted = rest
    good_refused = np.r_[0, np.cumsum(y == 0)]
    bad_accepted = y.sum() - np.r_[0, np.cumsum(y == 1)]
    cost = c_good * good_refused + c_bad * bad_accepted
    k = int(np.argmin(cost))
    return np.inf if k == 0 else s[k - 1]


def grid_search(y_val, score_val, c_good, c_bad):
    candidates = np.quantile(score_val, np.linspace(0, 1, 401))
    refused = score_val[None, :] >= candidates[:, None]
    cost = (c_good * (refused & (y_val == 0)).sum(1)
            + c_bad * (~refused & (y_val == 1)).sum(1))
    return candidates[np.argmin(cost)]


@pytest.mark.parametrize("answer", [search, grid_search])
def test_22_3_right_answers(answer):
    passes("22.3", answer)


def test_22_3_formula_on_scores():
    fails("22.3", lambda y, s, c_good, c_bad: c_good / (c_good + c_bad),
          "only for calibrated probabilities")


def test_22_3_half():
    fails("22.3", lambda y, s, c_good, c_bad: 0.5, "the best costs")


def test_22_3_swapped_costs():
    fails("22.3", lambda y, s, c_good, c_bad: search(y, s, c_bad, c_good), "swapped")


def test_22_3_best_accuracy():
    fails("22.3", lambda y, s, c_good, c_bad: search(y, s, 1.0, 1.0), "the best costs")


# --- 22.4 ------------------------------------------------------------------------------------

def gap_groupby(y_true, y_pred, groups):
    df = pd.DataFrame({"y": np.asarray(y_true), "p": np.asarray(y_pred),
                       "g": np.asarray(groups)})
    rates = df.groupby(["g", "y"])["p"].mean().unstack()
    return float((rates.max() - rates.min()).max())


def gap_numpy(y_true, y_pred, groups):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    _, g = np.unique(np.asarray(groups), return_inverse=True)
    gaps = []
    for label in (0, 1):
        mine = y_true == label
        rate = (np.bincount(g[mine], weights=y_pred[mine]) / np.bincount(g[mine]))
        gaps.append(rate.max() - rate.min())
    return max(gaps)


@pytest.mark.parametrize("answer", [gap_groupby, gap_numpy])
def test_22_4_right_answers(answer):
    passes("22.4", answer)


def test_22_4_fpr_only():
    def fpr_only(y_true, y_pred, groups):
        df = pd.DataFrame({"y": np.asarray(y_true), "p": np.asarray(y_pred),
                           "g": np.asarray(groups)})
        rate = df[df.y == 0].groupby("g")["p"].mean()
        return rate.max() - rate.min()

    fails("22.4", fpr_only, "false-positive rates")


def test_22_4_first_two_groups():
    def two(y_true, y_pred, groups):
        df = pd.DataFrame({"y": np.asarray(y_true), "p": np.asarray(y_pred),
                           "g": np.asarray(groups)})
        rates = df.groupby(["g", "y"])["p"].mean().unstack()
        return float((rates.iloc[1] - rates.iloc[0]).abs().max())

    fails("22.4", two, "first two")


def test_22_4_fairlearn_or_sklearn_forbidden():
    from sklearn.metrics import recall_score

    def with_recall(y_true, y_pred, groups):
        y_true, y_pred, groups = (np.asarray(a) for a in (y_true, y_pred, groups))
        tpr = [recall_score(y_true[groups == g], y_pred[groups == g])
               for g in np.unique(groups)]
        fpr = [1 - recall_score(1 - y_true[groups == g], 1 - y_pred[groups == g])
               for g in np.unique(groups)]
        return max(np.ptp(tpr), np.ptp(fpr))

    fails("22.4", with_recall, "called sklearn")


# --- 22.5 ------------------------------------------------------------------------------------

def retrain_on_interval(drift, importance, cost_reference, cost_recent):
    rng = np.random.default_rng(0)
    a = cost_recent[rng.integers(0, len(cost_recent), (2000, len(cost_recent)))].mean(1)
    b = cost_reference[rng.integers(0, len(cost_reference), (2000, len(cost_reference)))].mean(1)
    return bool(np.quantile(a - b, 0.025) > 0)


def retrain_on_z(drift, importance, cost_reference, cost_recent):
    difference = cost_recent.mean() - cost_reference.mean()
    se = np.sqrt(cost_recent.var(ddof=1) / len(cost_recent)
                 + cost_reference.var(ddof=1) / len(cost_reference))
    return bool(difference / se > 2)


@pytest.mark.parametrize("answer", [retrain_on_interval, retrain_on_z])
def test_22_5_right_answers(answer):
    passes("22.5", answer)


def test_22_5_always():
    fails("22.5", lambda *args: True, "right call is False")
    fails("22.5", lambda *args: False, "right call is True")


def test_22_5_any_drift():
    fails("22.5", lambda drift, *rest: bool((drift["psi"] > 0.25).any()), "Drift in the inputs")


def test_22_5_mean_higher():
    fails("22.5", lambda d, i, ref, recent: bool(recent.mean() > ref.mean()), "interval")


def test_22_5_important_drift_only():
    def weighted(drift, importance, ref, recent):
        return bool((drift["psi"] * importance.reindex(drift.index)).max() > 0.01)

    fails("22.5", weighted, "whether or not the inputs drift")


def test_22_5_not_a_bool():
    fails("22.5", lambda *args: "yes", "True or False")


# --- 22.6 ------------------------------------------------------------------------------------

def _each_change(predict_proba_bad, applicant, alternatives):
    for name, values in alternatives.items():
        for value in values:
            changed = applicant.copy()
            changed[name] = value
            yield float(predict_proba_bad(changed)[0]), name, value


def flip_by_copies(predict_proba_bad, applicant, alternatives, threshold):
    p, name, value = min(_each_change(predict_proba_bad, applicant, alternatives),
                         key=lambda change: change[0])
    return (name, value) if p < threshold else None


def flip_in_one_batch(predict_proba_bad, applicant, alternatives, threshold):
    options = [(name, value) for name, values in alternatives.items() for value in values]
    rows = pd.concat([applicant.assign(**{name: [value]}) for name, value in options],
                     ignore_index=True)
    p = np.asarray(predict_proba_bad(rows))
    best = int(np.argmin(p))
    return options[best] if p[best] < threshold else None


@pytest.mark.parametrize("answer", [flip_by_copies, flip_in_one_batch])
def test_22_6_right_answers(answer):
    passes("22.6", answer)


def test_22_6_edits_the_applicant_in_place():
    def in_place(predict_proba_bad, applicant, alternatives, threshold):
        best = None
        for name, values in alternatives.items():
            for value in values:
                applicant[name] = value
                p = float(predict_proba_bad(applicant)[0])
                if best is None or p < best[0]:
                    best = (p, name, value)
        return (best[1], best[2]) if best[0] < threshold else None

    fails("22.6", in_place, "in place")


def test_22_6_ignores_the_threshold():
    fails("22.6", lambda f, a, alt, t: flip_by_copies(f, a, alt, np.inf), "None")


def test_22_6_first_change_that_flips():
    def first(predict_proba_bad, applicant, alternatives, threshold):
        for p, name, value in _each_change(predict_proba_bad, applicant, alternatives):
            if p < threshold:
                return name, value
        return None

    fails("22.6", first, "lowers P(bad) more")


def test_22_6_riskiest_change():
    def riskiest(predict_proba_bad, applicant, alternatives, threshold):
        p, name, value = max(_each_change(predict_proba_bad, applicant, alternatives),
                             key=lambda change: change[0])
        return (name, value) if flip_by_copies(predict_proba_bad, applicant, alternatives,
                                               threshold) else None

    fails("22.6", riskiest, "does not lower")

"""Checkers for notebook 22_capstone.

Each checker calls the learner's function on fresh inputs made here (rows drawn from the
German credit data and corrupted, simulated applicants, simulated monitoring reports) and
compares the result with a reference computed in the check.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd

from mlcourse.exercises._core import (
    ExerciseFailed,
    as_array,
    exercise,
    expect,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import call_unmutated, expect_vectorised, forbidden_calls

_FROM_SCRATCH = "Write it yourself with NumPy or pandas, as the task says."


def _metric_libraries():
    """scikit-learn, the course's metrics and, when installed, fairlearn."""
    found = ["sklearn", "mlcourse.metrics"]
    if importlib.util.find_spec("fairlearn") is not None:
        found.append("fairlearn")
    return tuple(found)


# --- 22.1 the cost of a set of decisions ------------------------------------------------------

def _reference_cost(y_true, y_pred, cost):
    return float(np.asarray(cost, dtype=float)[np.asarray(y_true), np.asarray(y_pred)].mean())


@exercise("22.1", "The average cost of a set of decisions")
def check_average_cost(average_cost):
    rng = rng_for()
    credit = np.array([[0.0, 1.0], [5.0, 0.0]])
    y = (rng.random(600) < 0.3).astype(int)
    refuse_some = np.where(rng.random(600) < 0.75, y, 1 - y)
    index = rng.permutation(600) + 1000
    cases = [
        ("the dataset's cost matrix", y, refuse_some, credit),
        ("a matrix with a profit (negative cost) for a good customer accepted", y,
         refuse_some, np.array([[-0.4, 1.0], [5.0, 0.2]])),
        ("a matrix where refusing a good customer is the dearer error", y, refuse_some,
         [[0.0, 3.0], [2.0, 0.0]]),
        ("pandas Series with a shuffled index", pd.Series(y, index=index),
         pd.Series(refuse_some, index=index[::-1]), credit),
        ("plain lists, every applicant accepted", [0, 1, 1, 0, 0], [0, 0, 0, 0, 0],
         credit.tolist()),
    ]
    for what, y_true, y_pred, cost in cases:
        expected = _reference_cost(y_true, y_pred, cost)
        with forbidden_calls(*_metric_libraries(), why=_FROM_SCRATCH):
            got = call_unmutated(average_cost, y_true, y_pred, cost, what="average_cost")
        got = float(as_array(got, "Your average cost"))
        hint = ("Hint: cost[actual, predicted] for every applicant at once is "
                "np.asarray(cost)[y_true, y_pred] (NumPy arrays, not Series); then the mean.")
        if np.isclose(got, _reference_cost(y_pred, y_true, cost)) and not np.isclose(
                got, expected):
            hint = ("Hint: rows of the cost matrix are the actual class, columns the decision: "
                    "cost[y_true, y_pred], not cost[y_pred, y_true].")
        elif np.isclose(got, expected * len(np.asarray(y_true))) and not np.isclose(
                got, expected):
            hint = "Hint: that is the total; the task asks for the cost per applicant (the mean)."
        expect(np.isclose(got, expected, rtol=1e-9, atol=1e-12),
               f"With {what} the average cost is {expected:.6f}; you returned {got:.6f}. {hint}")
    n = 1_000_000
    big_y = (rng.random(n) < 0.3).astype(int)
    big_p = (rng.random(n) < 0.3).astype(int)
    # A loop over the million applicants costs about 40 times the reference; indexing the
    # cost matrix costs about what the reference does: a budget of 8 keeps both margins wide.
    expect_vectorised(lambda: average_cost(big_y, big_p, credit),
                      lambda: _reference_cost(big_y, big_p, credit), factor=8,
                      what="average_cost",
                      hint="Index the cost matrix with both label arrays at once instead of "
                           "looping over applicants.")
    return ("Right for three cost matrices (one with profits on the diagonal) given as arrays, "
            "Series and lists, without scikit-learn, without changing the inputs, and "
            "vectorised (timed on a million applicants).")


# --- 22.2 data validation ---------------------------------------------------------------------

_CODES = {
    "checking_status": ["A11", "A12", "A13", "A14"],
    "credit_history": ["A30", "A31", "A32", "A33", "A34"],
    "purpose": ["A40", "A41", "A42", "A43", "A44", "A45", "A46", "A47", "A48", "A49", "A410"],
    "savings": ["A61", "A62", "A63", "A64", "A65"],
    "employment_since": ["A71", "A72", "A73", "A74", "A75"],
    "personal_status_sex": ["A91", "A92", "A93", "A94", "A95"],
    "housing": ["A151", "A152", "A153"],
}
_RANGES = {
    "duration_months": (1, 72),
    "credit_amount": (1, 20_000),
    "installment_rate": (1, 4),
    "age": (18, 100),
    "existing_credits": (1, 4),
}


def _rules(**overrides) -> dict:
    rules = {name: {"codes": list(codes)} for name, codes in _CODES.items()}
    rules.update({name: {"min": low, "max": high} for name, (low, high) in _RANGES.items()})
    rules.update(overrides)
    return rules


def _reference_valid(df: pd.DataFrame, rules: dict) -> np.ndarray:
    ok = np.ones(len(df), dtype=bool)
    for name, rule in rules.items():
        values = df[name]
        if "codes" in rule:
            ok &= values.isin(rule["codes"]).to_numpy()
        else:
            number = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
            with np.errstate(invalid="ignore"):
                ok &= (np.isfinite(number) & (number == np.floor(number))
                       & (number >= rule["min"]) & (number <= rule["max"]))
    return ok


def _fresh_rows(rng, n: int) -> pd.DataFrame:
    from mlcourse.datasets import load_german_credit

    data = load_german_credit()
    return data.iloc[rng.choice(len(data), n, replace=False)].reset_index(drop=True)


def _corrupted_numeric(rng) -> pd.DataFrame:
    df = _fresh_rows(rng, 300)
    df["installment_rate"] = df["installment_rate"].astype(float)
    df["credit_amount"] = df["credit_amount"].astype(float)
    rows = iter(rng.permutation(300))
    for name, value in (("age", 15), ("age", 17), ("age", 120), ("duration_months", 0),
                        ("duration_months", 73), ("installment_rate", 2.5),
                        ("installment_rate", 0), ("credit_amount", np.nan),
                        ("credit_amount", -250.0), ("existing_credits", 9),
                        ("checking_status", "A19"), ("checking_status", "a11"),
                        ("purpose", "A411"), ("savings", None), ("housing", "A152 "),
                        ("personal_status_sex", ""), ("employment_since", np.nan),
                        # on the boundaries: valid
                        ("age", 18), ("age", 100), ("duration_months", 72),
                        ("credit_amount", 20_000.0), ("installment_rate", 4.0)):
        df.loc[next(rows), name] = value
    return df


def _text_in_numbers(rng) -> pd.DataFrame:
    df = _fresh_rows(rng, 120)
    age = df["age"].astype(object)
    age.iloc[[3, 40, 77]] = ["forty", "n/a", "unknown"]
    df["age"] = age
    return df


@exercise("22.2", "A validation function for incoming applications")
def check_validation(valid_rows):
    rng = rng_for()
    clean = _fresh_rows(rng, 200)
    extra = clean.copy()
    extra["note"] = np.where(rng.random(200) < 0.5, None, "called back")  # not in the rules
    cases = [
        ("300 fresh rows, 17 of them corrupted (ranges, whole numbers, missing values, "
         "unknown codes) and 5 exactly on a boundary", _corrupted_numeric(rng), _rules()),
        ("rows with text in the numeric column age", _text_in_numbers(rng), _rules()),
        ("stricter rules (age 21 to 70, at most 36 months)", clean,
         _rules(age={"min": 21, "max": 70}, duration_months={"min": 1, "max": 36})),
        ("rules on three columns only, and a column 'note' with missing values that no rule "
         "covers", extra, {"age": {"min": 18, "max": 100}, "housing": {"codes": ["A151", "A152"]},
                           "installment_rate": {"min": 1, "max": 3}}),
    ]
    for what, df, rules in cases:
        expected = _reference_valid(df, rules)
        got = call_unmutated(valid_rows, df, rules, what="valid_rows")
        if isinstance(got, pd.DataFrame):
            raise ExerciseFailed("You returned a DataFrame; return one True/False per row "
                                 "(True = the row passes every rule), in the rows' order.")
        got = np.asarray(got)
        expect(got.shape == expected.shape,
               f"For {what} you returned shape {got.shape}; expected one value per row, "
               f"{expected.shape}.")
        expect(got.dtype == bool or np.isin(got, [0, 1]).all(),
               "Return booleans: True when the row passes every rule.")
        got = got.astype(bool)
        wrong = np.flatnonzero(got != expected)
        if wrong.size:
            row = int(wrong[0])
            broken = [name for name in rules
                      if not _reference_valid(df.iloc[[row]], {name: rules[name]})[0]]
            shown = {name: df.at[row, name] for name in (broken or list(rules)[:3])}
            verdict = "accepted" if got[row] else "rejected"
            reason = (f"it breaks the rule on {', '.join(broken)} ({rules[broken[0]]})"
                      if broken else "it passes every rule (minimum and maximum are inclusive; "
                      "columns without a rule are not checked)")
            raise ExerciseFailed(
                f"For {what}: you judged {wrong.size} row(s) wrongly. Row {row}, with "
                f"{shown}, was {verdict}, but {reason}. Hint: per rule, codes -> "
                "column.isin(codes); numbers -> pd.to_numeric(column, errors='coerce') is NaN "
                "for text, then whole (x == np.floor(x)) and min <= x <= max; a missing value "
                "fails both.")
    return ("Right on 4 fresh batches: corrupted values, text in a number column, boundary "
            "values, rules of your caller's choosing, columns without rules; the input was "
            "left unchanged.")


# --- 22.3 the threshold from the costs, on scores that are not probabilities -----------------

def _logit(p):
    return np.log(p) - np.log1p(-p)


def _average_cost(y, score, threshold, cost_refuse_good, cost_accept_bad):
    refused = score >= threshold
    return (cost_refuse_good * np.sum(refused & (y == 0))
            + cost_accept_bad * np.sum(~refused & (y == 1))) / len(y)


@exercise("22.3", "The threshold from the costs, for any score")
def check_threshold(choose_threshold):
    rng = rng_for()
    situations = [
        ("the credit costs (1 and 5), scores from a margin (any real number)", 1.0, 5.0,
         lambda p: 1.5 * _logit(p) + 0.8),
        ("the credit costs, probabilities inflated by class weights", 1.0, 5.0,
         lambda p: p ** 0.4),
        ("a bad customer accepted costs 12, scores deflated", 1.0, 12.0, lambda p: p ** 2.5),
        ("calibrated probabilities, costs 2 (good refused) and 3 (bad accepted)", 2.0, 3.0,
         lambda p: p),
    ]
    for what, c_good, c_bad, score_of in situations:
        p_val = rng.beta(2, 5, 3000)
        y_val = (rng.random(3000) < p_val).astype(int)
        p_new = rng.beta(2, 5, 200_000)
        y_new = (rng.random(200_000) < p_new).astype(int)
        s_val, s_new = score_of(p_val), score_of(p_new)
        got = call_unmutated(choose_threshold, y_val, s_val, c_good, c_bad,
                             what="choose_threshold")
        threshold = float(as_array(got, "Your threshold"))
        best = _average_cost(y_new, s_new, score_of(c_good / (c_good + c_bad)), c_good, c_bad)
        yours = _average_cost(y_new, s_new, threshold, c_good, c_bad)
        hint = ("Hint: these scores are not probabilities, so no formula gives the threshold; "
                "try every distinct validation score as a threshold, compute the average cost "
                "of refusing score >= t, and keep the cheapest.")
        swapped_best = _average_cost(y_new, s_new, score_of(c_bad / (c_good + c_bad)),
                                     c_bad, c_good)
        if _average_cost(y_new, s_new, threshold, c_bad, c_good) <= swapped_best * 1.05 + 1e-4:
            hint = ("Hint: the costs look swapped: the dearer it is to accept a bad customer, "
                    "the more applicants should be refused (a lower threshold).")
        elif np.isclose(threshold, c_good / (c_good + c_bad)):
            hint = ("Hint: cost_refuse_good / (cost_refuse_good + cost_accept_bad) is the "
                    "right threshold only for calibrated probabilities; these scores are not. "
                    "Search the threshold on the validation rows instead.")
        expect(yours <= best * 1.05 + 1e-4,
               f"With {what}, your threshold {threshold:.4g} costs {yours:.4f} per new "
               f"applicant; the best costs {best:.4f}. {hint}")
    return ("On 200,000 new applicants your thresholds cost within 5 % of the best rule, for "
            "four cost ratios and four kinds of score (margins, inflated, deflated, calibrated).")


# --- 22.4 the equalized-odds gap over any number of groups ------------------------------------

def _rates(y_true, y_pred, groups):
    y_true, y_pred, groups = (np.asarray(a) for a in (y_true, y_pred, groups))
    tpr, fpr = [], []
    for g in np.unique(groups):
        mine = groups == g
        tpr.append(np.mean(y_pred[mine & (y_true == 1)] == 1))
        fpr.append(np.mean(y_pred[mine & (y_true == 0)] == 1))
    return np.array(tpr), np.array(fpr)


def _reference_gap(y_true, y_pred, groups):
    tpr, fpr = _rates(y_true, y_pred, groups)
    return max(np.ptp(tpr), np.ptp(fpr))


def _biased(rng, n, labels, fpr, tpr):
    groups = labels[rng.integers(0, len(labels), n)]
    y = (rng.random(n) < 0.3).astype(int)
    position = np.searchsorted(np.sort(labels), groups) if labels.dtype.kind in "US" else groups
    p_refuse = np.where(y == 1, np.asarray(tpr)[position], np.asarray(fpr)[position])
    return y, (rng.random(n) < p_refuse).astype(int), groups


@exercise("22.4", "The equalized-odds gap over any number of groups")
def check_equalized_odds(equalized_odds_gap):
    rng = rng_for()
    sexes = np.array(["female", "male"])
    bands = np.array(["18-25", "26-40", "41-60", "61+"])
    cases = [
        ("two groups, the gap in the good customers refused",
         *_biased(rng, 800, sexes, fpr=[0.35, 0.15], tpr=[0.7, 0.68])),
        ("four age bands, the gap in the bad customers refused",
         *_biased(rng, 2000, bands, fpr=[0.2, 0.18, 0.2, 0.22], tpr=[0.45, 0.7, 0.75, 0.9])),
        ("five integer groups", *_biased(rng, 3000, np.arange(5),
                                         fpr=[0.1, 0.3, 0.2, 0.25, 0.15],
                                         tpr=[0.6, 0.7, 0.5, 0.8, 0.65])),
    ]
    y, pred, groups = _biased(rng, 500, sexes, fpr=[0.3, 0.2], tpr=[0.5, 0.8])
    index = rng.permutation(500) + 7
    cases.append(("pandas Series with a shuffled index", pd.Series(y, index=index),
                  pd.Series(pred, index=index), pd.Series(groups, index=index)))
    for what, y_true, y_pred, group in cases:
        expected = _reference_gap(y_true, y_pred, group)
        with forbidden_calls(*_metric_libraries(), why=_FROM_SCRATCH):
            got = call_unmutated(equalized_odds_gap, y_true, y_pred, group,
                                 what="equalized_odds_gap")
        got = float(as_array(got, "Your gap"))
        tpr, fpr = _rates(y_true, y_pred, group)
        hint = ("Hint: per group, TPR = share of its bad customers (y_true == 1) refused and "
                "FPR = share of its good customers (y_true == 0) refused; the gap is "
                "max(TPR.max() - TPR.min(), FPR.max() - FPR.min()).")
        if np.isclose(got, np.ptp(fpr)) and not np.isclose(got, expected):
            hint = ("Hint: you measured only the false-positive rates; equalized odds also "
                    "asks the true-positive rates to match: take the larger of the two gaps.")
        elif np.isclose(got, np.ptp(tpr)) and not np.isclose(got, expected):
            hint = ("Hint: you measured only the true-positive rates; the false-positive rates "
                    "count too: take the larger of the two gaps.")
        elif np.isclose(got, max(abs(tpr[1] - tpr[0]), abs(fpr[1] - fpr[0]))):
            hint = ("Hint: with more than two groups the gap is between the highest and the "
                    "lowest rate of all groups, not between the first two.")
        elif got < 0:
            hint = "Hint: a gap is a difference of the largest minus the smallest rate: >= 0."
        expect(np.isclose(got, expected, rtol=1e-9, atol=1e-12),
               f"For {what} the gap is {expected:.6f}; you returned {got:.6f}. {hint}")
    return ("Right for 2, 4 and 5 groups, string, integer and Series inputs, without a "
            "fairness or metrics library and without changing the inputs.")


# --- 22.5 retrain or not (judgement) ----------------------------------------------------------

_FEATURES = ["checking_status", "duration_months", "credit_amount", "age", "purpose",
             "telephone"]
_IMPORTANCE = pd.Series([0.11, 0.05, 0.03, 0.012, 0.02, 0.0005], index=_FEATURES,
                        name="importance")


def _drift_report(rng, psi: dict) -> pd.DataFrame:
    rows = []
    for name in _FEATURES:
        value = psi.get(name, float(rng.uniform(0.002, 0.04)))
        numeric = name in ("duration_months", "credit_amount", "age")
        rows.append({"feature": name, "kind": "numeric" if numeric else "categorical",
                     "psi": value, "statistic": float(np.sqrt(value) / 2) if numeric else
                     float(600 * value),
                     "pvalue": np.nan if numeric else float(np.exp(-300 * value))})
    return pd.DataFrame(rows).set_index("feature")


def _costs(rng, n: int, n_bad_accepted: int, n_good_refused: int) -> np.ndarray:
    cost = np.zeros(n)
    cost[:n_bad_accepted] = 5.0
    cost[n_bad_accepted:n_bad_accepted + n_good_refused] = 1.0
    return rng.permutation(cost)


@exercise("22.5", "Retrain or not? (judgement)")
def check_retrain(should_retrain):
    rng = rng_for()
    reference = _costs(rng, 250, 15, 60)  # 0.54 per applicant on the test set at deployment
    scenarios = [
        ("nothing drifts and the cost per applicant is the same", {},
         _costs(rng, 300, 18, 72), False),
        ("'telephone' drifts a lot (PSI 0.9) but the model hardly uses it; the cost is the same",
         {"telephone": 0.9}, _costs(rng, 300, 18, 72), False),
        ("checking_status and duration drift (PSI 0.45 and 0.3) and the cost nearly doubles on "
         "300 labelled applicants", {"checking_status": 0.45, "duration_months": 0.3},
         _costs(rng, 300, 50, 75), True),
        ("nothing drifts in the inputs, but the cost nearly doubles on 300 labelled applicants "
         "(the link between inputs and outcome changed)", {}, _costs(rng, 300, 50, 75), True),
        ("nothing drifts; the cost is a little higher, measured on only 40 labelled applicants",
         {}, _costs(rng, 40, 3, 10), False),
        ("age drifts moderately (PSI 0.15); the cost is slightly lower", {"age": 0.15},
         _costs(rng, 300, 16, 70), False),
    ]
    for what, psi, recent, expected in scenarios:
        drift = _drift_report(rng, psi)
        got = call_unmutated(should_retrain, drift, _IMPORTANCE.copy(), reference.copy(), recent,
                             what="should_retrain")
        expect(isinstance(got, (bool, np.bool_)),
               f"Return True or False; got {type(got).__name__}.")
        if bool(got) != expected:
            why = {
                (False, "drift"): "Drift in the inputs alone is a reason to look, not to "
                                  "retrain: the cost, which is what the bank pays, has not "
                                  "moved.",
                (False, "noise"): "A few dozen labelled applicants cannot tell a small rise "
                                  "from chance: put an interval (a bootstrap of the difference "
                                  "of the mean costs) around it before acting.",
                (True, "cost"): "The cost the bank pays has risen by far more than chance "
                                "explains; that is the reason to retrain, whether or not the "
                                "inputs drift.",
                (False, "calm"): "Nothing changed: the inputs are stable and the cost is the "
                                 "same; retraining would spend effort, and risk a worse model, "
                                 "for nothing.",
            }
            kind = ("cost" if expected else "noise" if len(recent) < 100
                    else "drift" if psi else "calm")
            raise ExerciseFailed(
                f"When {what}, you answered {bool(got)}; the right call is {expected}. "
                f"{why[(expected, kind)]}")
    return ("Right call in six monitoring situations: drift without a cost rise, a cost rise "
            "without drift, both, noise on a few labels, and calm.")


# --- 22.6 the one change that would flip a refusal --------------------------------------------

def _scoring_model(rng):
    """A fresh logistic scoring rule of four columns: DataFrame -> P(bad)."""
    w_status = dict(zip(["A11", "A12", "A13", "A14"], rng.uniform([0.8, 0.3, -0.5, -1.4],
                                                                   [1.4, 0.7, -0.1, -0.8]),
                        strict=True))
    w_savings = dict(zip(["A61", "A62", "A63", "A64", "A65"],
                         rng.uniform([0.3, 0.0, -0.4, -0.9, -0.3], [0.6, 0.2, -0.1, -0.5, 0.0]),
                         strict=True))
    w_duration, w_age = rng.uniform(0.02, 0.05), rng.uniform(-0.03, -0.01)

    def predict_proba_bad(df):
        z = (-0.6 + df["checking_status"].map(w_status).to_numpy(dtype=float)
             + df["savings"].map(w_savings).to_numpy(dtype=float)
             + w_duration * (df["duration_months"].to_numpy(dtype=float) - 20)
             + w_age * (df["age"].to_numpy(dtype=float) - 35))
        return 1 / (1 + np.exp(-z))

    return predict_proba_bad


def _all_changes(predict_proba_bad, applicant, alternatives):
    """(P(bad) after the change, column, value) for every single change, P(bad) now."""
    now = float(predict_proba_bad(applicant)[0])
    found = []
    for name, values in alternatives.items():
        for value in values:
            changed = applicant.copy()
            changed[name] = value
            found.append((float(predict_proba_bad(changed)[0]), name, value))
    return found, now


@exercise("22.6", "The one change that would flip a refusal")
def check_flip(flip_refusal):
    rng = rng_for()
    model = _scoring_model(rng)
    alternatives = {"checking_status": ["A12", "A13", "A14"], "savings": ["A62", "A63", "A64"],
                    "duration_months": [12, 24, 36]}
    applicants = [
        pd.DataFrame({"checking_status": ["A11"], "savings": ["A61"], "duration_months": [36],
                      "age": [23]}, index=[417]),
        pd.DataFrame({"checking_status": ["A14"], "savings": ["A61"], "duration_months": [60],
                      "age": [30]}, index=[8]),
        pd.DataFrame({"checking_status": ["A12"], "savings": ["A64"], "duration_months": [48],
                      "age": [52]}, index=[77]),
    ]
    for number, applicant in enumerate(applicants):
        changes, now = _all_changes(model, applicant, alternatives)
        best_p, best_name, best_value = min(changes, key=lambda change: change[0])
        for flips in (True, False):
            # a threshold just above the best change (it flips), or just below it (nothing does)
            threshold = best_p + (now - best_p) * (0.3 if flips else -0.3)
            threshold = min(threshold, now)
            what = (f"applicant {number + 1} (P(bad) = {now:.3f}, threshold {threshold:.3f})")
            got = call_unmutated(flip_refusal, model, applicant, alternatives, threshold,
                                 what="flip_refusal")
            if not flips:
                expect(got is None,
                       f"For {what} no single change brings P(bad) below the threshold (the "
                       f"best reaches {best_p:.3f}), so the answer is None; you returned "
                       f"{got!r}.")
                continue
            name, value = unpack(got, ("column", "value"), f"For {what} your result")
            mine = {(n, v): p for p, n, v in changes}
            expect((name, value) in mine,
                   f"For {what} you returned {got!r}, which is not one of the alternatives.")
            hint = ("Hint: try every (column, value) of `alternatives` on a copy of the "
                    "applicant, and keep the one with the lowest P(bad).")
            if mine[(name, value)] >= now:
                hint = ("Hint: that change does not lower P(bad) (it keeps or raises the risk); "
                        "look for the lowest P(bad).")
            elif mine[(name, value)] < threshold:
                hint = ("Hint: that change flips the decision, but another one lowers P(bad) "
                        "more; return the strongest.")
            expect((name, value) == (best_name, best_value),
                   f"For {what} the change that lowers P(bad) most is {best_name} = "
                   f"{best_value!r} (to {best_p:.3f}); you returned {name} = {value!r} (to "
                   f"{mine[(name, value)]:.3f}). {hint}")
    return ("Right for three applicants, each at a threshold one change can cross and one no "
            "change can, with the applicant and the alternatives left unchanged.")

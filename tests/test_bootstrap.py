"""Tests of mlcourse.model_selection.bootstrap_interval and paired_bootstrap_interval:
an exact hand computation with a fixed seed, agreement with scipy.stats.bootstrap's percentile
method, coverage on a simulated case, the paired difference, and clear errors."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mlcourse.metrics import accuracy_score, mean_absolute_error, roc_auc_score
from mlcourse.model_selection import bootstrap_interval, paired_bootstrap_interval


def _noisy_labels(rng, n, accuracy):
    y = rng.integers(0, 2, n)
    return y, np.where(rng.random(n) < accuracy, y, 1 - y)


def test_exact_against_hand_computation():
    rng = np.random.default_rng(0)
    y, pred = _noisy_labels(rng, 50, 0.7)
    result = bootstrap_interval(accuracy_score, y, pred, n_resamples=200, confidence=0.9,
                                random_state=42)
    state = np.random.RandomState(42)
    scores = []
    for _ in range(200):
        rows = state.randint(0, 50, size=50)
        scores.append(np.mean(y[rows] == pred[rows]))
    assert result.estimate == np.mean(y == pred)
    np.testing.assert_allclose(result.distribution, scores, rtol=0, atol=1e-15)
    low, high = np.percentile(scores, [5, 95])
    assert result.low == pytest.approx(low, abs=1e-15)
    assert result.high == pytest.approx(high, abs=1e-15)
    assert result.confidence == 0.9
    # the same seed gives the same interval
    again = bootstrap_interval(accuracy_score, y, pred, n_resamples=200, confidence=0.9,
                               random_state=42)
    assert again[:4] == result[:4]


def test_agrees_with_scipy_percentile_bootstrap():
    rng = np.random.default_rng(1)
    y = rng.normal(size=300)
    pred = y + rng.normal(size=300) * 0.5
    ours = bootstrap_interval(mean_absolute_error, y, pred, n_resamples=4000, random_state=0)
    theirs = stats.bootstrap((y, pred), mean_absolute_error, paired=True, vectorized=False,
                             n_resamples=4000, method="percentile", random_state=1)
    width = ours.high - ours.low
    # two independent Monte-Carlo runs of 4000 resamples: the ends agree to a few % of the width
    assert abs(ours.low - theirs.confidence_interval.low) < 0.06 * width
    assert abs(ours.high - theirs.confidence_interval.high) < 0.06 * width
    assert ours.distribution.std() == pytest.approx(theirs.standard_error, rel=0.06)


def test_coverage_on_a_simulated_case():
    """A 90 % interval of an accuracy should hold the true accuracy about 90 % of the time."""
    rng = np.random.default_rng(2)
    true_accuracy, hits, n_trials = 0.8, 0, 100
    for trial in range(n_trials):
        y, pred = _noisy_labels(rng, 150, true_accuracy)
        result = bootstrap_interval(accuracy_score, y, pred, n_resamples=200, confidence=0.9,
                                    random_state=trial)
        hits += result.low <= true_accuracy <= result.high
    # binomial(100, 0.9) lies in [80, 97] with probability > 0.998; the percentile
    # bootstrap undercovers slightly at n = 150, so the lower bound is a little looser
    assert 78 <= hits <= 98, hits


def test_paired_interval_is_narrower_and_centred_on_the_difference():
    rng = np.random.default_rng(3)
    n = 400
    y = rng.integers(0, 2, n)
    a = np.where(rng.random(n) < 0.2, 1 - y, y)
    b = np.where(rng.random(n) < 0.08, 1 - y, a)  # b errs where a does, and on 8 % more
    diff = paired_bootstrap_interval(accuracy_score, y, a, b, n_resamples=500, random_state=0)
    assert diff.estimate == pytest.approx(accuracy_score(y, a) - accuracy_score(y, b))
    assert diff.low <= diff.estimate <= diff.high
    ia = bootstrap_interval(accuracy_score, y, a, n_resamples=500, random_state=0)
    ib = bootstrap_interval(accuracy_score, y, b, n_resamples=500, random_state=0)
    assert diff.high - diff.low < 0.8 * ((ia.high - ia.low) + (ib.high - ib.low)) / 2
    # the same model twice: every resampled difference is exactly 0
    same = paired_bootstrap_interval(accuracy_score, y, a, a, n_resamples=50, random_state=0)
    assert same.low == same.high == 0


def test_probabilities_dataframes_and_undefined_resamples():
    rng = np.random.default_rng(4)
    y = np.r_[1, np.zeros(9, dtype=int)]  # one positive: many resamples miss it
    score = rng.random(10)
    with pytest.warns(RuntimeWarning, match="undefined score"):
        result = bootstrap_interval(roc_auc_score, y, score, n_resamples=100, random_state=0)
    assert np.isnan(result.distribution).any() and np.isfinite([result.low, result.high]).all()
    frame = pd.Series(rng.integers(0, 2, 30), index=np.arange(100, 130))
    preds = pd.Series(rng.integers(0, 2, 30), index=np.arange(100, 130))
    by_position = bootstrap_interval(accuracy_score, frame, preds, n_resamples=20,
                                     random_state=0)
    plain = bootstrap_interval(accuracy_score, frame.to_numpy(), preds.to_numpy(),
                               n_resamples=20, random_state=0)
    assert by_position[:4] == plain[:4]


def test_errors():
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_interval(accuracy_score, [0, 1], [0, 1], confidence=95)
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_interval(accuracy_score, [0, 1], [0, 1], n_resamples=0)
    with pytest.raises(ValueError, match="inconsistent"):
        bootstrap_interval(accuracy_score, [0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="Every resample"):
        bootstrap_interval(lambda y, p: np.nan, [0, 1], [0, 1], n_resamples=5)

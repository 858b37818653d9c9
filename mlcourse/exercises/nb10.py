"""Checkers for notebook 10_neural_networks.

Each checker calls the learner's function on fresh random inputs and compares the result with
the course's reference (``mlcourse.neural_network``) or a direct NumPy computation.
"""

from __future__ import annotations

import numpy as np

from mlcourse.exercises._core import (
    ExerciseFailed,
    as_array,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.exercises._guards import call_unmutated
from mlcourse.neural_network import AdamOptimizer


def _as_arrays(got, names):
    return [np.asarray(g, dtype=float) for g in unpack(got, names)]


def _weighted_reference(Z, Y, w):
    Z = Z - Z.max(axis=1, keepdims=True)
    log_P = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    per_row = -(Y * log_P).sum(axis=1)
    return np.sum(w * per_row) / w.sum(), w[:, None] * (np.exp(log_P) - Y) / w.sum()


@exercise("10.1", "A weighted softmax cross-entropy and its gradient")
def check_weighted_cross_entropy(weighted_cross_entropy):
    rng = rng_for()
    for n, k, scale, weights in [(6, 3, 1.0, "uneven"), (1, 5, 2.0, "uneven"),
                                 (40, 10, 1.0, "integer"), (8, 4, 500.0, "uneven"),
                                 (12, 3, 1.0, "ones")]:
        Z = rng.normal(0.0, scale, size=(n, k))
        Y = np.eye(k)[rng.integers(0, k, size=n)]
        w = {"uneven": rng.uniform(0.1, 5.0, n), "integer": rng.integers(0, 4, n) + (
            np.arange(n) == 0), "ones": np.ones(n)}[weights].astype(float)
        expected_loss, expected_dZ = _weighted_reference(Z, Y, w)
        loss, dZ = _as_arrays(call_unmutated(weighted_cross_entropy, Z, Y, w,
                                             what="weighted_cross_entropy"), ["loss", "dZ"])
        expect(loss.ndim == 0, f"The loss should be one number; got shape {loss.shape}.")
        expect(dZ.shape == Z.shape, f"dZ should have the shape of Z, {Z.shape}; got {dZ.shape}.")
        if scale > 100:
            expect(np.isfinite(loss) and np.all(np.isfinite(dZ)),
                   "With large logits (hundreds) you get inf or nan: subtract each row's "
                   "maximum from Z before np.exp; it does not change the softmax.")
        if np.allclose(dZ, -expected_dZ):
            raise ExerciseFailed("dZ has the wrong sign: it is w_i (softmax(Z) - Y)_i / sum(w).")
        uneven = np.ptp(w) > 0  # with equal weights every answer below is right
        unweighted_dZ = (expected_dZ / w[:, None]) * w.sum() / n if np.all(w > 0) else None
        if uneven and unweighted_dZ is not None and np.allclose(dZ, unweighted_dZ):
            raise ExerciseFailed("dZ ignores the weights: row i's share of the loss is "
                                 "w_i / sum(w), so its gradient row is multiplied by it too.")
        if uneven and np.allclose(dZ, expected_dZ * w.sum() / n):
            raise ExerciseFailed("dZ is divided by n instead of by the sum of the weights: "
                                 "the loss is a weighted mean, sum(w_i ce_i) / sum(w).")
        expect_close(loss, expected_loss, f"The loss for {n} rows and {k} classes ({weights} "
                     "weights)", "Hint: sum(w_i * ce_i) / sum(w), with ce_i = -log p of row i's "
                     "true class and log p = z - max(z) - log(sum(exp(z - max(z)))).")
        expect_close(dZ, expected_dZ, f"dZ for {n} rows and {k} classes ({weights} weights)",
                     "Hint: w[:, None] * (softmax(Z) - Y) / w.sum().")
    return ("Loss and gradient are right for uneven, integer (some zero) and equal weights, "
            "and stable for large logits.")


def _residual_layer_reference(A, W, b, dH):
    dZ = dH * (A @ W + b > 0)
    return dH + dZ @ W.T, A.T @ dZ, dZ.sum(axis=0)


@exercise("10.2", "A residual layer's backward pass")
def check_residual_backward(residual_layer_backward):
    rng = rng_for()
    for n, d in [(5, 3), (1, 6), (30, 8)]:
        A = rng.normal(size=(n, d))
        W = rng.normal(size=(d, d))
        b = rng.normal(size=d)
        dH = rng.normal(size=(n, d))
        dA_ref, dW_ref, db_ref = _residual_layer_reference(A, W, b, dH)
        dA, dW, db = _as_arrays(
            call_unmutated(residual_layer_backward, A, W, b, dH, what="residual_layer_backward"),
            ["dA", "dW", "db"])
        for name, got, ref in [("dA", dA, dA_ref), ("dW", dW, dW_ref), ("db", db, db_ref)]:
            expect(got.shape == ref.shape,
                   f"{name} should have shape {ref.shape} (like {name[1:]}); got {got.shape}. "
                   "Hint: every gradient has the shape of the thing it is the gradient of.")
        some_inactive = bool(np.any(A @ W + b <= 0))
        if some_inactive and np.allclose(dW, A.T @ dH) and np.allclose(db, dH.sum(axis=0)):
            raise ExerciseFailed("You skipped the ReLU: first dZ = dH * (Z > 0) with "
                                 "Z = A @ W + b, then use dZ for dW, db and the branch's dA.")
        expect_close(dW, dW_ref, "dW", "Hint: A.T @ dZ with dZ = dH * (Z > 0).")
        expect_close(db, db_ref, "db", "Hint: the sum of dZ over the rows (axis=0).")
        if np.allclose(dA, dA_ref - dH):
            raise ExerciseFailed("dA misses the skip connection: A reaches H directly too, so "
                                 "dL/dA = dH (through the identity) + dZ @ W.T (through the "
                                 "layer).")
        expect_close(dA, dA_ref, "dA", "Hint: dH + dZ @ W.T: the two paths from A to H add up.")
    return ("All three gradients are right, the skip connection included, without changing "
            "the inputs.")


# --- 10.3 debug a backward pass --------------------------------------------------------------

def _tanh_network(rng, n, d_in, d_hidden, k):
    net = {"W1": rng.normal(0, 1 / np.sqrt(d_in), size=(d_in, d_hidden)),
           "b1": rng.normal(0, 0.5, size=d_hidden),
           "W2": rng.normal(0, 1 / np.sqrt(d_hidden), size=(d_hidden, k)),
           "b2": rng.normal(0, 0.5, size=k)}
    X = rng.normal(size=(n, d_in))
    Y = np.eye(k)[rng.integers(0, k, n)]
    Z1 = X @ net["W1"] + net["b1"]
    H1 = np.tanh(Z1)
    Z2 = H1 @ net["W2"] + net["b2"]
    E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    return net, {"X": X, "Z1": Z1, "H1": H1, "Z2": Z2}, P, Y


def _tanh_gradients(P, Y, cache, net):
    delta2 = (P - Y) / len(Y)
    delta1 = (delta2 @ net["W2"].T) * (1 - cache["H1"] ** 2)
    return {"W2": cache["H1"].T @ delta2, "b2": delta2.sum(axis=0),
            "W1": cache["X"].T @ delta1, "b1": delta1.sum(axis=0)}


@exercise("10.3", "Debug a backward pass with gradient checking")
def check_tanh_backward(tanh_backward_pass):
    rng = rng_for()
    for n, d_in, d_hidden, k in [(20, 5, 4, 3), (1, 3, 6, 2), (64, 16, 12, 10)]:
        net, cache, P, Y = _tanh_network(rng, n, d_in, d_hidden, k)
        expected = _tanh_gradients(P, Y, cache, net)
        got = call_unmutated(tanh_backward_pass, P, Y, cache, net, what="tanh_backward_pass")
        expect(isinstance(got, dict) and set(expected) <= set(got),
               "Return a dict with the gradients 'W1', 'b1', 'W2' and 'b2', like "
               "backward_pass.")
        got = {name: as_array(got[name], f"grads['{name}']") for name in expected}
        for name in expected:
            expect(got[name].shape == expected[name].shape,
                   f"grads['{name}'] should have shape {expected[name].shape}; got "
                   f"{got[name].shape}.")
        with_z = (((P - Y) / n) @ net["W2"].T) * (1 - cache["Z1"] ** 2)
        if np.allclose(got["W1"], cache["X"].T @ with_z):
            raise ExerciseFailed("The first layer is still wrong: tanh'(z) = 1 - tanh(z)**2, "
                                 "which is 1 - H1**2 (the layer's output), not 1 - Z1**2.")
        if n > 1 and np.allclose(got["b1"], expected["b1"] / n):
            raise ExerciseFailed("grads['b1'] is n times too small: the 1/n is already in "
                                 "delta2, so the bias gradient is a sum over rows, not a mean.")
        for name in ["W2", "b2", "W1", "b1"]:
            # 1e-9: exact backpropagation agrees to round-off; finite differences cannot.
            expect_close(got[name], expected[name], f"grads['{name}'] ({n} rows)",
                         "Hint: compare each gradient with numerical_gradients on a small "
                         "network and fix the lines of the one that disagrees; the answer "
                         "must be the exact (backpropagated) gradient.", rtol=1e-9, atol=1e-12)
    return ("Your backward pass gives the exact gradients of the tanh network: both bugs "
            "found.")


# --- 10.5 judgement: a learning rate from short runs ----------------------------------------

def _quadratic_problem(rng):
    curvature = np.geomspace(1 / 300, 1, 20) * rng.uniform(0.5, 50)
    return curvature, rng.normal(size=20)


def _loss_curve(curvature, w0, rate, epochs, steps_per_epoch=20):
    """Training loss after each epoch of gradient descent on 0.5 * sum(curvature * w**2)."""
    w, losses = w0.copy(), []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            for _ in range(steps_per_epoch):
                w = w - rate * curvature * w
            losses.append(0.5 * np.sum(curvature * w * w))
    return np.array(losses)


@exercise("10.5", "Pick the learning rate from short runs")
def check_pick_learning_rate(pick_learning_rate):
    rng = rng_for()
    for case in range(4):
        curvature, w0 = _quadratic_problem(rng)
        largest = curvature.max()
        rates = sorted({float(f"{2.1 / largest / 3**j:.2g}") for j in range(-2, 6)},
                       reverse=case % 2 == 0)
        curves = {rate: _loss_curve(curvature, w0, rate, 15) for rate in rates}
        got = call_unmutated(pick_learning_rate, curves, what="pick_learning_rate")
        try:
            rate = float(got)
        except (TypeError, ValueError):
            raise ExerciseFailed(f"Return one of the learning rates (a key of curves); got "
                                 f"{got!r}.") from None
        expect(rate in curves, f"Return one of the learning rates you were given, "
                               f"{sorted(curves)}; got {rate}.")
        initial = 0.5 * np.sum(curvature * w0**2)
        long_run = _loss_curve(curvature, w0, rate, 150)[-1]
        curve = curves[rate]
        if not np.all(np.isfinite(curve)):
            raise ExerciseFailed(
                f"You picked {rate:g}, whose short run ended in nan or inf: it diverged. "
                "Beware: min() and np.argmin treat nan in ways that depend on the order; "
                "drop the curves that are not finite (np.isfinite) first.")
        if curve[-1] > curve.min():
            raise ExerciseFailed(
                f"You picked {rate:g}, whose loss was going up again at the end of the short "
                "run (from {:.3g} at its lowest to {:.3g}); trained ten times longer, it "
                "reaches {:.3g}. A rate whose loss rises is too large, even if it is the "
                "largest that has not yet overflowed.".format(curve.min(), curve[-1], long_run))
        expect(long_run <= 1e-3 * initial,
               f"You picked {rate:g}; trained ten times longer it only brings the loss from "
               f"{initial:.3g} to {long_run:.3g}. Hint: among the runs whose loss went down "
               "steadily, the one that got lowest learns fastest.")
    return ("Your rate trains well for ten times as long on four problems: you skipped the "
            "runs that diverged or were turning upwards, and the ones too slow to finish.")


@exercise("10.4", "An Adam update")
def check_adam_step(adam_step):
    rng = rng_for()
    for lr, b1, b2, eps in [(0.001, 0.9, 0.999, 1e-8), (0.1, 0.8, 0.95, 1e-3)]:
        w0 = rng.normal(size=(3, 2))
        reference, ours = w0.copy(), w0.copy()
        optimizer = AdamOptimizer([reference], lr, b1, b2, eps)
        m, v = np.zeros_like(w0), np.zeros_like(w0)
        for t in range(1, 6):
            grad = rng.normal(size=w0.shape)
            optimizer.step([reference], [grad.copy()])
            got = adam_step(ours, grad.copy(), m, v, t, lr, b1, b2, eps)
            ours, m, v = _as_arrays(got, ["w", "m", "v"])
            expect_close(m, optimizer.ms[0], f"m after step {t}",
                         "Hint: m = beta_1 * m + (1 - beta_1) * grad.")
            expect_close(v, optimizer.vs[0], f"v after step {t}",
                         "Hint: v = beta_2 * v + (1 - beta_2) * grad ** 2.")
            if t == 1 and np.allclose(ours, w0 - lr * m / (np.sqrt(v) + eps)):
                raise ExerciseFailed("You skipped the bias correction: divide m by "
                                     "(1 - beta_1 ** t) and v by (1 - beta_2 ** t) before "
                                     "the step.")
            expect_close(ours, reference, f"w after step {t}",
                         "Hint: w - lr * m_hat / (sqrt(v_hat) + eps), with "
                         "m_hat = m / (1 - beta_1 ** t) and v_hat = v / (1 - beta_2 ** t).")
    return "Your Adam steps match the reference optimiser, bias correction included."


@exercise("10.6", "Inverted dropout")
def check_dropout(dropout_forward):
    rng = rng_for()
    H = rng.uniform(0.5, 2.0, size=(400, 250))
    for p in (0.2, 0.5):
        got = dropout_forward(H.copy(), p, np.random.default_rng(7))
        H_drop, mask = _as_arrays(got, ["H_dropped", "mask"])
        expect(mask.shape == H.shape and H_drop.shape == H.shape,
               f"Both arrays should have the shape of H, {H.shape}.")
        values = np.unique(mask)
        expect(np.all(np.isclose(values, 0.0) | np.isclose(values, 1 / (1 - p))),
               f"With p = {p} the mask should hold only 0 and 1/(1-p) = {1 / (1 - p):.4f}; "
               f"got values like {values[:4]}. Hint: (rng.random(H.shape) >= p) / (1 - p).")
        dropped = float(np.mean(mask == 0))
        expect(abs(dropped - p) < 0.01,
               f"With p = {p} about {p:.0%} of the units should be zeroed; you zeroed "
               f"{dropped:.1%}. p is the probability of *dropping* a unit.")
        expect_close(H_drop, H * mask, "H_dropped", "Hint: H * mask.")
        expect(abs(H_drop.mean() / H.mean() - 1) < 0.02,
               "The mean activation should stay about the same: scale the kept units by "
               "1 / (1 - p).")
    same = dropout_forward(H[:5].copy(), 0.0, np.random.default_rng(0))
    expect_close(np.asarray(same[0], dtype=float), H[:5], "dropout_forward with p = 0",
                 "With p = 0 nothing is dropped and nothing is scaled.")
    return "Inverted dropout: units dropped with probability p, survivors scaled by 1/(1-p)."

"""Checkers for notebook 10_neural_networks.

Each checker calls the learner's function on fresh random inputs and compares the result with
the course's reference (``mlcourse.neural_network``) or a direct NumPy computation.
"""

from __future__ import annotations

import numpy as np

from mlcourse.exercises._core import (
    ExerciseFailed,
    exercise,
    expect,
    expect_close,
    rng_for,
    unpack,
)
from mlcourse.neural_network import AdamOptimizer, softmax_cross_entropy


def _as_arrays(got, names):
    return [np.asarray(g, dtype=float) for g in unpack(got, names)]


@exercise("10.1", "ReLU and its derivative")
def check_relu(answer):
    relu, relu_grad = unpack(answer, ("relu", "relu_grad"),
                             "The answer, check('10.1', (relu, relu_grad)),")
    rng = rng_for()
    for shape in [(7,), (5, 4), (3, 2, 2)]:
        z = rng.normal(size=shape)
        z.ravel()[0] = 0.0  # the kink itself
        z_before = z.copy()
        got = np.asarray(relu(z), dtype=float)
        expect(np.array_equal(z, z_before),
               "relu changed its input array: compute a new array (np.maximum(z, 0)) instead "
               "of writing into z.")
        expect_close(got, np.maximum(z, 0.0), f"relu(z) for z of shape {shape}",
                     "Hint: max(z, 0) elementwise, with np.maximum (not Python's max).")
        grad = np.asarray(relu_grad(z), dtype=float)
        expected = (z > 0).astype(float)
        if grad.shape == expected.shape and np.allclose(grad, np.maximum(z, 0)):
            raise ExerciseFailed("relu_grad returns relu(z) itself; the derivative is 1 where "
                                 "z > 0 and 0 elsewhere.")
        expect(grad.shape == expected.shape,
               f"relu_grad(z) should have the shape of z, {shape}; got {grad.shape}.")
        positive_or_negative = z != 0
        expect_close(grad[positive_or_negative], expected[positive_or_negative],
                     "relu_grad(z) away from 0", "Hint: (z > 0) as floats.")
        expect(grad.ravel()[0] in (0.0, 1.0),
               f"At z = 0 the ReLU has no derivative; use 0 (or 1), not {grad.ravel()[0]}.")
    return "Right: ReLU passes positive inputs, and its slope is 1 there and 0 elsewhere."


@exercise("10.2", "The softmax cross-entropy gradient")
def check_softmax_cross_entropy(softmax_cross_entropy_fn):
    rng = rng_for()
    for n, k, scale in [(6, 3, 1.0), (1, 5, 2.0), (40, 10, 1.0), (8, 4, 500.0)]:
        Z = rng.normal(0.0, scale, size=(n, k))
        Y = np.eye(k)[rng.integers(0, k, size=n)]
        expected_loss, expected_dZ = softmax_cross_entropy(Z.copy(), Y)
        loss, dZ = _as_arrays(softmax_cross_entropy_fn(Z.copy(), Y.copy()), ["loss", "dZ"])
        expect(loss.ndim == 0, f"The loss should be one number; got shape {loss.shape}.")
        if scale > 100:
            expect(np.isfinite(loss) and np.all(np.isfinite(dZ)),
                   "With large logits (hundreds) you get inf or nan: subtract each row's "
                   "maximum from Z before np.exp; it does not change the softmax.")
        if dZ.shape == expected_dZ.shape and np.allclose(dZ, -expected_dZ):
            raise ExerciseFailed("dZ has the wrong sign: it is (softmax(Z) - Y) / n.")
        if dZ.shape == expected_dZ.shape and n > 1 and np.allclose(dZ, n * expected_dZ):
            raise ExerciseFailed("dZ is n times too large: the loss is a mean over the n rows, "
                                 "so divide (softmax(Z) - Y) by n.")
        expect_close(loss, expected_loss, f"The loss for {n} rows and {k} classes",
                     "Hint: the mean over rows of -log(p of the true class); "
                     "log p = z - max(z) - log(sum(exp(z - max(z)))).")
        expect_close(dZ, expected_dZ, f"dZ for {n} rows and {k} classes",
                     "Hint: (softmax(Z) - Y) / n.")
    return "Loss and gradient are right, and stable for large logits."


def _relu_layer_reference(A, W, b, dH):
    Z = A @ W + b
    dZ = dH * (Z > 0)
    return dZ @ W.T, A.T @ dZ, dZ.sum(axis=0)


@exercise("10.3", "One layer's backward pass")
def check_layer_backward(relu_layer_backward):
    rng = rng_for()
    for n, d_in, d_out in [(5, 3, 4), (1, 2, 6), (30, 8, 8)]:
        A = rng.normal(size=(n, d_in))
        W = rng.normal(size=(d_in, d_out))
        b = rng.normal(size=d_out)
        dH = rng.normal(size=(n, d_out))
        dA_ref, dW_ref, db_ref = _relu_layer_reference(A, W, b, dH)
        dA, dW, db = _as_arrays(relu_layer_backward(A.copy(), W.copy(), b.copy(), dH.copy()),
                              ["dA", "dW", "db"])
        for name, got, ref in [("dA", dA, dA_ref), ("dW", dW, dW_ref), ("db", db, db_ref)]:
            expect(got.shape == ref.shape,
                   f"{name} should have shape {ref.shape} (like {name[1:]}); got {got.shape}. "
                   "Hint: every gradient has the shape of the thing it is the gradient of.")
        no_mask = (dH @ W.T, A.T @ dH, dH.sum(axis=0))
        if all(np.allclose(g, r) for g, r in zip((dA, dW, db), no_mask, strict=True)):
            raise ExerciseFailed("You skipped the ReLU: first dZ = dH * (Z > 0) with "
                                 "Z = A @ W + b, then use dZ for all three gradients.")
        expect_close(dW, dW_ref, "dW", "Hint: A.T @ dZ with dZ = dH * (Z > 0).")
        expect_close(db, db_ref, "db", "Hint: the sum of dZ over the rows (axis=0).")
        expect_close(dA, dA_ref, "dA", "Hint: dZ @ W.T.")
    return "All three gradients are right: this is backpropagation through one layer."


@exercise("10.4", "A central-difference gradient")
def check_numerical_gradient(numerical_gradient_fn):
    rng = rng_for()
    for shape in [(3,), (2, 3)]:
        A = rng.normal(size=shape)
        w0 = rng.normal(size=shape)

        def f(w, A=A):
            return float(np.sum(np.sin(A * w)) + 0.5 * np.sum(w**2) * np.sum(w))

        expected = A * np.cos(A * w0) + w0 * np.sum(w0) + 0.5 * np.sum(w0**2)
        w = w0.copy()
        got = np.asarray(numerical_gradient_fn(f, w, 1e-5), dtype=float)
        expect(np.array_equal(w, w0),
               "Your function changed w: put each entry back after nudging it "
               "(or work on w.copy()).")
        expect(got.shape == w0.shape,
               f"The gradient should have the shape of w, {w0.shape}; got {got.shape}.")
        forward_difference = np.array([
            (f(w0 + 1e-5 * e) - f(w0)) / 1e-5 for e in np.eye(w0.size).reshape(-1, *shape)
        ]).reshape(shape)
        if np.allclose(got, forward_difference, rtol=1e-7, atol=1e-9) and not np.allclose(
                got, expected, rtol=1e-8, atol=1e-10):
            raise ExerciseFailed("That is the one-sided difference (f(w + eps) - f(w)) / eps; "
                                 "use the central one, (f(w + eps) - f(w - eps)) / (2 eps), "
                                 "which is far more accurate.")
        expect_close(got, expected, "The numerical gradient",
                     "Hint: for each entry j, (f(w + eps e_j) - f(w - eps e_j)) / (2 eps).",
                     rtol=1e-7, atol=1e-9)
    return "Your central differences agree with the exact gradient to about 1e-10."


@exercise("10.5", "An Adam update")
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

"""The checkers of notebook 10 pass right answers (more than one method each) and fail the
wrong answers a learner is likely to write, with a hint that points at the mistake."""

from __future__ import annotations

import numpy as np
import scipy.special
from checker_helpers import fails, passes

# --- 10.1 weighted softmax cross-entropy ---------------------------------------------------------


def weighted_cross_entropy(Z, Y, w):
    Z = Z - Z.max(axis=1, keepdims=True)
    log_P = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    loss = -np.sum(w * (Y * log_P).sum(axis=1)) / w.sum()
    return loss, w[:, None] * (np.exp(log_P) - Y) / w.sum()


def with_scipy(Z, Y, w):
    log_P = scipy.special.log_softmax(Z, axis=1)
    share = w / w.sum()
    loss = np.average(-np.einsum("ij,ij->i", Y, log_P), weights=w)
    return loss, share[:, None] * (scipy.special.softmax(Z, axis=1) - Y)


def test_10_1_right_answers_pass():
    passes("10.1", weighted_cross_entropy)
    passes("10.1", with_scipy)


def test_10_1_wrong_answers_fail():
    def overflows(Z, Y, w):
        P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        return np.sum(w * -np.log(np.sum(Y * P, axis=1))) / w.sum(), w[:, None] * (P - Y) / w.sum()

    def flipped(Z, Y, w):
        loss, dZ = weighted_cross_entropy(Z, Y, w)
        return loss, -dZ

    def gradient_unweighted(Z, Y, w):  # the notebook's (P - Y) / n, retyped
        loss, _ = weighted_cross_entropy(Z, Y, w)
        return loss, (scipy.special.softmax(Z, axis=1) - Y) / len(Z)

    def divided_by_n(Z, Y, w):
        loss, dZ = weighted_cross_entropy(Z, Y, w)
        return loss * w.sum() / len(Z), dZ * w.sum() / len(Z)

    def in_place(Z, Y, w):
        Z -= Z.max(axis=1, keepdims=True)
        return weighted_cross_entropy(Z, Y, w)

    fails("10.1", overflows, "subtract each row's maximum")
    fails("10.1", flipped, "wrong sign")
    fails("10.1", gradient_unweighted, "ignores the weights")
    fails("10.1", divided_by_n, "sum of the weights")
    fails("10.1", in_place, "changed its input `Z`")


# --- 10.2 residual layer ------------------------------------------------------------------------


def residual_backward(A, W, b, dH):
    dZ = dH * (A @ W + b > 0)
    return dH + dZ @ W.T, A.T @ dZ, dZ.sum(axis=0)


def residual_backward_einsum(A, W, b, dH):
    mask = np.heaviside(A @ W + b, 0.0)
    dZ = np.einsum("ij,ij->ij", dH, mask)
    return dH + np.einsum("ij,kj->ik", dZ, W), np.einsum("ni,nj->ij", A, dZ), dZ.sum(axis=0)


def test_10_2_right_answers_pass():
    passes("10.2", residual_backward)
    passes("10.2", residual_backward_einsum)


def test_10_2_wrong_answers_fail():
    def no_skip(A, W, b, dH):  # the plain layer of section 5, retyped
        dZ = dH * (A @ W + b > 0)
        return dZ @ W.T, A.T @ dZ, dZ.sum(axis=0)

    def no_relu(A, W, b, dH):
        return dH + dH @ W.T, A.T @ dH, dH.sum(axis=0)

    def wrong_transpose(A, W, b, dH):
        dZ = dH * (A @ W + b > 0)
        return dH + dZ @ W, A.T @ dZ, dZ.sum(axis=0)

    def in_place(A, W, b, dH):
        dH *= A @ W + b > 0  # overwrites the caller's gradient
        return residual_backward(A, W, b, dH)

    fails("10.2", no_skip, "skip connection")
    fails("10.2", no_relu, "skipped the ReLU")
    fails("10.2", wrong_transpose, "dA")
    fails("10.2", in_place, "changed its input `dH`")


# --- 10.3 debug a backward pass -----------------------------------------------------------------


def tanh_backward_pass(P, Y, cache, net):
    delta2 = (P - Y) / len(Y)
    grads = {"W2": cache["H1"].T @ delta2, "b2": delta2.sum(axis=0)}
    delta1 = (delta2 @ net["W2"].T) * (1 - cache["H1"] ** 2)
    grads["W1"] = cache["X"].T @ delta1
    grads["b1"] = delta1.sum(axis=0)
    return grads


def tanh_backward_from_z(P, Y, cache, net):
    delta2 = (P - Y) / len(Y)
    delta1 = (delta2 @ net["W2"].T) / np.cosh(cache["Z1"]) ** 2  # tanh' = 1 / cosh^2
    return {"W1": np.einsum("ni,nj->ij", cache["X"], delta1), "b1": delta1.sum(axis=0),
            "W2": np.einsum("ni,nj->ij", cache["H1"], delta2), "b2": delta2.sum(axis=0)}


def test_10_3_right_answers_pass():
    passes("10.3", tanh_backward_pass)
    passes("10.3", tanh_backward_from_z)


def test_10_3_wrong_answers_fail():
    def as_shown(P, Y, cache, net):  # both bugs
        delta2 = (P - Y) / len(Y)
        grads = {"W2": cache["H1"].T @ delta2, "b2": delta2.sum(axis=0)}
        delta1 = (delta2 @ net["W2"].T) * (1 - cache["Z1"] ** 2)
        grads["W1"] = cache["X"].T @ delta1
        grads["b1"] = delta1.mean(axis=0)
        return grads

    def bias_mean(P, Y, cache, net):  # only the first bug fixed
        grads = tanh_backward_pass(P, Y, cache, net)
        grads["b1"] = grads["b1"] / len(Y)
        return grads

    def by_finite_differences(P, Y, cache, net):  # numerical, not the backward pass
        exact = tanh_backward_pass(P, Y, cache, net)
        return {k: v * (1 + 1e-7) for k, v in exact.items()}

    def edits_cache(P, Y, cache, net):
        cache["Z1"] = np.tanh(cache["Z1"])  # reuses the caller's dict as scratch space
        return tanh_backward_pass(P, Y, cache, net)

    fails("10.3", as_shown, "1 - H1**2")
    fails("10.3", bias_mean, "sum over rows")
    fails("10.3", by_finite_differences, "exact")
    fails("10.3", edits_cache, "changed its input `cache`")


# --- 10.4 Adam ----------------------------------------------------------------------------------


def adam_step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
    m = beta_1 * m + (1 - beta_1) * grad
    v = beta_2 * v + (1 - beta_2) * grad**2
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def test_10_4_right_answers_pass():
    passes("10.4", adam_step)


def test_10_4_wrong_answers_fail():
    def no_bias_correction(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                           epsilon=1e-8):
        m = beta_1 * m + (1 - beta_1) * grad
        v = beta_2 * v + (1 - beta_2) * grad**2
        return w - learning_rate * m / (np.sqrt(v) + epsilon), m, v

    fails("10.4", no_bias_correction, "bias correction")


# --- 10.5 pick the learning rate (judgement) ----------------------------------------------------


def lowest_finite_falling(curves):
    usable = {rate: c for rate, c in curves.items()
              if np.all(np.isfinite(c)) and c[-1] <= c.min()}
    return min(usable, key=lambda rate: usable[rate][-1])


def most_decrease_per_epoch(curves):
    # A different rule: the steadiest fast learner, by the mean log-decrease per epoch.
    best, best_rate = -np.inf, None
    for rate, c in curves.items():
        if not np.all(np.isfinite(c)) or np.any(np.diff(c) > 0):
            continue
        speed = -np.mean(np.diff(np.log(c)))
        if speed > best:
            best, best_rate = speed, rate
    return best_rate


def test_10_5_right_answers_pass():
    passes("10.5", lowest_finite_falling)
    passes("10.5", most_decrease_per_epoch)


def test_10_5_wrong_answers_fail():
    def naive_min(curves):  # nan compares False, so the order of the dict decides
        return min(curves, key=lambda rate: curves[rate][-1])

    def largest_finite(curves):
        return max(rate for rate, c in curves.items() if np.all(np.isfinite(c)))

    def smallest(curves):  # "small is safe"
        return min(curves)

    fails("10.5", naive_min, "nan")
    fails("10.5", largest_finite, "going up again")
    fails("10.5", smallest, "ten times longer")
    fails("10.5", lambda curves: 0.1234, "one of the learning rates")


# --- 10.6 dropout -------------------------------------------------------------------------------


def dropout_forward(H, p, rng):
    mask = (rng.random(H.shape) >= p) / (1.0 - p)
    return H * mask, mask


def test_10_6_right_answers_pass():
    passes("10.6", dropout_forward)


def test_10_6_wrong_answers_fail():
    def keeps_with_probability_p(H, p, rng):
        mask = (rng.random(H.shape) < p) / (1.0 - p)
        return H * mask, mask

    def not_scaled(H, p, rng):
        mask = (rng.random(H.shape) >= p).astype(float)
        return H * mask, mask

    fails("10.6", keeps_with_probability_p, "probability of *dropping*")
    fails("10.6", not_scaled, "1/(1-p)")

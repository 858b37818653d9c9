"""Checkers for notebook 19_deep_learning_architectures.

Each checker calls the learner's function on fresh inputs made here and compares the result
with a reference computed in the check (a brute-force loop, or the layer written out), and
refuses the shortcuts the task forbids (SciPy's correlation, the course's own layers, a
Python loop over pixels where a vectorised answer is asked for).
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
from mlcourse.exercises._guards import call_unmutated, expect_vectorised, forbidden_calls

_NO_SHORTCUTS = ("scipy.signal", "scipy.ndimage", "mlcourse.neural_network.layers")
_WHY = "write it with NumPy yourself, as the task says"


# --- 19.1 output size of a dilated convolution -----------------------------------------------

def _reference_output_size(n, k, stride, padding, dilation):
    span = dilation * (k - 1) + 1  # the kernel's footprint on the input
    return (n + 2 * padding - span) // stride + 1


def _brute_force_output_size(n, k, stride, padding, dilation):
    """Count the positions where a dilated kernel fits, one by one."""
    span = dilation * (k - 1) + 1
    return sum(1 for start in range(0, n + 2 * padding, stride) if start + span <= n + 2 * padding)


@exercise("19.1", "The output size of a dilated convolution")
def check_output_size(output_size):
    rng = rng_for()
    cases = [(8, 3, 1, 0, 1), (8, 3, 1, 1, 1), (28, 5, 2, 2, 1), (7, 2, 3, 0, 1),
             (32, 3, 1, 0, 2), (32, 3, 1, 2, 2), (15, 3, 2, 1, 3), (9, 4, 2, 0, 2)]
    cases += [tuple(int(v) for v in (rng.integers(10, 60), rng.integers(1, 6),
                                     rng.integers(1, 4), rng.integers(0, 4), rng.integers(1, 4)))
              for _ in range(30)]
    for n, k, s, p, d in cases:
        expected = _brute_force_output_size(n, k, s, p, d)
        got = output_size(n, k, s, p, d)
        expect(isinstance(got, int | np.integer) or (isinstance(got, float) and got.is_integer()),
               f"output_size should return a whole number of positions; got {got!r} for "
               f"n={n}, k={k}, stride={s}, padding={p}, dilation={d}. Hint: floor division //.")
        if got == expected:
            continue
        hints = []
        if d > 1 and got == (n + 2 * p - k) // s + 1:
            hints.append("You ignored the dilation: a kernel of k taps with gaps of "
                         "dilation - 1 between them spans dilation (k - 1) + 1 inputs.")
        if got == (n + 2 * p - d * k) // s + 1 and d > 1:
            hints.append("The span is dilation (k - 1) + 1, not dilation k: there are k - 1 "
                         "gaps between k taps.")
        if got == (n + p - (d * (k - 1) + 1)) // s + 1:
            hints.append("Padding is added on both sides: n + 2 padding.")
        if got == (n + 2 * p - (d * (k - 1) + 1)) // s:
            hints.append("Count the first position too: ... // stride + 1.")
        raise ExerciseFailed(
            f"For n={n}, k={k}, stride={s}, padding={p}, dilation={d} the kernel fits at "
            f"{expected} positions; you returned {got}. "
            + (" ".join(hints) or "Hint: floor((n + 2 padding - span) / stride) + 1."))
    return ("Right on 38 combinations of size, kernel, stride, padding and dilation, against "
            "a count of the positions where the kernel fits.")


# --- 19.2 a depthwise convolution, vectorised ------------------------------------------------

def _loop_depthwise(X, W):
    n, c, h, w = X.shape
    k = W.shape[-1]
    out = np.zeros((n, c, h - k + 1, w - k + 1))
    for y in range(h - k + 1):
        for x in range(w - k + 1):
            out[:, :, y, x] = np.einsum("ncuv,cuv->nc", X[:, :, y:y + k, x:x + k], W)
    return out


def _vectorised_depthwise(X, W):
    k = W.shape[-1]
    windows = np.lib.stride_tricks.sliding_window_view(X, (k, k), axis=(2, 3))
    return np.einsum("ncyxuv,cuv->ncyx", windows, W, optimize=True)


@exercise("19.2", "A depthwise convolution, vectorised")
def check_depthwise(depthwise_conv):
    rng = rng_for()
    cases = [(2, 3, 6, 6, 3), (4, 1, 8, 8, 3), (3, 5, 7, 9, 2), (1, 2, 5, 5, 5), (2, 4, 6, 7, 1)]
    for n, c, h, w, k in cases:
        X = rng.normal(size=(n, c, h, w))
        W = rng.normal(size=(c, k, k))
        with forbidden_calls(*_NO_SHORTCUTS, why=_WHY):
            got = call_unmutated(depthwise_conv, X, W, what="depthwise_conv")
        got = as_array(got, "Your output")
        expected = _loop_depthwise(X, W)
        hint = "Hint: out[i, c, y, x] = sum over u, v of X[i, c, y + u, x + v] W[c, u, v]."
        if got.shape == expected.shape and np.allclose(got, _loop_depthwise(X, W[:, ::-1, ::-1])) \
                and not np.allclose(got, expected):
            hint = ("You flipped the kernel: that is the mathematicians' convolution. Deep "
                    "learning's 'convolution' is a cross-correlation: no flip.")
        elif expected.shape[1] > 1 and got.shape == (n, 1) + expected.shape[2:]:
            hint = ("You summed over the channels: that is an ordinary convolution with one "
                    "filter. Depthwise keeps one output channel per input channel.")
        expect_close(got, expected, f"For X of shape {X.shape} and W of shape {W.shape}, the "
                     "output", hint)
    X = rng.normal(size=(2, 4, 160, 160))  # 25,000 pixel positions: a loop over them is slow
    W = rng.normal(size=(4, 3, 3))
    with forbidden_calls(*_NO_SHORTCUTS, why=_WHY):
        expect_vectorised(lambda: depthwise_conv(X, W), lambda: _vectorised_depthwise(X, W),
                          factor=15, what="depthwise_conv",
                          hint="Loop at most over the k x k kernel offsets, never over images "
                               "or pixels: build every window at once (sliding_window_view or "
                               "im2col) and contract with np.einsum or a matrix product.")
    return ("Right on five shapes (kernel sizes 1 to 5), without SciPy or the course's layers, "
            "without changing the inputs, and within 15 times the time of a vectorised reference "
            "on two 160 x 160 images of 4 channels.")


# --- 19.3 max pooling's backward pass --------------------------------------------------------

def _reference_pool_backward(X, dout, size):
    n, c, h, w = X.shape
    windows = X.reshape(n, c, h // size, size, w // size, size)
    is_max = windows == windows.max(axis=(3, 5), keepdims=True)
    return (is_max * dout[:, :, :, None, :, None]).reshape(X.shape)


@exercise("19.3", "Max pooling's backward pass")
def check_pool_backward(maxpool_backward):
    rng = rng_for()
    for n, c, h, w, size in [(2, 3, 4, 4, 2), (1, 1, 6, 6, 3), (3, 2, 8, 6, 2), (2, 2, 4, 4, 4)]:
        X = rng.permutation(n * c * h * w).reshape(n, c, h, w) / 7.0 - 3.0  # no ties
        dout = rng.normal(size=(n, c, h // size, w // size))
        with forbidden_calls("mlcourse.neural_network.layers", why=_WHY):
            got = call_unmutated(maxpool_backward, X, dout, size, what="maxpool_backward")
        got = as_array(got, "Your dX")
        expected = _reference_pool_backward(X, dout, size)
        hint = ("Hint: each window's gradient goes to the one input that was its maximum; every "
                "other input of the window gets 0.")
        if got.shape == expected.shape:
            spread = np.repeat(np.repeat(dout, size, axis=2), size, axis=3)
            if np.allclose(got, spread):
                hint = ("You copied dout to every input of the window: that is the gradient of "
                        "a sum pool. Only the maximum influenced the output.")
            elif np.allclose(got, spread / size**2):
                hint = ("You spread dout evenly over the window: that is average pooling's "
                        "gradient. Max pooling sends it all to the maximum.")
            elif np.allclose(got, (expected != 0).astype(float)) or \
                    np.allclose(got, _reference_pool_backward(X, np.ones_like(dout), size)):
                hint = "You return where the maxima are, but forgot to multiply by dout."
            elif np.allclose(got, _reference_pool_backward(-X, dout, size)):
                hint = "You routed the gradient to each window's minimum, not its maximum."
        expect_close(got, expected, f"dX for X of shape {X.shape} and size {size}", hint)
    X = rng.normal(size=(2, 2, 256, 256))  # 16,384 windows per channel
    dout = rng.normal(size=(2, 2, 128, 128))
    with forbidden_calls("mlcourse.neural_network.layers", why=_WHY):
        # a loop over the windows costs about 20 times the reshape; a budget of 5 keeps a wide
        # margin from it and from the right answers (about the reference's own time)
        expect_vectorised(lambda: maxpool_backward(X, dout, 2),
                          lambda: _reference_pool_backward(X, dout, 2), factor=5,
                          what="maxpool_backward",
                          hint="Reshape to (n, c, h/size, size, w/size, size) and compare with "
                               "the window's max instead of looping over windows.")
    return ("Right on four shapes: each window's gradient reaches its maximum and nothing else; "
            "inputs unchanged; vectorised (timed on 256 x 256 images).")


# --- 19.4 one step of an RNN, backwards ------------------------------------------------------

def _reference_step_backward(x, h_prev, Wx, Wh, b, dh):
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    dz = dh * (1.0 - h**2)
    return dz @ Wx.T, dz @ Wh.T, x.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


_STEP_NAMES = ("dx", "dh_prev", "dWx", "dWh", "db")


@exercise("19.4", "One step of an RNN, backwards")
def check_rnn_step_backward(rnn_step_backward):
    rng = rng_for()
    for n, d, hidden in [(4, 3, 5), (1, 2, 2), (16, 6, 4)]:
        x = rng.normal(size=(n, d))
        h_prev = np.tanh(rng.normal(size=(n, hidden)))
        Wx = rng.normal(0, 0.7, size=(d, hidden))
        Wh = rng.normal(0, 0.7, size=(hidden, hidden))
        b = rng.normal(size=hidden)
        dh = rng.normal(size=(n, hidden))
        with forbidden_calls("mlcourse.neural_network.layers", why=_WHY):
            got = call_unmutated(rnn_step_backward, x, h_prev, Wx, Wh, b, dh,
                                 what="rnn_step_backward")
        got = unpack(got, ("dx", "dh_prev", "dWx", "dWh", "db"))
        expected = _reference_step_backward(x, h_prev, Wx, Wh, b, dh)
        no_tanh = _reference_step_backward_without_tanh(x, h_prev, Wx, Wh, dh)
        wrong_h = _reference_step_backward_h_prev(x, h_prev, Wx, Wh, dh)
        for name, g, e, n_t, w_h in zip(_STEP_NAMES, got, expected, no_tanh, wrong_h,
                                        strict=True):
            g = as_array(g, f"Your {name}")
            hint = "Hint: with h = tanh(z), dz = dh * (1 - h**2); then each product's rule."
            if g.shape == e.shape and np.allclose(g, n_t):
                hint = ("You left out tanh's derivative: multiply dh by 1 - h**2 (h the new "
                        "state, tanh(x Wx + h_prev Wh + b)) before anything else.")
            elif g.shape == e.shape and np.allclose(g, w_h):
                hint = ("tanh's derivative uses the *new* state h = tanh(z), not h_prev: "
                        "recompute h from the inputs.")
            elif name == "db" and g.shape == (n, hidden):
                hint = "b is added to every row, so db sums dz over the rows (axis=0)."
            elif g.ndim == 2 and g.shape == e.shape[::-1] and np.allclose(g.T, e):
                hint = (f"{name} is transposed: a gradient has the shape of what it is the "
                        f"gradient of, {e.shape}; check which side the transposes go.")
            expect_close(g, e, f"{name} (n={n}, d={d}, hidden={hidden})", hint)
    return ("Right: all five gradients match the chain rule through h = tanh(x Wx + h_prev Wh "
            "+ b), on three sizes, without changing the inputs.")


def _reference_step_backward_without_tanh(x, h_prev, Wx, Wh, dh):
    dz = dh
    return dz @ Wx.T, dz @ Wh.T, x.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


def _reference_step_backward_h_prev(x, h_prev, Wx, Wh, dh):
    dz = dh * (1.0 - h_prev**2)
    return dz @ Wx.T, dz @ Wh.T, x.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


# --- 19.5 judgement: which architecture? -----------------------------------------------------

SCENARIOS = {
    "loans": "30 columns per loan application (income, age, amount, ...), one row per applicant",
    "leaves": "64 x 64 colour photos of leaves; is the plant diseased?",
    "shuffled_pixels": "8 x 8 digit images whose 64 pixels were all moved by one fixed random "
                       "permutation (the same for every image)",
    "sensor": "a machine's vibration, one reading per second, the last 120 seconds; will it "
              "fail in the next minute?",
    "spectrogram": "bird songs turned into spectrograms (time x frequency pictures, 40 x 100); "
                   "which species?",
    "reviews": "product reviews of 5 to 300 words; is the review positive?",
}
_ACCEPTED = {
    "loans": {"mlp"},
    "leaves": {"cnn"},
    "shuffled_pixels": {"mlp"},
    "sensor": {"rnn", "cnn"},
    "spectrogram": {"cnn"},
    "reviews": {"rnn", "cnn"},
}
_WHY_NOT = {
    "loans": "Tabular columns have no order and no neighbours: nothing for a convolution's "
             "local filters or a recurrence's time steps to exploit. A dense network (or, in "
             "practice, gradient boosting) is the fit.",
    "leaves": "Photos have local patterns (edges, spots) that can appear anywhere: shared "
              "convolution filters find them with few weights.",
    "shuffled_pixels": "After the permutation, neighbouring positions are no longer "
                       "neighbouring pixels, so a CNN's locality prior is wrong. An MLP does not "
                       "care about the order of its inputs: it does exactly as well as on the "
                       "unshuffled images.",
    "sensor": "An ordered sequence: a recurrent network (or a 1-D convolution over time) reads "
              "it in order with the same weights at every step.",
    "spectrogram": "A spectrogram is a picture: local time-frequency patterns (a chirp) can "
                   "occur at any time, which is what shared convolution filters find.",
    "reviews": "Word order matters and the length varies: a recurrent network (or a 1-D "
               "convolution over the words) handles sequences of any length with shared weights.",
}


@exercise("19.5", "Choose the architecture (judgement)")
def check_architecture(choices):
    expect(isinstance(choices, dict), "Answer with a dict {scenario: 'cnn' | 'mlp' | 'rnn'}.")
    missing = sorted(set(SCENARIOS) - set(choices))
    expect(not missing, f"Give a choice for every scenario; missing: {missing}.")
    wrong = []
    for key, allowed in _ACCEPTED.items():
        choice = str(choices[key]).strip().lower()
        expect(choice in {"cnn", "mlp", "rnn"},
               f"Choose 'cnn', 'mlp' or 'rnn' for {key!r}; got {choices[key]!r}.")
        if choice not in allowed:
            wrong.append(f"{key}: not {choice!r}. {_WHY_NOT[key]}")
    expect(not wrong, " | ".join(wrong))
    return ("Every scenario matches its data's structure: grids of local patterns to a CNN, "
            "ordered sequences to an RNN (or a 1-D CNN), unordered features to an MLP.")

"""The checkers of notebook 19 pass right answers (more than one method where there is one)
and fail the wrong answers a learner is likely to write, with a hint that points at the
mistake."""

from __future__ import annotations

import numpy as np
from checker_helpers import fails, passes
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal

from mlcourse.neural_network.layers import MaxPool2D

# --- 19.1 ------------------------------------------------------------------------------------

def test_19_1_right_answers_pass():
    passes("19.1", lambda n, k, s=1, p=0, d=1: (n + 2 * p - d * (k - 1) - 1) // s + 1)
    # counting the positions is slow but right
    passes("19.1", lambda n, k, s=1, p=0, d=1: len(range(0, n + 2 * p - d * (k - 1), s)))
    passes("19.1", lambda n, k, s=1, p=0, d=1: int(np.floor((n + 2 * p - d * (k - 1) - 1) / s))
           + 1)


def test_19_1_wrong_answers_fail():
    fails("19.1", lambda n, k, s=1, p=0, d=1: (n + 2 * p - k) // s + 1, "ignored the dilation")
    fails("19.1", lambda n, k, s=1, p=0, d=1: (n + 2 * p - d * k) // s + 1, "k - 1 gaps")
    fails("19.1", lambda n, k, s=1, p=0, d=1: (n + p - d * (k - 1) - 1) // s + 1, "both sides")
    fails("19.1", lambda n, k, s=1, p=0, d=1: (n + 2 * p - d * (k - 1) - 1) // s,
          "first position")
    fails("19.1", lambda n, k, s=1, p=0, d=1: (n + 2 * p - d * (k - 1) - 1) / s + 1,
          "whole number")


# --- 19.2 ------------------------------------------------------------------------------------

def depthwise_einsum(X, W):
    k = W.shape[-1]
    return np.einsum("ncyxuv,cuv->ncyx", sliding_window_view(X, (k, k), axis=(2, 3)), W)


def depthwise_offsets(X, W):
    """A loop over the k x k kernel offsets only: allowed."""
    n, c, h, w = X.shape
    k = W.shape[-1]
    out = np.zeros((n, c, h - k + 1, w - k + 1))
    for u in range(k):
        for v in range(k):
            out += X[:, :, u:u + h - k + 1, v:v + w - k + 1] * W[None, :, u, v, None, None]
    return out


def depthwise_pixel_loop(X, W):
    n, c, h, w = X.shape
    k = W.shape[-1]
    out = np.zeros((n, c, h - k + 1, w - k + 1))
    for y in range(h - k + 1):
        for x in range(w - k + 1):
            out[:, :, y, x] = np.einsum("ncuv,cuv->nc", X[:, :, y:y + k, x:x + k], W)
    return out


def depthwise_scipy(X, W):
    return np.stack([np.stack([signal.correlate2d(img[c], W[c], "valid")
                               for c in range(len(W))]) for img in X])


def depthwise_flipped(X, W):
    return depthwise_einsum(X, W[:, ::-1, ::-1])


def ordinary_conv(X, W):
    return depthwise_einsum(X, W).sum(axis=1, keepdims=True)


def depthwise_in_place(X, W):
    X -= 0.0
    X *= 1.0
    X[...] = X  # looks harmless
    X += 1e-3
    return depthwise_einsum(X - 1e-3, W)


def test_19_2_right_answers_pass():
    passes("19.2", depthwise_einsum)
    passes("19.2", depthwise_offsets)


def test_19_2_wrong_answers_fail():
    fails("19.2", depthwise_pixel_loop, "times as long")
    fails("19.2", depthwise_scipy, "scipy.signal")
    fails("19.2", depthwise_flipped, "flipped the kernel")
    fails("19.2", ordinary_conv, "summed over the channels")
    fails("19.2", depthwise_in_place, "changed")


# --- 19.3 ------------------------------------------------------------------------------------

def pool_backward(X, dout, size):
    n, c, h, w = X.shape
    blocks = X.reshape(n, c, h // size, size, w // size, size)
    is_max = blocks == blocks.max(axis=(3, 5), keepdims=True)
    return (is_max * dout[:, :, :, None, :, None]).reshape(X.shape)


def pool_backward_argmax(X, dout, size):
    n, c, h, w = X.shape
    win = (X.reshape(n, c, h // size, size, w // size, size).transpose(0, 1, 2, 4, 3, 5)
           .reshape(n, c, h // size, w // size, size * size))
    d = np.zeros_like(win)
    np.put_along_axis(d, win.argmax(-1)[..., None], dout[..., None], axis=-1)
    return (d.reshape(n, c, h // size, w // size, size, size).transpose(0, 1, 2, 4, 3, 5)
            .reshape(X.shape))


def pool_backward_copy_everywhere(X, dout, size):
    return np.repeat(np.repeat(dout, size, axis=2), size, axis=3)


def pool_backward_average(X, dout, size):
    return pool_backward_copy_everywhere(X, dout, size) / size**2


def pool_backward_mask_only(X, dout, size):
    return pool_backward(X, np.ones_like(dout), size)


def pool_backward_minimum(X, dout, size):
    return pool_backward(-X, dout, size)


def pool_backward_window_loop(X, dout, size):
    dX = np.zeros_like(X)
    for y in range(dout.shape[2]):
        for x in range(dout.shape[3]):
            block = X[:, :, y * size:(y + 1) * size, x * size:(x + 1) * size]
            mask = block == block.max(axis=(2, 3), keepdims=True)
            dX[:, :, y * size:(y + 1) * size, x * size:(x + 1) * size] = \
                mask * dout[:, :, y, x][:, :, None, None]
    return dX


def pool_backward_library(X, dout, size):
    pool = MaxPool2D(size)
    pool.forward(X)
    return pool.backward(dout)


def test_19_3_right_answers_pass():
    passes("19.3", pool_backward)
    passes("19.3", pool_backward_argmax)


def test_19_3_wrong_answers_fail():
    fails("19.3", pool_backward_copy_everywhere, "sum pool")
    fails("19.3", pool_backward_average, "average pooling")
    fails("19.3", pool_backward_mask_only, "forgot to multiply by dout")
    fails("19.3", pool_backward_minimum, "minimum")
    fails("19.3", pool_backward_window_loop, "times as long")
    fails("19.3", pool_backward_library, "mlcourse.neural_network.layers")


# --- 19.4 ------------------------------------------------------------------------------------

def step_backward(x, h_prev, Wx, Wh, b, dh):
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    dz = dh * (1 - h**2)
    return dz @ Wx.T, dz @ Wh.T, x.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


def step_backward_einsum(x, h_prev, Wx, Wh, b, dh):
    dz = dh / np.cosh(x @ Wx + h_prev @ Wh + b) ** 2  # tanh' = sech^2
    return (np.einsum("nh,dh->nd", dz, Wx), np.einsum("nh,kh->nk", dz, Wh),
            np.einsum("nd,nh->dh", x, dz), np.einsum("nk,nh->kh", h_prev, dz), dz.sum(0))


def step_no_tanh(x, h_prev, Wx, Wh, b, dh):
    dz = dh
    return dz @ Wx.T, dz @ Wh.T, x.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


def step_h_prev_derivative(x, h_prev, Wx, Wh, b, dh):
    dz = dh * (1 - h_prev**2)
    return dz @ Wx.T, dz @ Wh.T, x.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


def step_db_not_summed(x, h_prev, Wx, Wh, b, dh):
    dx, dhp, dWx, dWh, _ = step_backward(x, h_prev, Wx, Wh, b, dh)
    return dx, dhp, dWx, dWh, dh * (1 - np.tanh(x @ Wx + h_prev @ Wh + b) ** 2)


def step_wrong_transpose(x, h_prev, Wx, Wh, b, dh):
    dx, dhp, dWx, dWh, db = step_backward(x, h_prev, Wx, Wh, b, dh)
    return dx, dhp, dWx, dWh.T, db


def step_in_place(x, h_prev, Wx, Wh, b, dh):
    dh *= 1 - np.tanh(x @ Wx + h_prev @ Wh + b) ** 2
    return dh @ Wx.T, dh @ Wh.T, x.T @ dh, h_prev.T @ dh, dh.sum(axis=0)


def test_19_4_right_answers_pass():
    passes("19.4", step_backward)
    passes("19.4", step_backward_einsum)


def test_19_4_wrong_answers_fail():
    fails("19.4", step_no_tanh, "tanh's derivative")
    fails("19.4", step_h_prev_derivative, "*new* state")
    fails("19.4", step_db_not_summed, "axis=0")
    fails("19.4", step_wrong_transpose, "transposes")
    fails("19.4", step_in_place, "changed")
    fails("19.4", lambda *args: step_backward(*args)[:4], "tuple of five")


# --- 19.5 ------------------------------------------------------------------------------------

RIGHT = {"loans": "mlp", "leaves": "cnn", "shuffled_pixels": "mlp", "sensor": "rnn",
         "spectrogram": "cnn", "reviews": "rnn"}


def test_19_5_right_answers_pass():
    passes("19.5", RIGHT)
    passes("19.5", RIGHT | {"sensor": "CNN", "reviews": "cnn "})  # 1-D convolutions are fine


def test_19_5_wrong_answers_fail():
    fails("19.5", RIGHT | {"shuffled_pixels": "cnn"}, "locality prior is wrong")
    fails("19.5", RIGHT | {"loans": "rnn"}, "no order")
    fails("19.5", RIGHT | {"spectrogram": "mlp"}, "picture")
    fails("19.5", RIGHT | {"leaves": "transformer"}, "'cnn', 'mlp' or 'rnn'")
    fails("19.5", {k: v for k, v in RIGHT.items() if k != "sensor"}, "missing")
    fails("19.5", ["mlp"] * 6, "dict")

"""The layers of mlcourse.neural_network.layers: forward against brute force and SciPy,
every gradient against central differences (float64), shapes, and clear errors."""

from __future__ import annotations

import platform
import sys

import numpy as np
import pytest
from scipy.signal import correlate

from mlcourse.neural_network.layers import (
    RNN,
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    ReLU,
    Sequential,
    Tanh,
    conv_output_size,
    im2col,
)

RNG = np.random.default_rng(0)


def numerical_grad(f, x, eps=1e-6):
    """Central differences of the scalar f() with respect to every entry of x (in place)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        up = f()
        x[idx] = old - eps
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad


def rel_error(a, b):
    return np.max(np.abs(a - b)) / max(1e-8, np.max(np.abs(a)) + np.max(np.abs(b)))


def check_layer_gradients(layer, X, param_names=(), tol=1e-7):
    """L = sum(G * layer(X)) for a fixed random G: dL/dout = G."""
    out = layer.forward(X)
    G = np.random.default_rng(1).normal(size=out.shape)
    dX = layer.backward(G)
    analytic = {name: layer.grads[name].copy() for name in param_names}

    def loss():
        return float(np.sum(G * layer.forward(X)))

    assert rel_error(dX, numerical_grad(loss, X)) < tol
    for name in param_names:
        numeric = numerical_grad(loss, layer.params[name])
        assert rel_error(analytic[name], numeric) < tol, name


# --- Conv2D ----------------------------------------------------------------------------------

def brute_force_conv(X, W, b, stride, padding):
    Xp = np.pad(X, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, _, h, w = Xp.shape
    o, _, k, _ = W.shape
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    out = np.zeros((n, o, oh, ow))
    for i in range(n):
        for f in range(o):
            for y in range(oh):
                for x in range(ow):
                    patch = Xp[i, :, y * stride:y * stride + k, x * stride:x * stride + k]
                    out[i, f, y, x] = np.sum(patch * W[f]) + b[f]
    return out


@pytest.mark.parametrize("stride, padding", [(1, 0), (1, 1), (2, 0), (2, 1), (3, 2)])
def test_conv_forward_matches_brute_force(stride, padding):
    X = RNG.normal(size=(3, 2, 9, 8))
    conv = Conv2D(2, 4, 3, stride=stride, padding=padding, random_state=0)
    conv.b = RNG.normal(size=4)
    out = conv.forward(X)
    expected = brute_force_conv(X, conv.W, conv.b, stride, padding)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)


def test_conv_forward_is_scipy_cross_correlation():
    X = RNG.normal(size=(2, 3, 8, 8))
    conv = Conv2D(3, 2, 3, random_state=1)
    out = conv.forward(X)
    for i in range(2):
        for f in range(2):
            # summing the "valid" 2-D correlations over the channels
            expected = correlate(X[i], conv.W[f], mode="valid")[0]
            np.testing.assert_allclose(out[i, f], expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("h, w, k, s, p", [(8, 8, 3, 1, 0), (8, 8, 3, 1, 1), (28, 28, 5, 2, 2),
                                           (7, 10, 2, 3, 0), (5, 5, 5, 1, 0)])
def test_conv_output_shape(h, w, k, s, p):
    out = Conv2D(1, 6, k, stride=s, padding=p).forward(np.zeros((4, 1, h, w)))
    assert out.shape == (4, 6, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1)
    assert out.shape[2:] == (conv_output_size(h, k, s, p), conv_output_size(w, k, s, p))


def test_im2col_rows_are_patches():
    X = RNG.normal(size=(2, 3, 5, 6))
    cols = im2col(X, 3, stride=2, padding=1)
    Xp = np.pad(X, ((0, 0), (0, 0), (1, 1), (1, 1)))
    assert cols.shape == (2 * 3 * 3, 3 * 9)
    np.testing.assert_array_equal(cols[0], Xp[0, :, 0:3, 0:3].ravel())
    np.testing.assert_array_equal(cols[3 * 3 + 4], Xp[1, :, 2:5, 2:5].ravel())


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), (3, 2), (2, 0)])
def test_conv_gradients(stride, padding):
    X = RNG.normal(size=(2, 2, 7, 6))
    conv = Conv2D(2, 3, 3, stride=stride, padding=padding, random_state=2)
    conv.b = RNG.normal(size=3)
    check_layer_gradients(conv, X, ("W", "b"))
    assert conv.dW.shape == conv.W.shape and conv.db.shape == conv.b.shape


def test_conv_bad_input():
    conv = Conv2D(3, 4, 3)
    with pytest.raises(ValueError, match="3 input channels"):
        conv.forward(np.zeros((2, 1, 8, 8)))
    with pytest.raises(ValueError, match="4 dimensions"):
        conv.forward(np.zeros((8, 8)))
    with pytest.raises(ValueError, match="does not fit"):
        conv.forward(np.zeros((1, 3, 2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        conv.forward(np.full((1, 3, 4, 4), np.nan))
    with pytest.raises(RuntimeError, match="before forward"):
        Conv2D(1, 1, 2).backward(np.zeros((1, 1, 1, 1)))
    conv.forward(np.zeros((2, 3, 8, 8)))
    with pytest.raises(ValueError, match="dout of shape"):
        conv.backward(np.zeros((2, 4, 8, 8)))
    for bad in [dict(kernel_size=0), dict(kernel_size=2.5), dict(stride=0), dict(padding=-1)]:
        args = dict(in_channels=1, out_channels=1, kernel_size=3) | bad
        (name,) = bad
        with pytest.raises(ValueError, match=f"^Conv2D parameter {name} must be an int >= "):
            Conv2D(**args)


def test_conv_is_seeded():
    a, b = Conv2D(2, 3, 3, random_state=5), Conv2D(2, 3, 3, random_state=5)
    np.testing.assert_array_equal(a.W, b.W)
    assert a.W.shape == (3, 2, 3, 3) and a.b.shape == (3,)


# --- MaxPool2D -------------------------------------------------------------------------------

def loop_max_pool(X, s):
    n, c, h, w = X.shape
    out = np.zeros((n, c, h // s, w // s))
    for i in range(n):
        for f in range(c):
            for y in range(h // s):
                for x in range(w // s):
                    out[i, f, y, x] = X[i, f, y * s:(y + 1) * s, x * s:(x + 1) * s].max()
    return out


@pytest.mark.parametrize("shape, size", [((2, 3, 8, 8), 2), ((1, 2, 7, 9), 2), ((2, 1, 9, 6), 3)])
def test_max_pool_forward_matches_loop(shape, size):
    X = RNG.normal(size=shape)
    np.testing.assert_array_equal(MaxPool2D(size).forward(X), loop_max_pool(X, size))


def test_max_pool_gradient_goes_to_the_max_only():
    X = RNG.permutation(2 * 2 * 6 * 5).reshape(2, 2, 6, 5).astype(float)  # no ties
    check_layer_gradients(MaxPool2D(2), X)
    pool = MaxPool2D(2)
    out = pool.forward(X)
    dX = pool.backward(np.ones_like(out))
    assert dX.sum() == out.size
    assert np.all(dX[:, :, :, 4] == 0)  # the dropped column gets no gradient
    assert np.all(X[dX == 1] == np.repeat(np.repeat(out, 2, axis=2), 2, axis=3)[
        (dX == 1)[:, :, :6, :4]])


def test_max_pool_ties_route_once():
    pool = MaxPool2D(2)
    out = pool.forward(np.ones((1, 1, 2, 2)))
    dX = pool.backward(np.full_like(out, 3.0))
    assert dX.sum() == 3.0 and np.count_nonzero(dX) == 1


def test_max_pool_bad_input():
    with pytest.raises(ValueError, match="at least 3x3"):
        MaxPool2D(3).forward(np.zeros((1, 1, 2, 5)))
    with pytest.raises(ValueError, match="MaxPool2D parameter size must be an int >= 1, got 0"):
        MaxPool2D(0)


# --- Dense, ReLU, Tanh, Flatten --------------------------------------------------------------

def test_dense_gradients():
    check_layer_gradients(Dense(5, 3, random_state=0), RNG.normal(size=(4, 5)), ("W", "b"))


def test_relu_and_tanh_gradients():
    X = RNG.normal(size=(4, 6))
    X[np.abs(X) < 1e-3] = 0.5  # stay away from the kink
    check_layer_gradients(ReLU(), X)
    check_layer_gradients(Tanh(), RNG.normal(size=(3, 2, 4)))


def test_flatten_round_trip():
    X = RNG.normal(size=(3, 2, 4, 5))
    flat = Flatten()
    out = flat.forward(X)
    assert out.shape == (3, 40)
    np.testing.assert_array_equal(flat.backward(out), X)


def test_dense_bad_input():
    with pytest.raises(ValueError, match="5 features"):
        Dense(5, 2).forward(np.zeros((3, 4)))


# --- RNN -------------------------------------------------------------------------------------

def test_rnn_forward_is_the_recurrence():
    rnn = RNN(3, 4, random_state=0)
    rnn.b = RNG.normal(size=4)
    X = RNG.normal(size=(5, 6, 3))
    H = rnn.forward(X)
    h = np.zeros((5, 4))
    for t in range(6):
        h = np.tanh(X[:, t] @ rnn.Wx + h @ rnn.Wh + rnn.b)
        np.testing.assert_allclose(H[:, t], h, rtol=1e-12, atol=1e-14)
    assert rnn.Wx.shape == (3, 4) and rnn.Wh.shape == (4, 4) and rnn.b.shape == (4,)


def test_rnn_gradients():
    rnn = RNN(3, 4, random_state=1)
    rnn.b = RNG.normal(size=4)
    check_layer_gradients(rnn, RNG.normal(size=(2, 5, 3)), ("Wx", "Wh", "b"))
    assert rnn.dh_norms_.shape == (5,)


def test_rnn_gradient_of_the_last_state_only():
    """A loss on h_T alone: BPTT must carry it back through every step."""
    rnn = RNN(2, 3, random_state=2)
    X = RNG.normal(size=(2, 4, 2))
    H = rnn.forward(X)
    dH = np.zeros_like(H)
    dH[:, -1] = 1.0
    dX = rnn.backward(dH)

    def loss():
        return float(rnn.forward(X)[:, -1].sum())

    assert np.all(np.abs(dX[:, 0]) > 0)
    assert rel_error(dX, numerical_grad(loss, X)) < 1e-7
    assert rel_error(rnn.dWh, numerical_grad(loss, rnn.Wh)) < 1e-7


def test_rnn_bad_input():
    with pytest.raises(ValueError, match="3 features per step"):
        RNN(3, 2).forward(np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match="3 dimensions"):
        RNN(3, 2).forward(np.zeros((5, 3)))


# --- Sequential ------------------------------------------------------------------------------

def small_cnn(seed=0):
    return Sequential([Conv2D(1, 4, 3, padding=1, random_state=seed), ReLU(), MaxPool2D(2),
                       Flatten(), Dense(4 * 4 * 4, 3, random_state=seed + 1)])


def test_sequential_gradients_end_to_end():
    model = small_cnn()
    X = RNG.normal(size=(3, 1, 8, 8))
    y = np.array([0, 2, 1])
    model.loss_and_backward(X, y)
    analytic = [layer.grads[name].copy() for layer, name, _ in model.parameters()]
    for (_, _, p), g in zip(model.parameters(), analytic, strict=True):
        numeric = numerical_grad(lambda: model.loss_and_backward(X, y), p)
        assert rel_error(g, numeric) < 1e-6


def test_sequential_learns_a_simple_image_task():
    rng = np.random.default_rng(0)
    X = rng.normal(0, 0.3, size=(300, 1, 8, 8))
    y = rng.integers(0, 3, 300)
    X[y == 0, 0, :, 3:5] += 1.0   # a vertical bar
    X[y == 1, 0, 3:5, :] += 1.0   # a horizontal bar
    model = small_cnn().fit(X, y, epochs=5, learning_rate=0.01, random_state=0)
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    assert model.score(X, y) > 0.95
    again = small_cnn().fit(X, y, epochs=5, learning_rate=0.01, random_state=0)
    assert again.loss_curve_ == model.loss_curve_


def test_sequential_bad_input():
    with pytest.raises(ValueError, match="rows"):
        small_cnn().fit(np.zeros((4, 1, 8, 8)), np.zeros(3, int))
    with pytest.raises(ValueError, match="optimizer"):
        small_cnn().fit(np.zeros((3, 1, 8, 8)), np.zeros(3, int), optimizer="rmsprop")


# --- the framework notebook 19 compares with -------------------------------------------------

@pytest.mark.skipif(sys.platform == "darwin" and platform.machine() == "x86_64",
                    reason="JAX publishes no packages for Intel Macs; the notebook says so")
def test_keras_and_jax_are_installed():
    """Notebook 19 skips its Keras section, with the fix printed, when Keras is missing; the
    course's environment must have it so that the section runs in the tests."""
    import importlib.util

    for name in ("keras", "jax", "jaxlib"):
        assert importlib.util.find_spec(name) is not None, f"{name} is missing: make setup"

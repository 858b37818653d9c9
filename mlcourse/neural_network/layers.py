"""Layers with ``forward`` and ``backward``: convolution, pooling, dense, recurrent.

Each layer keeps what its backward pass needs from the last ``forward`` call, and
``backward(dout)`` takes the gradient of the loss with respect to the layer's output and
returns the gradient with respect to its input, storing the gradients of its own parameters
in ``grads`` (and as attributes ``dW``, ``db``, ...). Everything is vectorised over samples
and pixels: the convolution is one matrix product on an *im2col* view of the input.

See notebooks/19_deep_learning_architectures.ipynb.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from mlcourse.neural_network._activations import softmax, softmax_cross_entropy
from mlcourse.neural_network._optimizers import AdamOptimizer, SGDOptimizer
from mlcourse.utils import check_params, integer

__all__ = [
    "RNN",
    "Conv2D",
    "Dense",
    "Flatten",
    "Layer",
    "MaxPool2D",
    "ReLU",
    "Sequential",
    "Tanh",
    "conv_output_size",
    "im2col",
]


def _float_array(X, ndim, what):
    X = np.asarray(X)
    if not np.issubdtype(X.dtype, np.floating):
        if not np.issubdtype(X.dtype, np.number) and X.dtype != bool:
            raise ValueError(f"{what} must be numeric, got dtype {X.dtype}.")
        X = X.astype(np.float64)
    if X.ndim != ndim:
        raise ValueError(f"{what} must have {ndim} dimensions, got shape {X.shape}.")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{what} contains NaN or infinity.")
    return X


def conv_output_size(size, kernel_size, stride=1, padding=0):
    """Output length of a convolution or pooling along one axis.

    ``floor((size + 2 padding - kernel_size) / stride) + 1``.
    """
    return (size + 2 * padding - kernel_size) // stride + 1


def im2col(X, kernel_size, stride=1, padding=0):
    """Every ``k x k`` patch of every channel of every image as one row.

    X of shape (n, c, h, w) becomes a matrix of shape (n * oh * ow, c * k * k): row
    ``(i, y, x)`` holds the patch whose top-left corner is at ``(y * stride, x * stride)`` of
    the zero-padded image ``i``, channels first, then kernel rows, then kernel columns (the
    order of ``W.reshape(out, -1)``). Built from a strided *view*; only the final reshape copies.
    """
    k, s, p = kernel_size, stride, padding
    if p:
        X = np.pad(X, ((0, 0), (0, 0), (p, p), (p, p)))
    n, c = X.shape[:2]
    windows = sliding_window_view(X, (k, k), axis=(2, 3))[:, :, ::s, ::s]  # (n, c, oh, ow, k, k)
    oh, ow = windows.shape[2:4]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * k * k)


def _col2im(cols, X_shape, kernel_size, stride, padding, oh, ow):
    """Undo :func:`im2col` for gradients: add each patch's gradient back where it came from.

    One loop over the ``k * k`` offsets inside the kernel (never over samples or pixels).
    """
    n, c, h, w = X_shape
    k, s, p = kernel_size, stride, padding
    patches = cols.reshape(n, oh, ow, c, k, k).transpose(0, 3, 4, 5, 1, 2)  # (n, c, k, k, oh, ow)
    dXp = np.zeros((n, c, h + 2 * p, w + 2 * p), dtype=cols.dtype)
    for i in range(k):
        for j in range(k):
            dXp[:, :, i:i + s * oh:s, j:j + s * ow:s] += patches[:, :, i, j]
    return dXp[:, :, p:p + h, p:p + w]


class Layer:
    """A layer: ``forward(X)``, ``backward(dout)``, and dicts ``params`` and ``grads``."""

    params: dict
    grads: dict

    def __init__(self):
        self.params, self.grads = {}, {}
        self._cache = None

    def _cached(self):
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward.")
        return self._cache

    @staticmethod
    def _check_dout(dout, shape, name):
        dout = np.asarray(dout)
        if dout.shape != shape:
            raise ValueError(f"{name}.backward expects dout of shape {shape} (the shape of the "
                             f"last forward output), got {dout.shape}.")
        return dout

    def __repr__(self):
        """Show the layer as the call that builds it."""
        return f"{type(self).__name__}()"


class Conv2D(Layer):
    """2-D convolution (a cross-correlation, as in every deep-learning library).

    ``out[i, o, y, x] = b[o] + sum_{c, u, v} W[o, c, u, v] X_pad[i, c, y s + u, x s + v]``,
    computed as one product ``im2col(X) @ W.reshape(out, -1).T``.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int
        Side ``k`` of the square kernel.
    stride : int, default=1
    padding : int, default=0
        Zeros added on every side of each image.
    random_state : int, Generator or None
        Seeds He initialisation, ``W ~ N(0, 2 / (in_channels k^2))``; ``b = 0``.
    """

    _parameter_rules = {
        "in_channels": integer(ge=1),
        "out_channels": integer(ge=1),
        "kernel_size": integer(ge=1),
        "stride": integer(ge=1),
        "padding": integer(ge=0),
    }

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 random_state=None):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        check_params(self)
        rng = np.random.default_rng(random_state)
        k = self.kernel_size
        fan_in = self.in_channels * k * k
        self.W = rng.normal(0.0, np.sqrt(2.0 / fan_in), (self.out_channels, self.in_channels, k, k))
        self.b = np.zeros(self.out_channels)

    @property
    def params(self):
        """The trainable arrays by name: the weights ``W`` and the biases ``b``."""
        return {"W": self.W, "b": self.b}

    @params.setter
    def params(self, value):
        pass

    @property
    def grads(self):
        """The gradients of the last ``backward`` by name, as in ``params`` (None before)."""
        return {"W": getattr(self, "dW", None), "b": getattr(self, "db", None)}

    @grads.setter
    def grads(self, value):
        pass

    def output_shape(self, h, w):
        """Return the height and width of the output for an ``h x w`` input image."""
        k, s, p = self.kernel_size, self.stride, self.padding
        return conv_output_size(h, k, s, p), conv_output_size(w, k, s, p)

    def forward(self, X):
        """(n, in_channels, h, w) -> (n, out_channels, oh, ow)."""
        X = _float_array(X, 4, "Conv2D input")
        n, c, h, w = X.shape
        if c != self.in_channels:
            raise ValueError(f"Conv2D expects {self.in_channels} input channels, got {c} "
                             f"(input shape {X.shape}; the layout is (n, channels, h, w)).")
        oh, ow = self.output_shape(h, w)
        if oh < 1 or ow < 1:
            raise ValueError(f"A {self.kernel_size}x{self.kernel_size} kernel does not fit in "
                             f"an image of {h}x{w} with padding {self.padding}.")
        cols = im2col(X, self.kernel_size, self.stride, self.padding)
        W_flat = self.W.reshape(self.out_channels, -1)
        out = cols @ W_flat.T + self.b  # (n * oh * ow, out)
        self._cache = (X.shape, cols, oh, ow)
        return out.reshape(n, oh, ow, self.out_channels).transpose(0, 3, 1, 2)

    def backward(self, dout):
        """Store ``dW`` and ``db`` and return the gradient with respect to the input.

        Parameters
        ----------
        dout : ndarray of shape (n, out_channels, oh, ow)
            Gradient of the loss with respect to the last forward output.

        Returns
        -------
        dX : ndarray of shape (n, in_channels, h, w)
        """
        X_shape, cols, oh, ow = self._cached()
        n = X_shape[0]
        dout = self._check_dout(dout, (n, self.out_channels, oh, ow), "Conv2D")
        d = dout.transpose(0, 2, 3, 1).reshape(-1, self.out_channels)  # (n * oh * ow, out)
        W_flat = self.W.reshape(self.out_channels, -1)
        self.dW = (d.T @ cols).reshape(self.W.shape)
        self.db = d.sum(axis=0)
        return _col2im(d @ W_flat, X_shape, self.kernel_size, self.stride, self.padding, oh, ow)

    def __repr__(self):
        """Show the layer as the call that builds it."""
        return (f"Conv2D({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
                f", stride={self.stride}, padding={self.padding})")


class MaxPool2D(Layer):
    """Max pooling over non-overlapping ``size x size`` windows.

    Rows or columns that do not fill a whole window are dropped, like Keras'
    ``padding="valid"``.

    The backward pass routes each window's gradient to the position of its maximum (the
    first one if several tie) and gives every other input zero.
    """

    _parameter_rules = {"size": integer(ge=1)}

    def __init__(self, size=2):
        super().__init__()
        self.size = size
        check_params(self)

    def forward(self, X):
        """(n, c, h, w) -> (n, c, h // size, w // size)."""
        X = _float_array(X, 4, "MaxPool2D input")
        n, c, h, w = X.shape
        s = self.size
        oh, ow = h // s, w // s
        if oh < 1 or ow < 1:
            raise ValueError(f"MaxPool2D({s}) needs images of at least {s}x{s}, got {h}x{w}.")
        windows = (X[:, :, :oh * s, :ow * s].reshape(n, c, oh, s, ow, s)
                   .transpose(0, 1, 2, 4, 3, 5).reshape(n, c, oh, ow, s * s))
        argmax = windows.argmax(axis=-1)
        self._cache = (X.shape, argmax)
        return np.take_along_axis(windows, argmax[..., None], axis=-1)[..., 0]

    def backward(self, dout):
        """Send each window's gradient to its maximum; return dX, shaped like the input."""
        X_shape, argmax = self._cached()
        n, c, h, w = X_shape
        s = self.size
        oh, ow = argmax.shape[2:]
        dout = self._check_dout(dout, (n, c, oh, ow), "MaxPool2D")
        dwin = np.zeros((n, c, oh, ow, s * s), dtype=dout.dtype)
        np.put_along_axis(dwin, argmax[..., None], dout[..., None], axis=-1)
        dX = np.zeros(X_shape, dtype=dout.dtype)
        dX[:, :, :oh * s, :ow * s] = (dwin.reshape(n, c, oh, ow, s, s)
                                      .transpose(0, 1, 2, 4, 3, 5).reshape(n, c, oh * s, ow * s))
        return dX

    def __repr__(self):
        """Show the layer as the call that builds it."""
        return f"MaxPool2D({self.size})"


class Flatten(Layer):
    """(n, ...) -> (n, prod(...)); the backward pass restores the shape."""

    def forward(self, X):
        """Reshape ``X`` of shape (n, ...) to (n, prod(...))."""
        X = np.asarray(X)
        if X.ndim < 2:
            raise ValueError(f"Flatten expects (n, ...) with at least 2 dimensions, got {X.shape}.")
        self._cache = X.shape
        return X.reshape(len(X), -1)

    def backward(self, dout):
        """Reshape ``dout`` back to the shape of the last forward input."""
        shape = self._cached()
        dout = self._check_dout(dout, (shape[0], int(np.prod(shape[1:]))), "Flatten")
        return dout.reshape(shape)


class Dense(Layer):
    """Fully connected layer ``Y = X W + b`` with ``W`` of shape (in_features, out_features).

    He initialisation ``W ~ N(0, 2 / in_features)``, ``b = 0``.
    """

    _parameter_rules = {"in_features": integer(ge=1), "out_features": integer(ge=1)}

    def __init__(self, in_features, out_features, random_state=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        check_params(self)
        rng = np.random.default_rng(random_state)
        self.W = rng.normal(0.0, np.sqrt(2.0 / self.in_features),
                            (self.in_features, self.out_features))
        self.b = np.zeros(self.out_features)

    params = Conv2D.params
    grads = Conv2D.grads

    def forward(self, X):
        """Return ``X @ W + b`` for ``X`` of shape (n, in_features)."""
        X = _float_array(X, 2, "Dense input")
        if X.shape[1] != self.in_features:
            raise ValueError(f"Dense expects {self.in_features} features, got {X.shape[1]}.")
        self._cache = X
        return X @ self.W + self.b

    def backward(self, dout):
        """Store ``dW = X^T dout`` and ``db``, and return ``dX = dout W^T``.

        Parameters
        ----------
        dout : ndarray of shape (n, out_features)
            Gradient of the loss with respect to the last forward output.

        Returns
        -------
        dX : ndarray of shape (n, in_features)
        """
        X = self._cached()
        dout = self._check_dout(dout, (len(X), self.out_features), "Dense")
        self.dW = X.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T

    def __repr__(self):
        """Show the layer as the call that builds it."""
        return f"Dense({self.in_features}, {self.out_features})"


class ReLU(Layer):
    """``max(x, 0)`` elementwise; the gradient passes where the input was positive."""

    def forward(self, X):
        """Return ``max(X, 0)`` elementwise, remembering where ``X`` was positive."""
        X = np.asarray(X)
        self._cache = X > 0
        return np.where(self._cache, X, 0.0)

    def backward(self, dout):
        """Pass ``dout`` where the input was positive, zero elsewhere."""
        mask = self._cached()
        dout = self._check_dout(dout, mask.shape, "ReLU")
        return dout * mask


class Tanh(Layer):
    """``tanh(x)`` elementwise; its derivative is ``1 - tanh(x)^2``."""

    def forward(self, X):
        """Return ``tanh(X)`` elementwise, remembering it for the backward pass."""
        self._cache = np.tanh(np.asarray(X))
        return self._cache

    def backward(self, dout):
        """Multiply ``dout`` by the derivative ``1 - tanh(x)^2``."""
        H = self._cached()
        dout = self._check_dout(dout, H.shape, "Tanh")
        return dout * (1.0 - H**2)


class RNN(Layer):
    """A simple (Elman) recurrent layer returning every hidden state.

    ``h_t = tanh(x_t Wx + h_{t-1} Wh + b)`` with ``h_0 = 0``; ``Wx`` is (input_size,
    hidden_size), ``Wh`` (hidden_size, hidden_size). ``backward`` is backpropagation through
    time: one loop over the time steps, vectorised over the samples. After it,
    ``dh_norms_[t]`` is the mean norm of the gradient reaching ``h_t`` (the vanishing-gradient
    picture of notebook 19).

    Parameters
    ----------
    input_size, hidden_size : int
    random_state : int, Generator or None
        ``Wx ~ N(0, 1 / input_size)``, ``Wh`` a random orthogonal matrix, ``b = 0``.
    """

    _parameter_rules = {"input_size": integer(ge=1), "hidden_size": integer(ge=1)}

    def __init__(self, input_size, hidden_size, random_state=None):
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        check_params(self)
        rng = np.random.default_rng(random_state)
        self.Wx = rng.normal(0.0, np.sqrt(1.0 / self.input_size),
                             (self.input_size, self.hidden_size))
        Q, R = np.linalg.qr(rng.normal(size=(self.hidden_size, self.hidden_size)))
        self.Wh = Q * np.sign(np.diag(R))
        self.b = np.zeros(self.hidden_size)

    @property
    def params(self):
        """The trainable arrays by name: ``Wx``, ``Wh`` and ``b``."""
        return {"Wx": self.Wx, "Wh": self.Wh, "b": self.b}

    @params.setter
    def params(self, value):
        pass

    @property
    def grads(self):
        """The gradients of the last ``backward`` by name, as in ``params`` (None before)."""
        return {name: getattr(self, "d" + name, None) for name in ("Wx", "Wh", "b")}

    @grads.setter
    def grads(self, value):
        pass

    def forward(self, X):
        """(n, T, input_size) -> every hidden state, (n, T, hidden_size)."""
        X = _float_array(X, 3, "RNN input")
        n, T, d = X.shape
        if d != self.input_size:
            raise ValueError(f"RNN expects {self.input_size} features per step, got {d} "
                             f"(input shape {X.shape}; the layout is (n, T, features)).")
        XW = X @ self.Wx + self.b  # the input part of every step at once
        H = np.empty((n, T, self.hidden_size), dtype=XW.dtype)
        h = np.zeros((n, self.hidden_size), dtype=XW.dtype)
        for t in range(T):
            h = np.tanh(XW[:, t] + h @ self.Wh)
            H[:, t] = h
        self._cache = (X, H)
        return H

    def backward(self, dH):
        """Backpropagation through time; returns dX of shape (n, T, input_size)."""
        X, H = self._cached()
        dH = self._check_dout(dH, H.shape, "RNN")
        n, T, _ = H.shape
        dZ = np.empty_like(H)
        dh_next = np.zeros((n, self.hidden_size), dtype=H.dtype)
        self.dh_norms_ = np.empty(T)
        for t in range(T - 1, -1, -1):
            dh = dH[:, t] + dh_next  # from the output at t and from step t + 1
            self.dh_norms_[t] = np.linalg.norm(dh, axis=1).mean()
            dZ[:, t] = dh * (1.0 - H[:, t] ** 2)
            dh_next = dZ[:, t] @ self.Wh.T
        H_prev = np.concatenate([np.zeros_like(H[:, :1]), H[:, :-1]], axis=1)
        self.dWx = np.einsum("ntd,nth->dh", X, dZ)
        self.dWh = np.einsum("ntk,nth->kh", H_prev, dZ)
        self.db = dZ.sum(axis=(0, 1))
        return dZ @ self.Wx.T

    def __repr__(self):
        """Show the layer as the call that builds it."""
        return f"RNN({self.input_size}, {self.hidden_size})"


class Sequential:
    """Layers applied one after the other, trained with softmax cross-entropy.

    ``forward`` returns the logits of the last layer; ``fit(X, y)`` runs mini-batch training
    with Adam (or SGD with momentum) and records ``loss_curve_``.

    Parameters
    ----------
    layers : list of Layer
    """

    def __init__(self, layers):
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("Sequential needs at least one layer.")

    def forward(self, X):
        """Run ``X`` through every layer in order; return the logits of the last one."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dout):
        """Run ``dout`` back through every layer, last first; each keeps its gradients."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def parameters(self):
        """``[(layer, name, array)]`` for every trainable array, in order."""
        return [(layer, name, p) for layer in self.layers for name, p in layer.params.items()]

    def loss_and_backward(self, X, y):
        """Mean softmax cross-entropy on (X, y) and every gradient (left in the layers)."""
        logits = self.forward(X)
        Y = np.eye(logits.shape[1])[y]
        loss, dlogits = softmax_cross_entropy(logits, Y)
        self.backward(dlogits)
        return loss

    def fit(self, X, y, epochs=5, batch_size=32, learning_rate=1e-3, optimizer="adam",
            random_state=None, callback=None):
        """Mini-batch training on class labels ``y`` in ``0..K-1``.

        ``callback(epoch, model)``, if given, runs after each epoch (e.g. a progress bar or a
        validation score). Returns self.
        """
        y = np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)}.")
        if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
            raise ValueError("y must hold class indices 0, 1, ..., K-1.")
        rng = np.random.default_rng(random_state)
        params = [p for _, _, p in self.parameters()]
        if optimizer == "adam":
            opt = AdamOptimizer(params, learning_rate=learning_rate)
        elif optimizer == "sgd":
            opt = SGDOptimizer(params, learning_rate=learning_rate, momentum=0.9)
        else:
            raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}.")
        self.loss_curve_ = []
        for epoch in range(epochs):
            order = rng.permutation(len(y))
            total = 0.0
            for start in range(0, len(y), batch_size):
                rows = order[start:start + batch_size]
                total += self.loss_and_backward(X[rows], y[rows]) * len(rows)
                grads = [layer.grads[name].copy() for layer, name, _ in self.parameters()]
                opt.step(params, grads)
            self.loss_curve_.append(total / len(y))
            if callback is not None:
                callback(epoch, self)
        return self

    def predict_proba(self, X, batch_size=512):
        """Return the softmax of the logits, one row of class probabilities per sample.

        Parameters
        ----------
        X : ndarray
            Inputs in the layout the first layer expects.
        batch_size : int, default=512
            Rows per forward pass; bounds the memory, not the result.

        Returns
        -------
        proba : ndarray of shape (n, n_classes)
        """
        return np.concatenate([softmax(self.forward(X[i:i + batch_size]))
                               for i in range(0, len(X), batch_size)])

    def predict(self, X):
        """Return the most probable class index of each row."""
        return self.predict_proba(X).argmax(axis=1)

    def score(self, X, y):
        """Accuracy."""
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def __repr__(self):
        """Show the model as the call that builds it, one layer per line."""
        inner = ",\n    ".join(repr(layer) for layer in self.layers)
        return f"Sequential([\n    {inner},\n])"

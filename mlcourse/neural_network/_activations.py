"""Activation functions, their derivatives and the output losses of an MLP.

A hidden unit computes ``h = f(z)`` with ``z = a @ W + b``. Backpropagation needs
``f'(z)``; for the four activations used here it can be written with the output ``h``
alone, which the forward pass has already stored, so nothing else is kept in memory.
:data:`ACTIVATIONS` holds each one's ``f`` and ``f'`` side by side:

=========  ====================  =====================
name       f(z)                  f'(z) written with h
=========  ====================  =====================
identity   z                     1
logistic   1 / (1 + exp(-z))     h (1 - h)
tanh       tanh(z)               1 - h^2
relu       max(z, 0)             1 if h > 0 else 0
=========  ====================  =====================

See notebooks/10_neural_networks.ipynb.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import expit


class Activation(NamedTuple):
    """One hidden activation: ``f`` and ``f'``, both working in place to save allocations.

    ``forward(Z)`` overwrites ``Z`` with ``f(Z)`` and returns it; ``backward(H, delta)``
    multiplies ``delta`` by ``f'(z)``, written with the layer's output ``H = f(z)``, and
    returns it.
    """

    forward: Callable
    backward: Callable


def _keep(H, delta):
    return delta  # f'(z) = 1


def _times_sigmoid_slope(H, delta):
    delta *= H * (1.0 - H)  # f'(z) = h (1 - h)
    return delta


def _times_tanh_slope(H, delta):
    delta *= 1.0 - H * H  # f'(z) = 1 - h^2
    return delta


def _zero_where_off(H, delta):
    delta[H <= 0] = 0.0  # f'(z) = 1 where the unit is on, 0 where it is off
    return delta


ACTIVATIONS = {
    "identity": Activation(lambda Z: Z, _keep),
    "logistic": Activation(lambda Z: expit(Z, out=Z), _times_sigmoid_slope),
    "tanh": Activation(lambda Z: np.tanh(Z, out=Z), _times_tanh_slope),
    "relu": Activation(lambda Z: np.maximum(Z, 0.0, out=Z), _zero_where_off),
}


def _apply(name, z):
    return ACTIVATIONS[name].forward(np.array(z, dtype=float))  # on a copy: z is left alone


def identity(z):
    """Identity activation, ``f(z) = z``."""
    return _apply("identity", z)


def logistic(z):
    """Logistic sigmoid ``f(z) = 1 / (1 + exp(-z))``, computed without overflow."""
    return _apply("logistic", z)


def tanh(z):
    """Hyperbolic tangent ``f(z) = tanh(z)``."""
    return _apply("tanh", z)


def relu(z):
    """Rectified linear unit ``f(z) = max(z, 0)``."""
    return _apply("relu", z)


def activation_derivative(name, H):
    """``f'(z)`` of the activation ``name`` written with its output ``H = f(z)``.

    Parameters
    ----------
    name : {"identity", "logistic", "tanh", "relu"}
    H : ndarray
        Outputs of the activation.

    Returns
    -------
    ndarray of the shape of ``H``.
    """
    H = np.asarray(H, dtype=float)
    return ACTIVATIONS[name].backward(H, np.ones_like(H))


def relu_derivative(z):
    """Differentiate the ReLU at its input: 1 where ``z > 0``, else 0.

    At ``z = 0`` the ReLU has no derivative; 0 is the usual convention.
    """
    return activation_derivative("relu", relu(z))


def log_softmax(Z):
    """Row-wise ``log p_k = z_k - log sum_j exp(z_j)``: the one home of the log-sum-exp.

    Subtracting each row's maximum first leaves the result unchanged and keeps ``exp``
    from overflowing; working in logs keeps a tiny probability from rounding to 0.
    :func:`softmax`, the cross-entropy loss and the classifier's ``predict_log_proba``
    all start from here.
    """
    Z = np.asarray(Z, dtype=float)
    log_P = Z - Z.max(axis=1, keepdims=True)
    log_P -= np.log(np.exp(log_P).sum(axis=1, keepdims=True))
    return log_P


def softmax(Z):
    """Row-wise softmax ``p_k = exp(z_k) / sum_j exp(z_j)``, as ``exp(log_softmax(Z))``."""
    return np.exp(log_softmax(Z))


# ----------------------------------------------------------------------------- output losses
# Each loss takes the output layer's pre-activations Z (the logits) and the encoded
# targets Y, and returns the mean loss over the n rows and dL/dZ. Softmax with
# cross-entropy, sigmoid with binary cross-entropy and identity with squared error are
# "canonical" pairs: for all three dL/dZ = (prediction - Y) / n.


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against one-hot ``Y`` and its gradient in ``Z``.

    ``L = -mean_i sum_k y_ik log p_ik`` with ``log P = log_softmax(Z)``, and
    ``dL/dZ = (P - Y) / n``.
    """
    n = Z.shape[0]
    log_P = log_softmax(Z)
    loss = -np.einsum("ij,ij->", Y, log_P) / n
    P = np.exp(log_P, out=log_P)
    P -= Y
    P /= n
    return loss, P


def sigmoid_cross_entropy(Z, Y):
    """Mean binary cross-entropy of sigmoid(Z) against 0/1 ``Y`` and its gradient in ``Z``.

    ``L = mean_i [log(1 + exp(z_i)) - y_i z_i]`` and ``dL/dZ = (sigmoid(Z) - Y) / n``.
    """
    n = Z.shape[0]
    loss = (np.logaddexp(0.0, Z).sum() - np.einsum("ij,ij->", Y, Z)) / n
    return loss, (expit(Z) - Y) / n


def squared_error(Z, Y):
    """Half the mean squared error summed over outputs, and its gradient in ``Z``.

    ``L = 1/(2n) sum_i ||z_i - y_i||^2`` and ``dL/dZ = (Z - Y) / n``.
    """
    n = Z.shape[0]
    R = Z - Y
    return 0.5 * np.einsum("ij,ij->", R, R) / n, R / n


OUTPUT_LOSSES = {
    "softmax": softmax_cross_entropy,
    "logistic": sigmoid_cross_entropy,
    "identity": squared_error,
}

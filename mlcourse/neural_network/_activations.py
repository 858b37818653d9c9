"""Activation functions, their derivatives and the output losses of an MLP.

A hidden unit computes ``h = f(z)`` with ``z = a @ W + b``. Backpropagation needs
``f'(z)``; for the four activations used here it can be written with the output ``h``
alone, which the forward pass has already stored, so nothing else is kept in memory:

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

import numpy as np
from scipy.special import expit


def identity(z):
    """Identity activation, ``f(z) = z``."""
    return z


def logistic(z):
    """Logistic sigmoid ``f(z) = 1 / (1 + exp(-z))``, computed without overflow."""
    return expit(z)


def tanh(z):
    """Hyperbolic tangent ``f(z) = tanh(z)``."""
    return np.tanh(z)


def relu(z):
    """Rectified linear unit ``f(z) = max(z, 0)``."""
    return np.maximum(z, 0.0)


def relu_derivative(z):
    """Derivative of the ReLU in terms of its input: 1 where ``z > 0``, else 0.

    At ``z = 0`` the ReLU has no derivative; 0 is the usual convention.
    """
    return (np.asarray(z) > 0).astype(float)


def softmax(Z):
    """Row-wise softmax ``p_k = exp(z_k) / sum_j exp(z_j)``.

    Subtracting each row's maximum first leaves the result unchanged and keeps
    ``exp`` from overflowing.
    """
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


ACTIVATIONS = {"identity": identity, "logistic": logistic, "tanh": tanh, "relu": relu}


def _inplace_activation(name, Z):
    """Apply the hidden activation ``name`` to ``Z`` in place (saves an allocation)."""
    if name == "relu":
        np.maximum(Z, 0.0, out=Z)
    elif name == "tanh":
        np.tanh(Z, out=Z)
    elif name == "logistic":
        expit(Z, out=Z)
    return Z


def _inplace_backprop_activation(name, H, delta):
    """Multiply ``delta`` in place by ``f'(z)``, written with the layer output ``H``."""
    if name == "relu":
        delta[H <= 0] = 0.0
    elif name == "tanh":
        delta *= 1.0 - H * H
    elif name == "logistic":
        delta *= H * (1.0 - H)
    return delta


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
    return _inplace_backprop_activation(name, np.asarray(H, dtype=float), np.ones_like(H, float))


# ----------------------------------------------------------------------------- output losses
# Each loss takes the output layer's pre-activations Z (the logits) and the encoded
# targets Y, and returns the mean loss over the n rows and dL/dZ. Softmax with
# cross-entropy, sigmoid with binary cross-entropy and identity with squared error are
# "canonical" pairs: for all three dL/dZ = (prediction - Y) / n.


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against one-hot ``Y`` and its gradient in ``Z``.

    ``L = mean_i [log sum_k exp(z_ik) - sum_k y_ik z_ik]`` and ``dL/dZ = (softmax(Z) - Y) / n``.
    """
    n = Z.shape[0]
    Z_shift = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z_shift)
    S = E.sum(axis=1)
    loss = (np.log(S).sum() - np.einsum("ij,ij->", Y, Z_shift)) / n
    E /= S[:, None]
    E -= Y
    E /= n
    return loss, E


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

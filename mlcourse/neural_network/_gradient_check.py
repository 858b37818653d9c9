"""Gradient checking: backpropagation against central finite differences.

See notebooks/10_neural_networks.ipynb.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone

from mlcourse.neural_network._backprop import dropout_masks, loss_and_gradients
from mlcourse.utils import check_params


def numerical_gradient(f, w, eps=1e-6):
    """Central-difference gradient of a scalar function of one array.

    ``df/dw_j ~ (f(w + eps e_j) - f(w - eps e_j)) / (2 eps)``, error O(eps^2).
    Costs two evaluations of ``f`` per entry, so keep ``w`` small.

    Parameters
    ----------
    f : callable
        ``f(w) -> float``.
    w : array-like
        Point at which to differentiate (not modified).
    eps : float, default=1e-6
        Step size.

    Returns
    -------
    ndarray of the shape of ``w``.
    """
    w = np.array(w, dtype=float)
    flat = w.reshape(-1)
    grad = np.empty_like(flat)
    for j in range(flat.size):  # one coordinate at a time is the point of the method
        old = flat[j]
        flat[j] = old + eps
        f_plus = f(w)
        flat[j] = old - eps
        f_minus = f(w)
        flat[j] = old
        grad[j] = (f_plus - f_minus) / (2.0 * eps)
    return grad.reshape(w.shape)


def relative_error(a, b):
    """Compute ``||a - b|| / (||a|| + ||b||)``: about 1e-8 or less for a correct gradient."""
    a, b = np.ravel(a), np.ravel(b)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


def check_gradients(model, X, y, *, eps=1e-6, random_state=0):
    """Compare a network's backpropagated gradients with finite differences.

    The loss is the one the model minimises on a mini-batch ``(X, y)`` (data loss plus
    the L2 penalty). A fitted model is checked at its learned weights; an unfitted one
    at freshly initialised weights (its ``random_state``). With ``dropout > 0`` one set
    of masks is drawn and held fixed so the loss is a function of the weights alone.
    The model itself is never modified.

    Parameters
    ----------
    model : MLPClassifier or MLPRegressor
    X : array-like of shape (n_samples, n_features)
        Keep it small: every weight costs two forward passes.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
    eps : float, default=1e-6
        Finite-difference step.
    random_state : int, default=0
        Seeds the dropout masks.

    Returns
    -------
    float
        Relative error between the two gradient vectors over all weights and biases;
        below 1e-6 means backpropagation is right.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from mlcourse.neural_network import MLPClassifier, check_gradients
    >>> X, y = load_iris(return_X_y=True)
    >>> model = MLPClassifier((5,), activation="tanh", random_state=0)
    >>> check_gradients(model, X[::10], y[::10]) < 1e-6
    True
    """
    if hasattr(model, "coefs_"):
        X, Y = model._validate_and_encode(X, y, reset=False)
    else:
        model = clone(model)
        check_params(model)
        X, Y = model._validate_and_encode(X, y, reset=True)
        model._initialize(X.shape[1], Y.shape[1], model._hidden_sizes())
    coefs = [W.copy() for W in model.coefs_]
    intercepts = [b.copy() for b in model.intercepts_]
    shapes = [p.shape for p in coefs + intercepts]
    masks = None
    if model.dropout > 0 and len(coefs) > 1:
        rng = np.random.default_rng(random_state)
        masks = dropout_masks(X.shape[0], [W.shape[1] for W in coefs[:-1]], model.dropout, rng)

    def unpack(theta):
        params, start = [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            params.append(theta[start:start + size].reshape(shape))
            start += size
        return params[: len(coefs)], params[len(coefs):]

    def loss(theta):
        Ws, bs = unpack(theta)
        value, _, _ = loss_and_gradients(
            Ws, bs, X, Y, model.activation, model.out_activation_, model.alpha, masks
        )
        return value

    _, coef_grads, intercept_grads = loss_and_gradients(
        coefs, intercepts, X, Y, model.activation, model.out_activation_, model.alpha, masks
    )
    analytic = np.concatenate([g.ravel() for g in coef_grads + intercept_grads])
    theta = np.concatenate([p.ravel() for p in coefs + intercepts])
    return relative_error(analytic, numerical_gradient(loss, theta, eps))

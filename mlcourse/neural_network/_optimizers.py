"""Stochastic optimisers that update a list of parameter arrays in place.

See notebooks/10_neural_networks.ipynb (SGD, momentum and Adam side by side).
"""

from __future__ import annotations

import numpy as np


class SGDOptimizer:
    """Mini-batch gradient descent with (optionally Nesterov) momentum.

    ``v <- mu v - lr g`` then ``w <- w + v``; Nesterov's variant looks one step ahead:
    ``w <- w + mu v - lr g``. With ``momentum=0`` both are plain SGD, ``w <- w - lr g``.

    Parameters
    ----------
    params : list of ndarray
        The arrays that will be updated (used for the shapes of the velocities).
    learning_rate : float
    momentum : float in [0, 1]
    nesterov : bool

    References
    ----------
    .. [1] I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of
       initialization and momentum in deep learning", Proceedings of the 30th International
       Conference on Machine Learning (ICML), PMLR 28(3), 1139-1147, 2013 (classical and
       Nesterov momentum side by side).
    """

    def __init__(self, params, learning_rate=0.01, momentum=0.9, nesterov=True):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocities = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        """Update every ``params[i]`` in place from ``grads[i]`` (which are consumed)."""
        lr, mu = self.learning_rate, self.momentum
        for w, v, g in zip(params, self.velocities, grads, strict=True):
            g *= lr  # the gradients are fresh each batch, so scale them in place
            if mu == 0.0:
                w -= g
                continue
            v *= mu
            v -= g
            if self.nesterov:
                w += mu * v
                w -= g
            else:
                w += v


class AdamOptimizer:
    """Adam (Kingma and Ba, 2015): momentum on the gradient and on its square.

    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g^2``, and with the bias
    corrections ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``:
    ``w <- w - lr m_hat / (sqrt(v_hat) + eps)``.

    Parameters
    ----------
    params : list of ndarray
    learning_rate : float
    beta_1, beta_2 : float in [0, 1)
    epsilon : float

    References
    ----------
    .. [1] D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization",
       International Conference on Learning Representations (ICLR), 2015.
       arXiv:1412.6980 (Algorithm 1; the folded step size is the variant at the end of
       its Section 2).
    """

    def __init__(self, params, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.ms = [np.zeros_like(p) for p in params]
        self.vs = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        """Update every ``params[i]`` in place from ``grads[i]`` (which are consumed)."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        # Folding both bias corrections into one step size and one epsilon gives exactly
        # lr * m_hat / (sqrt(v_hat) + eps) with two fewer passes over each array.
        c2 = np.sqrt(1.0 - b2**self.t)
        lr_t = self.learning_rate * c2 / (1.0 - b1**self.t)
        eps_t = self.epsilon * c2
        for w, m, v, g in zip(params, self.ms, self.vs, grads, strict=True):
            m *= b1
            m += (1.0 - b1) * g
            g *= g
            v *= b2
            v += (1.0 - b2) * g
            denom = np.sqrt(v)
            denom += eps_t
            np.divide(m, denom, out=denom)
            denom *= lr_t
            w -= denom

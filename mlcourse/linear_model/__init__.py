"""Linear models written from scratch in NumPy.

- :class:`LinearRegression`: least squares, normal equations or (mini-)batch gradient descent
  (notebook 05).
- :class:`SGDRegressor`: per-sample stochastic gradient descent with learning-rate schedules
  (notebook 05).
- :class:`LogisticRegression`: L2-penalised binary and multinomial logistic regression
  (notebook 06).

The losses and their gradients are public too, so a notebook can reuse the reference
version of what it just built: :func:`mse_loss_grad`, :func:`sigmoid`, :func:`softmax`,
:func:`log_sum_exp`, :func:`binary_loss_grad`, :func:`multinomial_loss_grad`.
"""

from mlcourse.linear_model._base import LinearRegression, mse_loss_grad
from mlcourse.linear_model._logistic import (
    LogisticRegression,
    binary_loss_grad,
    log_sum_exp,
    multinomial_loss_grad,
    sigmoid,
    softmax,
)
from mlcourse.linear_model._stochastic_gradient import SGDRegressor

__all__ = [
    "LinearRegression",
    "LogisticRegression",
    "SGDRegressor",
    "binary_loss_grad",
    "log_sum_exp",
    "mse_loss_grad",
    "multinomial_loss_grad",
    "sigmoid",
    "softmax",
]

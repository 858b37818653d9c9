"""Linear models written from scratch in NumPy.

- :class:`LinearRegression`: least squares, normal equations or (mini-)batch gradient descent
  (notebook 05).
- :class:`SGDRegressor`: per-sample stochastic gradient descent with learning-rate schedules
  (notebook 05).
- :class:`LogisticRegression`: L2-penalised binary and multinomial logistic regression
  (notebook 06).
- :class:`Ridge`: least squares with an L2 penalty in closed form; :func:`ridge_path`
  (notebook 14).
- :class:`Lasso`, :class:`ElasticNet`: L1 and L1 + L2 penalties by cyclic coordinate
  descent with soft-thresholding; :func:`lasso_path`, :func:`enet_path`; :class:`LassoCV`,
  :class:`ElasticNetCV` choose the strength by cross-validation (notebook 14).

The losses and their gradients are public too, so a notebook can reuse the reference
version of what it just built: :func:`mse_loss_grad`, :func:`sigmoid`, :func:`softmax`,
:func:`log_sum_exp`, :func:`binary_loss_grad`, :func:`multinomial_loss_grad`.
"""

from mlcourse.linear_model._base import LinearRegression, mse_loss_grad
from mlcourse.linear_model._coordinate_descent import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    coordinate_descent_simple,
    enet_path,
    lasso_path,
    soft_threshold,
)
from mlcourse.linear_model._logistic import (
    LogisticRegression,
    binary_loss_grad,
    log_sum_exp,
    multinomial_loss_grad,
    sigmoid,
    softmax,
)
from mlcourse.linear_model._ridge import Ridge, ridge_path
from mlcourse.linear_model._stochastic_gradient import SGDRegressor

__all__ = [
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "LinearRegression",
    "LogisticRegression",
    "Ridge",
    "SGDRegressor",
    "binary_loss_grad",
    "coordinate_descent_simple",
    "enet_path",
    "lasso_path",
    "log_sum_exp",
    "mse_loss_grad",
    "multinomial_loss_grad",
    "ridge_path",
    "sigmoid",
    "soft_threshold",
    "softmax",
]

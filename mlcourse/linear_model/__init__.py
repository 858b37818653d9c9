"""Linear models written from scratch in NumPy.

- :class:`LinearRegression`: least squares, normal equations or (mini-)batch gradient descent
  (notebook 05).
- :class:`SGDRegressor`: per-sample stochastic gradient descent with learning-rate schedules
  (notebook 05).
- :class:`LogisticRegression`: L2-penalised binary and multinomial logistic regression
  (notebook 06).
"""

from mlcourse.linear_model._base import LinearRegression
from mlcourse.linear_model._logistic import LogisticRegression
from mlcourse.linear_model._stochastic_gradient import SGDRegressor

__all__ = ["LinearRegression", "LogisticRegression", "SGDRegressor"]

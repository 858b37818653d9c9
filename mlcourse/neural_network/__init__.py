"""Neural networks from scratch: multi-layer perceptrons, backpropagation, gradient checks.

See notebooks/10_neural_networks.ipynb.
"""

from mlcourse.neural_network._activations import (
    activation_derivative,
    logistic,
    relu,
    relu_derivative,
    sigmoid_cross_entropy,
    softmax,
    softmax_cross_entropy,
    squared_error,
    tanh,
)
from mlcourse.neural_network._backprop import (
    backward,
    forward,
    init_weights,
    loss_and_gradients,
)
from mlcourse.neural_network._gradient_check import (
    check_gradients,
    numerical_gradient,
    relative_error,
)
from mlcourse.neural_network._multilayer_perceptron import MLPClassifier, MLPRegressor
from mlcourse.neural_network._optimizers import AdamOptimizer, SGDOptimizer

__all__ = [
    "AdamOptimizer",
    "MLPClassifier",
    "MLPRegressor",
    "SGDOptimizer",
    "activation_derivative",
    "backward",
    "check_gradients",
    "forward",
    "init_weights",
    "logistic",
    "loss_and_gradients",
    "numerical_gradient",
    "relative_error",
    "relu",
    "relu_derivative",
    "sigmoid_cross_entropy",
    "softmax",
    "softmax_cross_entropy",
    "squared_error",
    "tanh",
]

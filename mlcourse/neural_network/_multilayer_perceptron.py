"""Multi-layer perceptrons trained by mini-batch backpropagation.

See notebooks/10_neural_networks.ipynb.
"""

from __future__ import annotations

import numbers
import warnings
from abc import ABCMeta, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlcourse.neural_network._activations import ACTIVATIONS, log_softmax, softmax
from mlcourse.neural_network._backprop import (
    INIT_SCHEMES,
    dropout_masks,
    init_weights,
    loss_and_gradients,
    predict_logits,
)
from mlcourse.neural_network._optimizers import AdamOptimizer, SGDOptimizer
from mlcourse.utils import Rule, check_params, integer, one_of, real


def _as_generator(random_state):
    """Make a ``numpy.random.Generator`` from ``None``, an int, a RandomState or a Generator."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, numbers.Integral):
        return np.random.default_rng(random_state)
    return np.random.default_rng(check_random_state(random_state).randint(2**31 - 1))


def _is_layer_sizes(value):
    """Tell whether ``value`` is a sequence (possibly empty) of ints >= 1."""
    return (not isinstance(value, str) and hasattr(value, "__iter__")
            and all(integer(ge=1).accepts(h) for h in value))


class _BaseMLP(BaseEstimator, metaclass=ABCMeta):
    """Shared training loop of :class:`MLPClassifier` and :class:`MLPRegressor`.

    A subclass says what the network predicts by supplying the abstract methods below:
    the output function, how targets become the array ``Y`` the loss compares with, and
    how a held-out set is scored for early stopping.
    """

    _parameter_rules = {
        "hidden_layer_sizes": [integer(ge=1), Rule("a sequence of ints >= 1", _is_layer_sizes)],
        "activation": one_of(*ACTIVATIONS),
        "solver": one_of("sgd", "adam"),
        "alpha": real(ge=0, lt=np.inf),
        "batch_size": [one_of("auto"), integer(ge=1)],
        "learning_rate_init": real(gt=0, lt=np.inf),
        "max_iter": integer(ge=1),
        "tol": real(ge=0, lt=np.inf),
        "momentum": real(ge=0, le=1),
        "validation_fraction": real(gt=0, lt=1),
        "beta_1": real(ge=0, lt=1),
        "beta_2": real(ge=0, lt=1),
        "epsilon": real(gt=0, lt=np.inf),
        "n_iter_no_change": integer(ge=1),
        "dropout": real(ge=0, lt=1),
        "init": one_of(*INIT_SCHEMES),
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate_init=0.001,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        dropout=0.0,
        init="glorot",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.dropout = dropout
        self.init = init

    # ------------------------------------------------------------------ supplied by subclasses
    @abstractmethod
    def _output_activation(self):
        """Name the output function: "softmax", "logistic" or "identity" (an OUTPUT_LOSSES key)."""

    @abstractmethod
    def _validate_and_encode(self, X, y, reset, classes=None):
        """Validate ``X`` and encode the targets as the 2-D float array ``Y`` the loss expects.

        ``reset`` is True on a first fit, which learns what the targets are (``classes_``).
        """

    @abstractmethod
    def _stratify_labels(self, Y):
        """Labels to stratify the early-stopping split by, or None."""

    @abstractmethod
    def _validation_score(self, X_val, Y_val):
        """Score on the held-out rows (higher is better) that early stopping watches."""

    # ------------------------------------------------------------------ validation
    def _hidden_sizes(self):
        """``hidden_layer_sizes`` as a list (an int is one hidden layer)."""
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, numbers.Integral) else sizes
        return [int(h) for h in sizes]

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y):
        """Train the network on ``(X, y)`` for at most ``max_iter`` epochs.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)

        Returns
        -------
        self
        """
        return self._fit(X, y, incremental=False)

    def _fit(self, X, y, incremental, classes=None):
        check_params(self)
        hidden_sizes = self._hidden_sizes()
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True.")
        first_call = not hasattr(self, "coefs_") or not (incremental or self.warm_start)
        X, Y = self._validate_and_encode(X, y, reset=first_call, classes=classes)
        if first_call:
            self._initialize(X.shape[1], Y.shape[1], hidden_sizes)
        elif not incremental:  # warm start: same weights, fresh patience
            self._rng = _as_generator(self.random_state)
            self._reset_patience()
        self._train(X, Y, incremental=incremental)
        return self

    def _initialize(self, n_features, n_outputs, hidden_sizes):
        """Fresh weights, optimiser state and bookkeeping."""
        self._rng = _as_generator(self.random_state)
        self.n_outputs_ = n_outputs
        self.n_layers_ = len(hidden_sizes) + 2
        self.out_activation_ = self._output_activation()
        layer_sizes = [n_features, *hidden_sizes, n_outputs]
        self.coefs_, self.intercepts_ = init_weights(layer_sizes, self.activation, self._rng,
                                                   self.init)
        self.n_iter_ = 0
        self.t_ = 0
        self.loss_curve_ = []
        self._optimizer = self._make_optimizer()
        self._reset_patience()

    def _reset_patience(self):
        """Bookkeeping of the stopping rule, fresh for every call of ``fit``."""
        self.best_loss_ = np.inf
        self._no_improvement_count = 0
        if self.early_stopping:
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
        else:
            self.validation_scores_ = None
            self.best_validation_score_ = None

    def _make_optimizer(self):
        params = self.coefs_ + self.intercepts_
        if self.solver == "sgd":
            return SGDOptimizer(
                params, self.learning_rate_init, self.momentum, self.nesterovs_momentum
            )
        return AdamOptimizer(
            params, self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon
        )

    def _train(self, X, Y, incremental):
        """Run mini-batch epochs until convergence or ``max_iter``; one only for ``partial_fit``."""
        early_stopping = self.early_stopping and not incremental
        if early_stopping:
            X, Y, X_val, Y_val = self._validation_split(X, Y)
        else:
            X_val = Y_val = None
        n = X.shape[0]
        batch_size = min(200, n) if self.batch_size == "auto" else min(self.batch_size, n)
        n_epochs = 1 if incremental else self.max_iter
        converged = False
        for _ in range(n_epochs):
            epoch_loss = self._run_epoch(X, Y, batch_size)
            self.n_iter_ += 1
            self.t_ += n
            self.loss_curve_.append(epoch_loss)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_curve_[-1]:.8f}")
            if self._no_progress(early_stopping, X_val, Y_val):
                converged = True
                break
        if early_stopping:
            self.coefs_ = self._best_coefs
            self.intercepts_ = self._best_intercepts
        if not all(np.isfinite(p).all() for p in self.coefs_ + self.intercepts_):
            raise ValueError(
                "The solver produced non-finite weights (inf or NaN): the input has values too "
                "large, or learning_rate_init is too high. Scale the features (StandardScaler) "
                "or lower the learning rate.")
        if not incremental and not converged:
            warnings.warn(
                f"Maximum iterations ({self.max_iter}) reached and the optimisation hasn't "
                "converged yet.",
                ConvergenceWarning,
                stacklevel=4,  # point at the line that called fit
            )
        self.loss_ = self.loss_curve_[-1]

    def _run_epoch(self, X, Y, batch_size):
        """Take one optimiser step per mini-batch over all the rows; return the mean loss.

        The rows are shuffled first when ``shuffle``; with ``dropout``, each batch draws its
        own masks. The loss is the one of each batch before its step, averaged over rows.
        """
        n = X.shape[0]
        params = self.coefs_ + self.intercepts_
        hidden_sizes = [W.shape[1] for W in self.coefs_[:-1]]
        if self.shuffle:
            # one gather per epoch, after which every batch is a cheap view
            order = self._rng.permutation(n)
            X, Y = X[order], Y[order]
        total_loss = 0.0
        for start in range(0, n, batch_size):
            X_b = X[start:start + batch_size]
            Y_b = Y[start:start + batch_size]
            masks = None
            if self.dropout > 0 and hidden_sizes:
                masks = dropout_masks(X_b.shape[0], hidden_sizes, self.dropout, self._rng)
            loss, coef_grads, intercept_grads = loss_and_gradients(
                self.coefs_, self.intercepts_, X_b, Y_b,
                self.activation, self.out_activation_, self.alpha, masks,
            )
            total_loss += loss * X_b.shape[0]
            self._optimizer.step(params, coef_grads + intercept_grads)
        return total_loss / n

    def _no_progress(self, early_stopping, X_val, Y_val):
        """Update the patience counter; True once it reaches ``n_iter_no_change``.

        Progress means the validation score rose by more than ``tol`` (early stopping)
        or the training loss fell by more than ``tol``.
        """
        if early_stopping:
            score = self._validation_score(X_val, Y_val)
            self.validation_scores_.append(score)
            improved = score > self.best_validation_score_ + self.tol
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_coefs = [W.copy() for W in self.coefs_]
                self._best_intercepts = [b.copy() for b in self.intercepts_]
        else:
            loss = self.loss_curve_[-1]
            improved = loss < self.best_loss_ - self.tol
            self.best_loss_ = min(self.best_loss_, loss)
        self._no_improvement_count = 0 if improved else self._no_improvement_count + 1
        return self._no_improvement_count >= self.n_iter_no_change

    def _validation_split(self, X, Y):
        stratify = self._stratify_labels(Y)
        seed = int(self._rng.integers(2**31 - 1))
        X_train, X_val, Y_train, Y_val = train_test_split(
            X, Y, test_size=self.validation_fraction, random_state=seed, stratify=stratify
        )
        if X_val.shape[0] < 2:
            raise ValueError(
                "The validation set is too small for early stopping: increase "
                "validation_fraction or use more samples."
            )
        return X_train, Y_train, X_val, Y_val

    def _forward_logits(self, X):
        check_is_fitted(self, "coefs_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return predict_logits(X, self.coefs_, self.intercepts_, self.activation)


def _class_logits(Z):
    """Return one logit per class.

    A two-class network has one output ``z``, the log-odds of ``classes_[1]``;
    ``sigmoid(z) = softmax([0, z])[1]``, so ``[0, z]`` are its two logits.
    """
    if Z.shape[1] == 1:
        return np.column_stack([np.zeros(Z.shape[0]), Z[:, 0]])
    return Z


class MLPClassifier(ClassifierMixin, _BaseMLP):
    """Multi-layer perceptron classifier trained by backpropagation.

    Hidden layers compute ``h = f(h_prev @ W + b)``; the output is a softmax over the
    classes (a single sigmoid unit for two classes) and the loss is the mean
    cross-entropy plus ``alpha / (2 n) * sum ||W||^2`` over each mini-batch of ``n`` rows.
    See notebooks/10_neural_networks.ipynb.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units in each hidden layer.
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
        Hidden activation. ReLU layers start from He initialisation, the others from
        Glorot/Xavier.
    solver : {"adam", "sgd"}, default="adam"
    alpha : float, default=1e-4
        L2 penalty strength.
    batch_size : int or "auto", default="auto"
        Rows per mini-batch; "auto" is ``min(200, n_samples)``.
    learning_rate_init : float, default=1e-3
        Step size (constant).
    max_iter : int, default=200
        Maximum number of epochs (passes over the training data).
    shuffle : bool, default=True
        Shuffle the rows before every epoch.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the initial weights, the shuffling, dropout and the validation split.
    tol : float, default=1e-4
        Smallest change that counts as progress (see ``n_iter_no_change``).
    verbose : bool, default=False
        Print the loss after each epoch.
    warm_start : bool, default=False
        Continue from the current weights when ``fit`` is called again.
    momentum : float, default=0.9
        Momentum of the "sgd" solver.
    nesterovs_momentum : bool, default=True
        Use Nesterov's look-ahead momentum with "sgd".
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training rows (stratified), stop when
        their accuracy has not improved by ``tol`` for ``n_iter_no_change`` epochs and
        keep the best weights.
    validation_fraction : float, default=0.1
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's first and second moment estimates.
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int, default=10
        Epochs without progress before training stops.
    dropout : float in [0, 1), default=0.0
        Probability of zeroing each hidden unit during training (inverted dropout:
        survivors are scaled by ``1 / (1 - dropout)``, nothing changes at predict time).
    init : {"glorot", "he"}, default="glorot"
        Starting weights (see :func:`init_weights`): "glorot" is scikit-learn's start and suits
        shallow networks; "he" keeps the signal alive through many ReLU layers (notebook 10).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coefs_ : list of ndarray
        ``coefs_[l]`` has shape ``(units in layer l, units in layer l + 1)``.
    intercepts_ : list of ndarray
    loss_curve_ : list of float
        Mean training loss of each epoch.
    loss_ : float
        Last entry of ``loss_curve_``.
    best_loss_ : float
        Lowest training loss seen.
    validation_scores_ : list of float or None
        Validation accuracy per epoch (early stopping only).
    best_validation_score_ : float or None
        Best validation accuracy (early stopping only).
    n_iter_ : int
        Epochs run.
    t_ : int
        Training rows seen.
    n_layers_ : int
        Layers including input and output.
    n_outputs_ : int
    out_activation_ : {"softmax", "logistic"}
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from mlcourse.neural_network import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.03, random_state=0)
    >>> clf.fit(X, y).score(X, y) > 0.9
    True
    """

    def _output_activation(self):
        return "logistic" if len(self.classes_) == 2 else "softmax"

    def _validate_and_encode(self, X, y, reset, classes=None):
        X, y = validate_data(self, X, y, reset=reset, dtype=np.float64)
        check_classification_targets(y)
        if reset:
            labels = np.unique(y) if classes is None else np.unique(np.asarray(classes))
            if labels.shape[0] < 2:
                raise ValueError(
                    f"MLPClassifier needs samples of at least 2 classes; got {labels.shape[0]} "
                    "class."
                )
            self.classes_ = labels
        index = np.searchsorted(self.classes_, y)
        unknown = (index >= len(self.classes_)) | (
            self.classes_[np.minimum(index, len(self.classes_) - 1)] != y
        )
        if unknown.any():
            raise ValueError(
                f"y contains labels {np.unique(y[unknown])!r} that are not in classes_ "
                f"{self.classes_!r}."
            )
        if len(self.classes_) == 2:
            return X, index[:, None].astype(np.float64)
        Y = np.zeros((y.shape[0], len(self.classes_)))
        Y[np.arange(y.shape[0]), index] = 1.0
        return X, Y

    def _stratify_labels(self, Y):
        """Class index of each row of the encoded targets."""
        return Y.argmax(axis=1) if Y.shape[1] > 1 else Y[:, 0].astype(int)

    def _validation_score(self, X_val, Y_val):
        """Accuracy on the held-out rows."""
        Z = predict_logits(X_val, self.coefs_, self.intercepts_, self.activation)
        predicted = _class_logits(Z).argmax(axis=1)
        return float(np.mean(predicted == self._stratify_labels(Y_val)))

    def partial_fit(self, X, y, classes=None):
        """One epoch of mini-batch updates on ``(X, y)``, continuing from the current weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        classes : array-like or None
            All the classes; needed on the first call when ``y`` does not contain them all.

        Returns
        -------
        self
        """
        return self._fit(X, y, incremental=True, classes=classes)

    def predict(self, X):
        """Class with the highest predicted probability for each row of ``X``."""
        Z = _class_logits(self._forward_logits(X))
        return self.classes_[Z.argmax(axis=1)]

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order."""
        return softmax(_class_logits(self._forward_logits(X)))

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably from the logits."""
        return log_softmax(_class_logits(self._forward_logits(X)))


class MLPRegressor(RegressorMixin, _BaseMLP):
    """Multi-layer perceptron regressor trained by backpropagation.

    Hidden layers compute ``h = f(h_prev @ W + b)``, the output layer is linear and the
    loss is half the mean squared error plus ``alpha / (2 n) * sum ||W||^2`` over each
    mini-batch of ``n`` rows. Scale the features (and a large target) first.
    See notebooks/10_neural_networks.ipynb.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
    solver : {"adam", "sgd"}, default="adam"
    alpha : float, default=1e-4
    batch_size : int or "auto", default="auto"
    learning_rate_init : float, default=1e-3
    max_iter : int, default=200
    shuffle : bool, default=True
    random_state : int, RandomState, Generator or None, default=None
    tol : float, default=1e-4
    verbose : bool, default=False
    warm_start : bool, default=False
    momentum : float, default=0.9
    nesterovs_momentum : bool, default=True
    early_stopping : bool, default=False
        Stop when the validation R^2 has not improved by ``tol`` for
        ``n_iter_no_change`` epochs and keep the best weights.
    validation_fraction : float, default=0.1
    beta_1, beta_2 : float, default=0.9, 0.999
    epsilon : float, default=1e-8
    n_iter_no_change : int, default=10
    dropout : float in [0, 1), default=0.0
    init : {"glorot", "he"}, default="glorot"

    The parameters mean the same as in :class:`MLPClassifier`.

    Attributes
    ----------
    coefs_, intercepts_ : lists of ndarray
    loss_curve_ : list of float
    loss_, best_loss_ : float
    validation_scores_ : list of float or None
        Validation R^2 per epoch (early stopping only).
    best_validation_score_ : float or None
    n_iter_, t_, n_layers_, n_outputs_ : int
    out_activation_ : "identity"
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlcourse.neural_network import MLPRegressor
    >>> X = np.linspace(-2, 2, 200)[:, None]
    >>> reg = MLPRegressor((32,), learning_rate_init=0.03, random_state=0)
    >>> reg = reg.fit(X, np.sin(X[:, 0]))
    >>> reg.score(X, np.sin(X[:, 0])) > 0.95
    True
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # one linear output unit per target column
        return tags

    def _output_activation(self):
        return "identity"

    def _validate_and_encode(self, X, y, reset, classes=None):
        X, y = validate_data(
            self, X, y, reset=reset, dtype=np.float64, multi_output=True, y_numeric=True
        )
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if not reset and Y.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {Y.shape[1]} outputs but the model was fitted with "
                             f"{self.n_outputs_}.")
        return X, Y.astype(np.float64, copy=False)

    def _stratify_labels(self, Y):
        return None

    def _validation_score(self, X_val, Y_val):
        Z = predict_logits(X_val, self.coefs_, self.intercepts_, self.activation)
        return float(r2_score(Y_val, Z))

    def partial_fit(self, X, y):
        """One epoch of mini-batch updates on ``(X, y)``, continuing from the current weights.

        Returns
        -------
        self
        """
        return self._fit(X, y, incremental=True)

    def predict(self, X):
        """Predicted targets, shape (n_samples,) or (n_samples, n_outputs)."""
        Z = self._forward_logits(X)
        return Z[:, 0] if Z.shape[1] == 1 else Z

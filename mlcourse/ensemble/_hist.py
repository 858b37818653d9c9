"""Histogram-based gradient boosting: binned features, gradient histograms, leaf-wise trees.

1. **Bin** every feature once into at most ``max_bins`` quantile bins (``uint8`` codes).
2. Each iteration computes the gradient ``g`` and hessian ``h`` of the loss per sample.
3. A node's **histogram** is the sum of ``g``, ``h`` and the count per (feature, bin):
   one ``np.bincount`` over the flattened (sample, feature) codes, with ``g`` as weights.
   A cumulative sum along the bins then scores every split of every feature at once:
   ``gain = G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2)``.
4. **Subtraction**: after a split only the smaller child is counted; the larger child's
   histogram is the parent's minus the smaller one's.
5. Trees grow **leaf-wise**: the leaf with the largest gain is split next, up to
   ``max_leaf_nodes``; a leaf predicts the Newton step ``-G / (H + l2)``.

See notebooks/15_ensembles.ipynb.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, logsumexp, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from mlcourse.tree._tree import TREE_LEAF, TREE_UNDEFINED, Tree
from mlcourse.utils import check_params, integer, one_of, real

# a child needs at least this much hessian (as in scikit-learn)
MIN_HESSIAN_TO_SPLIT = 1e-3
# quantiles are computed on at most this many rows (as in scikit-learn)
SUBSAMPLE_FOR_BINS = 200_000


# --- 1. binning --------------------------------------------------------------------------------


def find_bin_thresholds(x, max_bins):
    """Return the upper edges of the bins of one feature.

    They are the midpoints between distinct values when there are at most ``max_bins`` of
    them, else ``max_bins - 1`` quantiles.
    """
    distinct = np.unique(x)
    if distinct.size <= max_bins:
        return (distinct[:-1] + distinct[1:]) / 2
    q = np.linspace(0, 100, max_bins + 1)[1:-1]
    return np.unique(np.percentile(x, q, method="midpoint"))


def bin_features(X, thresholds):
    """``uint8`` bin codes: ``code = b`` where ``thresholds[b-1] < x <= thresholds[b]``."""
    out = np.empty(X.shape, dtype=np.uint8)
    for j, thr in enumerate(thresholds):  # one vectorised search per feature
        out[:, j] = np.searchsorted(thr, X[:, j], side="left")
    return out


# --- 2. histograms and the best split of a node ------------------------------------------------


def histograms(codes, rows, g, h, n_bins):
    """Sum ``g``, ``h`` and the counts per (feature, bin) over ``rows``.

    ``codes`` holds ``bin + j * n_bins`` for feature ``j`` (shape (n, d)), so one
    ``np.bincount`` over the flattened ``codes[rows]`` fills all ``d`` histograms at once.
    ``h`` may be ``None`` (constant unit hessian, squared error): then ``H`` is the count.
    """
    flat = codes[rows].ravel()
    d = codes.shape[1]
    size = d * n_bins
    C = np.bincount(flat, minlength=size).reshape(d, n_bins).astype(np.float64)
    G = np.bincount(flat, weights=np.repeat(g[rows], d), minlength=size).reshape(d, n_bins)
    H = C if h is None else np.bincount(flat, weights=np.repeat(h[rows], d),
                                        minlength=size).reshape(d, n_bins)
    return G, H, C


def best_split(G, H, C, min_samples_leaf, l2):
    """Find the best (gain, feature, bin) of a node from its histograms.

    Samples with ``bin <= b`` go left. The gain is ``-inf`` when no split is allowed.
    """
    S = np.cumsum(np.stack((G, H, C)), axis=2)  # (3, d, n_bins): left sums at each bin
    total = S[:, 0, -1]  # (G, H, C) of the whole node
    GL, HL, CL = S[:, :, :-1]
    GR, HR, CR = total[:, None, None] - S[:, :, :-1]
    Gt, Ht = total[0], total[1]
    valid = (CL >= min_samples_leaf) & (CR >= min_samples_leaf)
    valid &= (HL >= MIN_HESSIAN_TO_SPLIT) & (HR >= MIN_HESSIAN_TO_SPLIT)
    with np.errstate(divide="ignore", invalid="ignore"):
        gain = GL**2 / (HL + l2) + GR**2 / (HR + l2) - Gt**2 / (Ht + l2)
    gain[~valid] = -np.inf
    f, b = np.unravel_index(np.argmax(gain), gain.shape)
    return float(gain[f, b]), int(f), int(b)


# --- 3. growing one tree leaf-wise -------------------------------------------------------------


class _Node:
    __slots__ = ("id", "rows", "hist", "depth", "split", "value")

    def __init__(self, node_id, rows, hist, depth):
        self.id, self.rows, self.hist, self.depth = node_id, rows, hist, depth
        self.split = None


def grow_hist_tree(codes, X_binned, g, h, rows, *, n_bins, max_leaf_nodes, max_depth,
                   min_samples_leaf, l2, bin_thresholds):
    """Grow one tree on gradients ``g`` and hessians ``h`` (``None``: all ones).

    Returns the fitted :class:`mlcourse.tree.Tree` (thresholds on the raw feature scale,
    values ``-G / (H + l2)`` at the leaves, not yet shrunk) and the rows of each leaf.
    """
    max_leaf_nodes = np.inf if max_leaf_nodes is None else max_leaf_nodes
    max_depth = np.inf if max_depth is None else max_depth
    nodes = [_Node(0, rows, histograms(codes, rows, g, h, n_bins), 0)]
    feature, bin_thr, left, right = [TREE_UNDEFINED], [0], [TREE_LEAF], [TREE_LEAF]

    def consider(node):
        if node.depth < max_depth and node.rows.size >= 2 * min_samples_leaf:
            gain, f, b = best_split(*node.hist, min_samples_leaf, l2)
            if gain > 0:
                node.split = (gain, f, b)

    consider(nodes[0])
    n_leaves = 1
    while n_leaves < max_leaf_nodes:
        open_nodes = [node for node in nodes if node.split is not None]
        if not open_nodes:
            break
        parent = max(open_nodes, key=lambda node: node.split[0])
        _, f, b = parent.split
        parent.split = None
        go_left = X_binned[parent.rows, f] <= b
        children = [parent.rows[go_left], parent.rows[~go_left]]
        small = int(children[1].size < children[0].size)
        # count the smaller child; the larger one is the parent minus it
        hist_small = histograms(codes, children[small], g, h, n_bins)
        hist_large = tuple(P - S for P, S in zip(parent.hist, hist_small, strict=True))
        hists = [hist_small, hist_large] if small == 0 else [hist_large, hist_small]
        ids = [len(nodes), len(nodes) + 1]
        for node_id, child_rows, hist in zip(ids, children, hists, strict=True):
            child = _Node(node_id, child_rows, hist, parent.depth + 1)
            nodes.append(child)
            consider(child)
            feature.append(TREE_UNDEFINED)
            bin_thr.append(0)
            left.append(TREE_LEAF)
            right.append(TREE_LEAF)
        feature[parent.id], bin_thr[parent.id] = f, b
        left[parent.id], right[parent.id] = ids
        parent.hist = None  # no longer needed: free the memory
        n_leaves += 1

    feature, left, right = (np.array(a, dtype=np.intp) for a in (feature, left, right))
    G = np.array([node.hist[0][0].sum() if node.hist else 0.0 for node in nodes])
    H = np.array([node.hist[1][0].sum() if node.hist else 0.0 for node in nodes])
    value = np.where(left == TREE_LEAF, -G / (H + l2 + 1e-15), 0.0)
    threshold = np.array([bin_thresholds[f][b] if f >= 0 else float(TREE_UNDEFINED)
                          for f, b in zip(feature, bin_thr, strict=True)])
    n = len(nodes)
    depth = np.array([node.depth for node in nodes])
    count = np.array([node.rows.size for node in nodes])
    tree = Tree(feature, threshold, left, right, value, np.zeros(n), count,
                count.astype(np.float64), depth, np.zeros(n))
    leaf_rows = [(node.id, node.rows) for node in nodes if left[node.id] == TREE_LEAF]
    return tree, leaf_rows


# --- 4. the estimators ---------------------------------------------------------------------------


# What the parameters of both boosters may be; each adds its loss.
_HIST_RULES = {
    "learning_rate": real(gt=0),
    "max_iter": integer(ge=1),
    "max_leaf_nodes": [None, integer(ge=2)],
    "max_depth": [None, integer(ge=1)],
    "min_samples_leaf": integer(ge=1),
    "l2_regularization": real(ge=0),
    "max_bins": integer(ge=2, le=255),
    "early_stopping": one_of("auto", True, False),
    "scoring": one_of("loss"),
    "validation_fraction": real(gt=0, lt=1),
    "n_iter_no_change": integer(ge=1),
    "tol": real(ge=0),
}


class _BaseHistGradientBoosting(BaseEstimator):

    def __init__(self, loss, *, learning_rate=0.1, max_iter=100, max_leaf_nodes=31,
                 max_depth=None, min_samples_leaf=20, l2_regularization=0.0, max_bins=255,
                 early_stopping="auto", scoring="loss", validation_fraction=0.1,
                 n_iter_no_change=10, tol=1e-7, verbose=0, random_state=None):
        self.loss = loss
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.max_bins = max_bins
        self.early_stopping = early_stopping
        self.scoring = scoring
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state

    def _fit(self, X, Y, sw, stratify=None):
        """Run the boosting loop; ``Y`` is (n, K): the target, or one-hot classes."""
        check_params(self)
        rng = check_random_state(self.random_state)
        n = X.shape[0]
        self.do_early_stopping_ = (n > 10_000 if self.early_stopping == "auto"
                                   else bool(self.early_stopping))
        if self.do_early_stopping_:
            seed = rng.randint(np.iinfo(np.uint32).max, dtype=np.int64)
            split = train_test_split(X, Y, sw, test_size=self.validation_fraction,
                                     stratify=stratify, random_state=seed % (2**32))
            X, X_val, Y, Y_val, sw, sw_val = split
        n = X.shape[0]  # the rows left for training
        K = Y.shape[1]
        self._baseline = self._baseline_raw(Y, sw)

        X_binned, codes = self._bin(X, rng)
        raw = np.tile(self._baseline, (n, 1))
        unit_hessian = self._constant_hessian and np.all(sw == 1)
        self._predictors = []
        self.train_score_ = [-self._loss(Y, raw, sw)]
        if self.do_early_stopping_:
            raw_val = np.tile(self._baseline, (X_val.shape[0], 1))
            self.validation_score_ = [-self._loss(Y_val, raw_val, sw_val)]
        rows = np.arange(n)
        for _ in range(self.max_iter):
            trees = self._boosting_round(codes, X_binned, rows, Y, raw, sw, unit_hessian)
            self._predictors.append(trees)
            self.train_score_.append(-self._loss(Y, raw, sw))
            if self.do_early_stopping_:
                for k, tree in enumerate(trees):
                    raw_val[:, k] += tree.value[tree.apply(X_val)]
                self.validation_score_.append(-self._loss(Y_val, raw_val, sw_val))
                if self._should_stop(self.validation_score_):
                    break
        self.n_iter_ = len(self._predictors)
        self.n_trees_per_iteration_ = K
        self.train_score_ = np.asarray(self.train_score_)
        if self.do_early_stopping_:
            self.validation_score_ = np.asarray(self.validation_score_)
        else:
            self.validation_score_ = np.array([])
        return self

    def _bin(self, X, rng):
        """Learn each feature's bin edges and bin ``X`` once, for the whole boosting loop.

        The edges come from a subsample when ``X`` is large. Returns the bin of every value,
        shape (n, d), and ``codes``: the same shifted by ``j * max_bins`` for feature ``j``, so
        one ``bincount`` fills the histograms of all features at once.
        """
        n, d = X.shape
        sample = X if n <= SUBSAMPLE_FOR_BINS else X[rng.choice(n, SUBSAMPLE_FOR_BINS, False)]
        self.bin_thresholds_ = [find_bin_thresholds(sample[:, j], self.max_bins)
                                for j in range(d)]
        X_binned = bin_features(X, self.bin_thresholds_)
        codes = X_binned.astype(np.intp) + np.arange(d) * self.max_bins  # bins run 0..max_bins-1
        return X_binned, codes

    def _boosting_round(self, codes, X_binned, rows, Y, raw, sw, unit_hessian):
        """Grow one tree per column of ``Y`` on the loss gradient and add it to ``raw``.

        ``raw`` (n, K), the model's raw predictions on the training rows, is updated in
        place, leaf by leaf. Returns the K trees, already shrunk by the learning rate.
        """
        grad, hess = self._gradient_hessian(Y, raw)
        trees = []
        for k in range(Y.shape[1]):
            g = grad[:, k] * sw
            if unit_hessian:
                h = None  # every hessian is 1: the histogram of h is the count
            else:
                h = sw if hess is None else hess[:, k] * sw
            tree, leaf_rows = grow_hist_tree(
                codes, X_binned, g, h, rows, n_bins=self.max_bins,
                max_leaf_nodes=self.max_leaf_nodes, max_depth=self.max_depth,
                min_samples_leaf=self.min_samples_leaf, l2=self.l2_regularization,
                bin_thresholds=self.bin_thresholds_)
            tree.value *= self.learning_rate  # shrinkage
            for leaf, leaf_r in leaf_rows:  # at most max_leaf_nodes leaves
                raw[leaf_r, k] += tree.value[leaf]
            trees.append(tree)
        return trees

    def _should_stop(self, scores):
        """Tell whether to stop early.

        Stop when none of the last ``n_iter_no_change`` scores beats the one before them by
        more than ``tol`` (scores are negative losses: higher is better).
        """
        m = self.n_iter_no_change
        if len(scores) < m + 1:
            return False
        reference = scores[-m - 1]
        return not any(s > reference + self.tol for s in scores[-m:])

    def _raw_predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        raw = np.tile(self._baseline, (X.shape[0], 1))
        for trees in self._predictors:
            for k, tree in enumerate(trees):
                raw[:, k] += tree.value[tree.apply(X)]
        return raw

    def _staged_raw_predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        raw = np.tile(self._baseline, (X.shape[0], 1))
        for trees in self._predictors:
            for k, tree in enumerate(trees):
                raw[:, k] += tree.value[tree.apply(X)]
            yield raw.copy()


_DOC_PARAMS = """
    learning_rate : float, default=0.1
        Shrinkage of every leaf value.
    max_iter : int, default=100
        Number of boosting iterations (trees per class).
    max_leaf_nodes : int or None, default=31
        Leaves per tree; trees grow leaf-wise, best gain first.
    max_depth : int or None, default=None
    min_samples_leaf : int, default=20
    l2_regularization : float, default=0.0
        ``l2`` in the gain and in the leaf values ``-G / (H + l2)``.
    max_bins : int, default=255
        Bins per feature (at most 255, so codes fit in ``uint8``).
    early_stopping : "auto" or bool, default="auto"
        Hold out ``validation_fraction`` of the rows and stop when the validation loss
        has not improved by ``tol`` for ``n_iter_no_change`` iterations; "auto" turns it
        on above 10,000 rows.
    scoring : {"loss"}, default="loss"
    validation_fraction : float or int, default=0.1
    n_iter_no_change : int, default=10
    tol : float, default=1e-7
    verbose : int, default=0
        Accepted for compatibility; nothing is printed.
    random_state : int, RandomState or None, default=None
        Seeds the validation split and the row sample used for the bin edges.

    Input must not contain missing values (scikit-learn's version routes NaN to a bin
    of its own; this one asks you to impute first).
"""


class HistGradientBoostingRegressor(RegressorMixin, _BaseHistGradientBoosting):
    __doc__ = """Histogram-based gradient boosting for regression (squared error).

    Gradient ``g = F - y``, hessian ``h = 1``; see the module docstring for the
    algorithm and notebooks/15_ensembles.ipynb for the derivation.

    Parameters
    ----------
    loss : {"squared_error"}, default="squared_error"

    References
    ----------
    .. [1] G. Ke, Q. Meng, T. Finley, T. Wang, W. Chen, W. Ma, Q. Ye and T.-Y. Liu,
       "LightGBM: A Highly Efficient Gradient Boosting Decision Tree", Advances in Neural
       Information Processing Systems 30, 3146-3154, 2017 (histograms, the parent-minus-
       sibling histogram, leaf-wise growth).
    .. [2] J. H. Friedman, "Greedy Function Approximation: A Gradient Boosting Machine",
       The Annals of Statistics 29(5), 1189-1232, 2001.
    """ + _DOC_PARAMS + """
    Attributes
    ----------
    n_iter_ : int
    n_trees_per_iteration_ : int
    train_score_, validation_score_ : ndarray
        Negative loss after each iteration (the first entry: the constant baseline).
    bin_thresholds_ : list of ndarray
    n_features_in_ : int
    """

    _parameter_rules = {"loss": one_of("squared_error"), **_HIST_RULES}
    _constant_hessian = True

    def __init__(self, loss="squared_error", *, learning_rate=0.1, max_iter=100,
                 max_leaf_nodes=31, max_depth=None, min_samples_leaf=20,
                 l2_regularization=0.0, max_bins=255, early_stopping="auto", scoring="loss",
                 validation_fraction=0.1, n_iter_no_change=10, tol=1e-7, verbose=0,
                 random_state=None):
        super().__init__(loss, learning_rate=learning_rate, max_iter=max_iter,
                         max_leaf_nodes=max_leaf_nodes, max_depth=max_depth,
                         min_samples_leaf=min_samples_leaf,
                         l2_regularization=l2_regularization, max_bins=max_bins,
                         early_stopping=early_stopping, scoring=scoring,
                         validation_fraction=validation_fraction,
                         n_iter_no_change=n_iter_no_change, tol=tol, verbose=verbose,
                         random_state=random_state)

    def fit(self, X, y, sample_weight=None):
        """Bin ``X``, then add ``max_iter`` trees (fewer with early stopping).

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        return self._fit(X, y.astype(np.float64)[:, None], sw)

    @staticmethod
    def _baseline_raw(Y, sw):
        return np.array([np.average(Y[:, 0], weights=sw)])

    @staticmethod
    def _gradient_hessian(Y, raw):
        return raw - Y, None

    @staticmethod
    def _loss(Y, raw, sw):
        return float(np.average(0.5 * (raw[:, 0] - Y[:, 0]) ** 2, weights=sw))

    def predict(self, X):
        """Baseline plus the sum of the shrunk trees."""
        return self._raw_predict(X)[:, 0]

    def staged_predict(self, X):
        """Predictions after each iteration (a generator)."""
        for raw in self._staged_raw_predict(X):
            yield raw[:, 0]


class HistGradientBoostingClassifier(ClassifierMixin, _BaseHistGradientBoosting):
    __doc__ = """Histogram-based gradient boosting for classification (log loss).

    Two classes: ``p = sigmoid(F)``, ``g = p - y``, ``h = p (1 - p)``. ``K`` classes:
    one tree per class and iteration, ``p = softmax(F)``, ``g_k = p_k - y_k``,
    ``h_k = p_k (1 - p_k)``. See notebooks/15_ensembles.ipynb.

    Parameters
    ----------
    loss : {"log_loss"}, default="log_loss"

    References
    ----------
    .. [1] G. Ke, Q. Meng, T. Finley, T. Wang, W. Chen, W. Ma, Q. Ye and T.-Y. Liu,
       "LightGBM: A Highly Efficient Gradient Boosting Decision Tree", Advances in Neural
       Information Processing Systems 30, 3146-3154, 2017 (histograms, the parent-minus-
       sibling histogram, leaf-wise growth).
    .. [2] J. H. Friedman, "Greedy Function Approximation: A Gradient Boosting Machine",
       The Annals of Statistics 29(5), 1189-1232, 2001.
    """ + _DOC_PARAMS + """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_iter_ : int
    n_trees_per_iteration_ : int
        1 for two classes, else the number of classes.
    train_score_, validation_score_ : ndarray
        Negative log loss after each iteration (the first entry: the baseline).
    bin_thresholds_ : list of ndarray
    n_features_in_ : int
    """

    _parameter_rules = {"loss": one_of("log_loss"), **_HIST_RULES}
    _constant_hessian = False

    def __init__(self, loss="log_loss", *, learning_rate=0.1, max_iter=100,
                 max_leaf_nodes=31, max_depth=None, min_samples_leaf=20,
                 l2_regularization=0.0, max_bins=255, early_stopping="auto", scoring="loss",
                 validation_fraction=0.1, n_iter_no_change=10, tol=1e-7, verbose=0,
                 random_state=None):
        super().__init__(loss, learning_rate=learning_rate, max_iter=max_iter,
                         max_leaf_nodes=max_leaf_nodes, max_depth=max_depth,
                         min_samples_leaf=min_samples_leaf,
                         l2_regularization=l2_regularization, max_bins=max_bins,
                         early_stopping=early_stopping, scoring=scoring,
                         validation_fraction=validation_fraction,
                         n_iter_no_change=n_iter_no_change, tol=tol, verbose=verbose,
                         random_state=random_state)

    def fit(self, X, y, sample_weight=None):
        """Bin ``X``, then add trees on the gradients of the log loss.

        Returns
        -------
        self
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        self.n_classes_ = K = self.classes_.size
        if K < 2:
            raise ValueError("y contains 1 class; HistGradientBoostingClassifier needs at "
                             "least 2 classes.")
        if K == 2:
            Y = (y_code == 1).astype(np.float64)[:, None]
        else:
            Y = (y_code[:, None] == np.arange(K)).astype(np.float64)
        return self._fit(X, Y, sw, stratify=y_code)

    @staticmethod
    def _baseline_raw(Y, sw):
        eps = np.finfo(float).eps
        if Y.shape[1] == 1:
            p = np.clip(np.average(Y[:, 0], weights=sw), eps, 1 - eps)
            return np.array([np.log(p / (1 - p))])
        p = np.clip(np.average(Y, weights=sw, axis=0), eps, 1 - eps)
        return np.log(p) - np.log(p).mean()

    @staticmethod
    def _gradient_hessian(Y, raw):
        p = expit(raw) if raw.shape[1] == 1 else softmax(raw, axis=1)
        return p - Y, p * (1 - p)

    @staticmethod
    def _loss(Y, raw, sw):
        if raw.shape[1] == 1:
            per_row = np.logaddexp(0, raw[:, 0]) - Y[:, 0] * raw[:, 0]
        else:
            per_row = logsumexp(raw, axis=1) - (Y * raw).sum(axis=1)
        return float(np.average(per_row, weights=sw))

    @staticmethod
    def _proba(raw):
        if raw.shape[1] == 1:
            p = expit(raw)
            return np.hstack([1 - p, p])
        return softmax(raw, axis=1)

    def decision_function(self, X):
        """Raw scores ``F(X)``: shape (n_samples,) for two classes, else (n_samples, K)."""
        raw = self._raw_predict(X)
        return raw[:, 0] if raw.shape[1] == 1 else raw

    def predict_proba(self, X):
        """``sigmoid(F)`` or ``softmax(F)``, shape (n_samples, n_classes)."""
        return self._proba(self._raw_predict(X))

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def staged_predict_proba(self, X):
        """Class probabilities after each iteration (a generator)."""
        for raw in self._staged_raw_predict(X):
            yield self._proba(raw)

    def staged_predict(self, X):
        for proba in self.staged_predict_proba(X):
            yield self.classes_[np.argmax(proba, axis=1)]

"""The course's plots in one house style.

``mlcourse.setup()`` applies the style; the functions below draw the pictures the notebooks
reuse. Each takes an optional ``ax`` and returns the matplotlib ``Axes`` it drew on.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

# A colour-blind-safe palette (Okabe & Ito), in the order classes and series use it.
COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

STYLE = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Apply the house style to every later figure."""
    mpl.rcParams.update(STYLE)


def _axes(ax):
    return ax if ax is not None else plt.subplots()[1]


def decision_boundary(estimator, X, y, ax=None, resolution=200, title=None):
    """Colour the plane by the class a fitted 2-D classifier predicts, with the data on top.

    Parameters
    ----------
    estimator : fitted classifier with ``predict``
    X : array-like of shape (n_samples, 2)
    y : array-like of shape (n_samples,)
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary draws 2-D data; X has shape {X.shape}.")
    ax = _axes(ax)
    pad = 0.05 * (X.max(axis=0) - X.min(axis=0)) + 1e-9
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    grid_pred = np.asarray(estimator.predict(np.c_[xx.ravel(), yy.ravel()]))
    classes = np.unique(np.concatenate([np.unique(y), np.unique(grid_pred)]))
    cmap = ListedColormap(COLORS[: len(classes)])
    codes = np.searchsorted(classes, grid_pred).reshape(xx.shape)
    ax.contourf(xx, yy, codes, levels=np.arange(len(classes) + 1) - 0.5, cmap=cmap, alpha=0.25)
    for code, label in enumerate(classes):
        mask = y == label
        if mask.any():
            ax.scatter(*X[mask].T, s=18, color=COLORS[code % len(COLORS)], edgecolor="white",
                       linewidth=0.4, label=str(label))
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.legend(loc="best", fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def loss_curve(losses, ax=None, label=None, log=False):
    """Plot a training loss against the iteration (epoch) number."""
    ax = _axes(ax)
    losses = np.asarray(losses, dtype=float)
    ax.plot(np.arange(1, len(losses) + 1), losses, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    if log:
        ax.set_yscale("log")
    if label:
        ax.legend()
    return ax


def confusion_matrix(y_true, y_pred, labels=None, ax=None, normalize=False):
    """Draw the confusion matrix: rows are true classes, columns predicted classes."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if labels is None:
        labels = np.unique(np.concatenate([y_true, y_pred]))
    labels = np.asarray(labels)
    index = {label: i for i, label in enumerate(labels.tolist())}
    counts = np.zeros((len(labels), len(labels)))
    np.add.at(counts, ([index[t] for t in y_true.tolist()], [index[p] for p in y_pred.tolist()]), 1)
    shown = counts / counts.sum(axis=1, keepdims=True).clip(min=1) if normalize else counts
    ax = _axes(ax)
    ax.imshow(shown, cmap="Blues")
    ax.grid(False)
    for (i, j), value in np.ndenumerate(shown):
        text = f"{value:.2f}" if normalize else f"{int(value)}"
        dark = value > shown.max() / 2
        ax.text(j, i, text, ha="center", va="center", color="white" if dark else "black")
    ax.set_xticks(range(len(labels)), [str(label) for label in labels])
    ax.set_yticks(range(len(labels)), [str(label) for label in labels])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    return ax


def learning_curve(train_sizes, train_scores, val_scores, ax=None):
    """Training and validation score against the training-set size, with ±1 std bands.

    ``train_scores`` and ``val_scores`` are (n_sizes,) or (n_sizes, n_folds) arrays, as
    returned by :func:`sklearn.model_selection.learning_curve`.
    """
    ax = _axes(ax)
    for scores, label, color in ((train_scores, "training", COLORS[0]),
                                 (val_scores, "validation", COLORS[1])):
        scores = np.asarray(scores, dtype=float).reshape(len(train_sizes), -1)
        mean, std = scores.mean(axis=1), scores.std(axis=1)
        ax.plot(train_sizes, mean, "o-", color=color, label=label)
        ax.fill_between(train_sizes, mean - std, mean + std, color=color, alpha=0.15)
    ax.set_xlabel("training examples")
    ax.set_ylabel("score")
    ax.legend()
    return ax

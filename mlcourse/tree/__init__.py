"""Decision trees (CART) written from scratch in NumPy.

Start reading with ``readable.py`` (a short recursive CART), then ``_grow.py`` (the same
trees, grown a whole level at a time).

See notebooks/08_decision_trees.ipynb.
"""

from mlcourse.tree._classes import DecisionTreeClassifier, DecisionTreeRegressor
from mlcourse.tree._criteria import entropy, gini, squared_error
from mlcourse.tree._grow import grow_tree, presort
from mlcourse.tree._tree import Tree, export_text

__all__ = [
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "Tree",
    "entropy",
    "export_text",
    "gini",
    "grow_tree",
    "presort",
    "squared_error",
]

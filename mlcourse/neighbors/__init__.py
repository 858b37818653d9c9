"""k-nearest neighbours from scratch: brute-force search with vectorised, chunked distances.

See notebooks/07_knn_and_naive_bayes.ipynb.
"""

from mlcourse.neighbors._base import k_smallest
from mlcourse.neighbors._classification import KNeighborsClassifier, vote
from mlcourse.neighbors._regression import KNeighborsRegressor

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor", "k_smallest", "vote"]

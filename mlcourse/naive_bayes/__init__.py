"""Naive Bayes from scratch: Gaussian for numbers, multinomial for counts, all in log space.

See notebooks/07_knn_and_naive_bayes.ipynb.
"""

from mlcourse.naive_bayes._gaussian import GaussianNB
from mlcourse.naive_bayes._multinomial import MultinomialNB

__all__ = ["GaussianNB", "MultinomialNB"]

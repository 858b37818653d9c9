"""Matrix decompositions written from scratch in NumPy (notebook 11 explains them)."""

from mlcourse.decomposition._pca import PCA, flip_signs

__all__ = ["PCA", "flip_signs"]

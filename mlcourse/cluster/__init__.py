"""Clustering written from scratch in NumPy (notebook 11 explains it)."""

from mlcourse.cluster._dbscan import DBSCAN
from mlcourse.cluster._kmeans import KMeans, kmeans_plusplus

__all__ = ["DBSCAN", "KMeans", "kmeans_plusplus"]

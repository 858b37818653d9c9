"""Metrics written from scratch (notebook 12 explains them)."""

from mlcourse.metrics.pairwise import pairwise_distances_chunked, squared_euclidean_distances

__all__ = ["pairwise_distances_chunked", "squared_euclidean_distances"]

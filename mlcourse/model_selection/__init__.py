"""Model selection written from scratch (notebook 04 explains splitting)."""

from mlcourse.model_selection._split import train_test_split

__all__ = ["train_test_split"]

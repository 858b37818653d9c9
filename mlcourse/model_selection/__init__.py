"""Model selection written from scratch (notebook 04 explains splitting)."""

from mlcourse.model_selection._bootstrap import bootstrap_interval, paired_bootstrap_interval
from mlcourse.model_selection._split import train_test_split

__all__ = ["bootstrap_interval", "paired_bootstrap_interval", "train_test_split"]

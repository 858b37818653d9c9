"""Small helpers shared by the estimators: one home for each, as in ``sklearn.utils``.

Part of the library: nothing here imports the course machinery.
"""

from mlcourse.utils._compute import (
    BLOCK_BYTES,
    CACHE_BLOCK_BYTES,
    rows_per_block,
    single_blas_thread,
)
from mlcourse.utils._param_validation import (
    InvalidParameterError,
    Rule,
    check_params,
    integer,
    one_of,
    real,
)

__all__ = [
    "BLOCK_BYTES",
    "CACHE_BLOCK_BYTES",
    "InvalidParameterError",
    "Rule",
    "check_params",
    "integer",
    "one_of",
    "real",
    "rows_per_block",
    "single_blas_thread",
]

"""How the vectorised loops use the machine: BLAS threads and the size of a block of rows.

Several estimators compute an ``(n, m)`` intermediate (distances, kernel values, per-class
log-likelihoods) block of rows by block of rows, and several run loops of many small matrix
products. The rules for both live here, once.
"""

from __future__ import annotations

from functools import lru_cache

from threadpoolctl import ThreadpoolController

# Memory budget of one block of intermediate results: about 64 MiB, so an input of any size
# never needs its whole (n, m) matrix at once, while each block is still large enough that
# NumPy's per-call overhead is negligible next to the work in it.
BLOCK_BYTES = 64 * 2**20
# The exception, a budget chosen for speed rather than memory: a block that is read several
# times over (the nearest-neighbour search makes several passes over each block of distances)
# and of which several are worked on at once by threads is fastest while it stays in the
# processor's cache. Measured on the kNN benchmarks (benchmarks/bench_neighbors.py):
# 2-4 MiB about 1.5x faster than 64 MiB and than 1 MiB.
CACHE_BLOCK_BYTES = 4 * 2**20


def rows_per_block(n_columns, *, itemsize=8, block_bytes=BLOCK_BYTES):
    """Return how many rows of an ``(n, n_columns)`` intermediate fit in ``block_bytes``.

    Parameters
    ----------
    n_columns : int
        Entries per row of the intermediate (training points, support vectors, classes x
        features...).
    itemsize : int, default=8
        Bytes per entry (8 for float64).
    block_bytes : int, default=BLOCK_BYTES
        Memory budget of one block.

    Returns
    -------
    rows : int
        At least 1, whatever the budget.
    """
    return max(1, int(block_bytes) // (itemsize * max(1, int(n_columns))))


@lru_cache(maxsize=1)
def _controller():
    return ThreadpoolController()  # inspecting the loaded libraries is slow: do it once


def single_blas_thread():
    """Context manager limiting BLAS to one thread while it is open.

    For loops of many small matrix products (L-BFGS, Pegasos, SMO with kernel rows on demand,
    Lloyd's iterations, blocks of a neighbour search): extra BLAS threads then only add
    synchronisation, and stall badly when the machine is busy.
    """
    return _controller().limit(limits=1, user_api="blas")

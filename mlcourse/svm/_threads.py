"""One BLAS thread for loops of many small matrix products.

Iterative solvers (L-BFGS, Pegasos, SMO with kernel rows on demand) call BLAS thousands of
times on small operands; extra threads then only add synchronisation, and stall badly when
the machine is busy. Inspecting the loaded libraries is slow, so it is done once.
"""

from __future__ import annotations

from functools import lru_cache

from threadpoolctl import ThreadpoolController


@lru_cache(maxsize=1)
def _controller():
    return ThreadpoolController()


def single_blas_thread():
    """Context manager limiting BLAS to one thread."""
    return _controller().limit(limits=1, user_api="blas")

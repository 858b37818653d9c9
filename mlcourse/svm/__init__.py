"""Support vector machines written from scratch (notebook 09 explains them).

- :class:`LinearSVC`: the primal problem, L-BFGS on the squared hinge (or the dual for the
  hinge), or Pegasos sub-gradient steps.
- :class:`SVC`: the kernel dual solved by SMO.
- :func:`linear_kernel`, :func:`polynomial_kernel`, :func:`rbf_kernel`: the kernels.
"""

from mlcourse.svm._kernels import linear_kernel, polynomial_kernel, rbf_kernel
from mlcourse.svm._linear import LinearSVC, primal_objective
from mlcourse.svm._svc import SVC

__all__ = [
    "LinearSVC",
    "SVC",
    "linear_kernel",
    "polynomial_kernel",
    "primal_objective",
    "rbf_kernel",
]

"""BFGS with an analytic gradient and a stopping rule in log-likelihood units.

:func:`scipy.optimize.minimize` stops BFGS on the size of the gradient. For a
log-likelihood of 10^5 observations no useful threshold exists: a well-determined
parameter keeps a gradient of 10^-3 where the log-likelihood can no longer
resolve a step (about 10^-10 of its value), so BFGS ends in line searches that
fail for lack of precision, dozens of evaluations each. This BFGS (the same
update and the same strong-Wolfe line search, :func:`scipy.optimize.line_search`)
stops instead when the Newton decrement :math:`g^\\top H g / 2`, with :math:`H`
the BFGS approximation of the inverse Hessian, promises less than ``DECREMENT``
more log-likelihood: near the optimum that is the gap that remains. When a line
search fails it starts once more from a fresh (scaled identity) Hessian before
it gives up.

References
----------
Nocedal, J., & Wright, S. J. (2006). *Numerical optimization* (2nd ed.),
chapters 3 and 6. Springer.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import optimize

Array = npt.NDArray[np.float64]
DECREMENT = 1e-9  # stop when the quadratic model promises less log-likelihood than this
MAX_ITERATIONS = 500
MAX_STEP = 1.0  # no parameter moves further than this in one iteration
MAX_CHECKS = 3  # times the stop is checked against a finite-difference Hessian

Objective = Callable[[Array], tuple[float, Array]]  # a value to minimise and its gradient


class _Cached:
    """The objective with its last few points remembered (the line search asks twice)."""

    def __init__(self, objective: Objective) -> None:
        self.objective = objective
        self.memory: dict[bytes, tuple[float, Array]] = {}
        self.evaluations = 0

    def __call__(self, x: Array) -> tuple[float, Array]:
        key = np.asarray(x, dtype=np.float64).tobytes()
        if key not in self.memory:
            if len(self.memory) > 8:
                self.memory.clear()
            self.evaluations += 1
            self.memory[key] = self.objective(np.asarray(x, dtype=np.float64))
        return self.memory[key]

    def value(self, x: Array) -> float:
        return self(x)[0]

    def gradient(self, x: Array) -> Array:
        return self(x)[1]


def minimise(objective: Objective, x0: Array) -> tuple[Array, int]:
    """Minimise ``objective`` (value and gradient) from ``x0``: the minimiser, evaluations."""
    cached = _Cached(objective)
    x = np.asarray(x0, dtype=np.float64).copy()
    value, gradient = cached(x)
    eye = np.eye(x.size)
    inverse, fresh = eye.copy(), True
    previous = value + float(np.linalg.norm(gradient)) / 2  # scipy's first step length
    checks = 0
    for _ in range(MAX_ITERATIONS):
        step = -inverse @ gradient
        if -0.5 * float(gradient @ step) < DECREMENT:
            # BFGS's H may not have learnt a flat direction yet: ask the Hessian itself
            exact = _inverse_hessian(cached, x, gradient) if checks < MAX_CHECKS else None
            checks += 1
            if exact is None:
                break
            inverse, fresh = exact, False
            step = -inverse @ gradient
            if -0.5 * float(gradient @ step) < DECREMENT:
                break
        with warnings.catch_warnings():
            # scipy's LineSearchWarning (not public): a failed search is handled below
            warnings.filterwarnings("ignore", "The line search", RuntimeWarning)
            warnings.filterwarnings("ignore", "Rounding errors", RuntimeWarning)
            alpha, _, _, new_value, _, _ = optimize.line_search(
                cached.value,
                cached.gradient,
                x,
                step,
                gradient,
                value,
                previous,
                amax=MAX_STEP / float(np.max(np.abs(step))),
            )
        if alpha is None or new_value is None or not math.isfinite(new_value):
            if fresh:
                break  # no progress even along the gradient: as far as precision goes
            inverse, fresh = eye.copy(), True
            previous = value + float(np.linalg.norm(gradient)) / 2
            continue
        s = alpha * step
        x = x + s
        new_gradient = cached.gradient(x)
        y = new_gradient - gradient
        previous, value, gradient = value, float(new_value), new_gradient
        curvature = float(y @ s)
        if curvature <= 0:
            continue
        if fresh:  # scale the identity to the curvature just seen (Nocedal & Wright, 6.20)
            inverse = (curvature / float(y @ y)) * eye
            fresh = False
        rho = 1.0 / curvature
        left = eye - rho * np.outer(s, y)
        inverse = left @ inverse @ left.T + rho * np.outer(s, s)
    return x, cached.evaluations


def _inverse_hessian(cached: _Cached, x: Array, gradient: Array) -> Array | None:
    """The inverse of the Hessian by forward differences of the gradient, made positive.

    Eigenvalues are replaced by their absolute values (at least a tiny floor), so
    the Newton step it gives goes downhill even near a saddle. ``None`` where a
    neighbouring point cannot be evaluated.
    """
    steps = 1e-5 * np.maximum(1.0, np.abs(x))
    hessian = np.empty((x.size, x.size))
    for i, h in enumerate(steps):
        moved = x.copy()
        moved[i] += h
        value, moved_gradient = cached(moved)
        if not math.isfinite(value):
            return None
        hessian[:, i] = (moved_gradient - gradient) / h
    eigenvalues, vectors = np.linalg.eigh((hessian + hessian.T) / 2)
    magnitude = np.abs(eigenvalues)
    magnitude = np.maximum(magnitude, 1e-12 * max(float(magnitude.max()), 1.0))
    return np.asarray((vectors / magnitude) @ vectors.T, dtype=np.float64)

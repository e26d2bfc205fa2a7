"""JIT options in one place.

``cache=True`` keeps compiled kernels on disk beside the package, so only the first run after an
install pays the compile; ``fastmath`` stays off so that every makespan is the exact IEEE result
of the recurrence, identical to the plain-Python reference in the tests.
"""

import numba

JIT_OPTIONS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}


def njit(*args, **kwargs):
    """``numba.njit`` with the project's options (keyword arguments override them)."""
    options = {**JIT_OPTIONS, **kwargs}
    if args and callable(args[0]):
        return numba.njit(**options)(args[0])
    return numba.njit(*args, **options)

"""JIT options in one place, and a disk cache that knows what a kernel compiles in.

``cache=True`` keeps compiled kernels on disk beside the package, so only the first run after an
install pays the compile; ``fastmath`` stays off so that every makespan is the exact IEEE result
of the recurrence, identical to the plain-Python reference in the tests.

numba stamps a cached kernel with its own file's content only, but a kernel compiles in the
functions it calls from other files (``ddp.recurrence.step`` is in nearly every kernel of
``solvers``): after a change to ``recurrence.py`` the cached kernels of the other files would
still run the old recurrence. ``KernelCacheLocator`` keeps numba's in-tree cache and adds to
every stamp the digest of all the project's files that define kernels, so a change to any of
them recompiles every kernel once.
"""

import functools
import hashlib
from pathlib import Path

import numba
from numba.core import caching

JIT_OPTIONS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}
# The project's packages whose files may define kernels (siblings of ``ddp``).
KERNEL_PACKAGES = ("ddp", "solvers", "instances")
ROOT = Path(__file__).resolve().parent.parent


def njit(*args, **kwargs):
    """``numba.njit`` with the project's options (keyword arguments override them)."""
    options = {**JIT_OPTIONS, **kwargs}
    if args and callable(args[0]):
        return numba.njit(**options)(args[0])
    return numba.njit(*args, **options)


def kernel_files(root: Path = ROOT) -> list[Path]:
    """The files of ``KERNEL_PACKAGES`` under ``root`` that use ``njit``, sorted."""
    return sorted(path for package in KERNEL_PACKAGES for path in (root / package).glob("*.py")
                  if "njit" in path.read_text(encoding="utf-8", errors="replace"))


@functools.cache
def kernels_digest(root: Path = ROOT) -> str:
    """SHA-256 over the names and contents of ``kernel_files(root)`` (once per process)."""
    digest = hashlib.sha256()
    for path in kernel_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _is_project_file(py_file: str) -> bool:
    path = Path(py_file).resolve()
    return any(path.parent == ROOT / package for package in KERNEL_PACKAGES)


class KernelCacheLocator(caching.InTreeCacheLocator):
    """numba's in-tree cache for the project's kernels, stamped with ``kernels_digest()`` too.

    Used for the project's files only, and not when the user chose a cache folder
    (``NUMBA_CACHE_DIR``): numba's own locators then apply as they are."""

    @classmethod
    def from_function(cls, py_func, py_file):
        if numba.config.CACHE_DIR or not _is_project_file(py_file):
            return None
        return super().from_function(py_func, py_file)

    def get_source_stamp(self):
        return (super().get_source_stamp(), kernels_digest())


# numba's list of locators, tried in order (``CacheImpl``; ``_CacheImpl`` in older numba).
LOCATORS = getattr(caching, "CacheImpl", getattr(caching, "_CacheImpl", None))._locator_classes
if KernelCacheLocator not in LOCATORS:
    LOCATORS.insert(0, KernelCacheLocator)

"""What the test packages share: hypothesis strategies for ``ddp`` instances, the policy names,
and the seeded random instances of the solver tests (``instances.random``, also used by the
benchmarks).

Import them as ``from tests.helpers import instances``. Times come in three kinds:

- ``"int"``: small integers, so sums are exact and ties between points are frequent;
- ``"dyadic"``: multiples of 1/8, exact in binary floating point (the default);
- ``"float"``: arbitrary finite non-negative floats, for properties that do not depend on exact
  ties (a kernel against its naive reference, a file round trip).

Zero times (and zero gaps between arrivals) are drawn often, so events at the same instant and
points of equal cost are covered. Properties that compare argmins after a transformation (scaling,
shifting) must use ``"int"`` or ``"dyadic"``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import ddp
from instances.random import random_instance  # noqa: F401 (re-exported for the tests)

# The online policies, written out here (not read from ``ddp.POLICIES``) so that a test can
# check the library's list against it.
POLICY_NAMES = ("ddp", "ns", "ac", "af", "fb", "qa")

TIME_KINDS = ("int", "dyadic", "float")


def times(kind: str = "dyadic", max_value: float = 64) -> st.SearchStrategy[float]:
    """One non-negative time of the given ``kind`` (zero drawn often)."""
    if kind == "int":
        values = st.integers(0, int(max_value)).map(float)
    elif kind == "dyadic":
        values = st.integers(0, int(max_value) * 8).map(lambda v: v / 8)
    elif kind == "float":
        values = st.floats(0, max_value, allow_nan=False, allow_infinity=False)
    else:
        raise ValueError(f"kind must be one of {TIME_KINDS}, got {kind!r}")
    return st.one_of(st.just(0.0), values)


def _count(value: int | tuple[int, int]) -> st.SearchStrategy[int]:
    """An exact count (``3``) or a range of counts (``(1, 3)``)."""
    if isinstance(value, tuple):
        return st.integers(value[0], value[1])
    return st.just(int(value))


@st.composite
def instances(draw, *, min_n: int = 1, max_n: int = 8, min_k: int = 1, max_k: int = 4,
              devices: int | tuple[int, int] = 1, units: int | tuple[int, int] = 1,
              kind: str = "dyadic", max_time: float = 64, max_gap: float = 32,
              explicit_units: bool | None = None, feature_point: bool | None = None
              ) -> ddp.Instance:
    """A valid :class:`ddp.Instance`.

    Parameters
    ----------
    min_n, max_n : int
        Range of the number of events.
    min_k, max_k : int
        Range of ``k`` (points are ``0..k``, so rows have ``k+1 >= 2`` times).
    devices, units : int or (int, int)
        Number of front-end devices and of cloud units: exact, or a ``(low, high)`` range.
    kind : {"int", "dyadic", "float"}
        How times are drawn (see the module docstring).
    max_time, max_gap : float
        Largest front/trans/cloud time and largest gap between consecutive arrivals.
    explicit_units : bool, optional
        True: each event gets a random unit; False: the default ``device mod cloud_units``;
        None (default): either.
    feature_point : bool, optional
        True: a random ``feature_point`` is set; False: the default ``k - 1``; None: either.
    """
    n = draw(st.integers(min_n, max_n))
    k = draw(st.integers(min_k, max_k))
    m = draw(_count(devices))
    u = draw(_count(units))
    time = times(kind, max_time)
    first = draw(times(kind, max_gap))
    gaps = draw(st.lists(times(kind, max_gap), min_size=n - 1, max_size=n - 1))
    # Cumulative sums of exact values are exact for "int" and "dyadic"; for "float" they are
    # still non-decreasing, which is all the format asks.
    arrival = np.cumsum([first, *gaps])
    tables = [np.array(draw(st.lists(st.lists(time, min_size=k + 1, max_size=k + 1),
                                     min_size=n, max_size=n)), dtype=np.float64)
              for _ in range(3)]
    device = draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n))
    if explicit_units is None:
        explicit_units = draw(st.booleans())
    unit = draw(st.lists(st.integers(0, u - 1), min_size=n, max_size=n)) if explicit_units \
        else None
    if feature_point is None:
        feature_point = draw(st.booleans())
    point = draw(st.integers(0, k)) if feature_point else None
    return ddp.Instance(arrival, *tables, device=device, devices=m, unit=unit, cloud_units=u,
                        feature_point=point)


@st.composite
def instances_with_choices(draw, **kwargs) -> tuple[ddp.Instance, np.ndarray]:
    """An instance (``instances(**kwargs)``) and a random choice vector for it."""
    inst = draw(instances(**kwargs))
    choices = draw(st.lists(st.integers(0, inst.k), min_size=inst.n, max_size=inst.n))
    return inst, np.array(choices, dtype=np.int64)


# Shapes worth covering everywhere: one device and unit (the paper's Alg. 1-2), several devices
# sharing one unit (Alg. 3, Table 4), and several of both with any assignment.
SINGLE = {"devices": 1, "units": 1}
MULTI_DEVICE = {"devices": (2, 4), "units": 1}
MULTI = {"devices": (1, 4), "units": (1, 3)}


def any_instances(**kwargs) -> st.SearchStrategy[ddp.Instance]:
    """Instances of every shape above, in equal shares (``kwargs`` go to :func:`instances`)."""
    return st.one_of(*(instances(**shape, **kwargs) for shape in (SINGLE, MULTI_DEVICE, MULTI)))


def any_instances_with_choices(**kwargs):
    """Like :func:`any_instances`, with a random choice vector beside each instance."""
    return st.one_of(*(instances_with_choices(**shape, **kwargs)
                       for shape in (SINGLE, MULTI_DEVICE, MULTI)))


def run_cli(argv, capsys) -> tuple[int, list[str], list[str]]:
    """``ddp``'s ``main`` on ``argv`` in this process: exit code, stdout and stderr lines."""
    from ddp.cli import main

    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's own exits
        code = exc.code
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()

"""What each experiment runs: its rows (settings, instance count, the paper's figures) and sizes.

A *row* of a table is one setting (network, scenario, events, interval, devices, cloud units)
averaged over many seeded instances; a *cell* of the gap experiment is the same thing with the
exact optimum computed per instance. ``--quick`` shrinks every experiment (50 instances a row,
n at most 500, gap cells small enough to prove) for CI and a first look.

The paper gives one table for both of its networks without saying which one it shows, so each
row carries its setting's figure whatever the network and scenario: the difference column then
reads "ours minus the paper's".

Table 4 gives each front-end device its own arrival stream (``instances.generate(...,
streams="per-device")``): with one stream shared by the devices the offered load does not grow
with them and the paper's trend cannot appear (``docs/scenarios.md``). The one-stream form stays
available (``streams="one"``); its rows have other keys, so neither form reuses the other's
records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from instances.arrivals import check_streams
from instances.generate import GENERATOR
from solvers.lookahead import DEFAULT_POLISH, DEFAULT_PREDICT, DEFAULT_WINDOW

EXPERIMENTS = ("table1", "table2", "table3", "table4", "gap", "estimation")
TABLES = ("table1", "table2", "table3", "table4")
# Table 4's arrival streams unless told otherwise (one per device, as the paper's trend needs).
TABLE4_STREAMS = "per-device"
BASELINES = ("af", "fb", "ac", "ns")
POLICIES = ("ddp", *BASELINES)
# Policies that see the next events (solvers.lookahead, default settings): in gap records only.
FUTURE_AWARE = ("lookahead", "rollout")
# Their settings, written in each gap record; "version" counts changes of rollout's rule (2: the
# polished first plan; 3: the LP start where devices share a unit; 4: a third rounding of the
# relaxation, and from 200 events only the starts ahead of the best polished plan polished;
# 5: the fitted start of solvers.devices beside the relaxation's; 6: that fit drops a pair of
# equal free time and more work before thinning to its cap). Versions 7 and 8 re-chose the
# best plan's devices one at a time (solvers.devices.refit_devices) and were taken out again:
# up to 0.18 ms a decision more on paper's Table 4 shapes, where it finds nothing, for cell
# medians 0.1-0.3 points lower on three i3d edge cells. 9: the fitted start only where every
# start ends more than 1% above the relaxation, its device bound bisected to 0.1% on 20000 pair
# operations an event without the test at the relaxation, 1024 pairs a fit, margins 1-5%.
# 10: the bisection as deep as that budget goes, margins 0-5% on 40000 an event. 11: the fits
# only where the bisection closed within 2% (on i3d over edge-wifi it does not, and the fits
# from farther found nothing there).
# A record made with other settings is recomputed on --resume.
FUTURE_AWARE_SETTINGS: dict[str, dict[str, Any]] = {
    "lookahead": {"window": DEFAULT_WINDOW, "predict": DEFAULT_PREDICT},
    "rollout": {"window": DEFAULT_WINDOW, "polish": DEFAULT_POLISH, "version": 11},
}


def record_complete(record: dict[str, Any], experiment: str) -> bool:
    """Whether a stored record has every policy the experiment records now, with today's
    settings (a record written before a policy was added or changed is recomputed on
    --resume)."""
    if experiment == "gap" and record.get("policy_settings") != FUTURE_AWARE_SETTINGS:
        return False
    wanted = (*POLICIES, *(FUTURE_AWARE if experiment == "gap" else ()))
    return all(name in record.get("makespans", {}) for name in wanted)


# Instances of one row: full size (the paper's count for random rows) and --quick.
FULL_COUNT = 1000
QUICK_COUNT = 50
QUICK_MAX_EVENTS = 500
# Instance seeds of a run with base seed S are S * SEED_STRIDE + 0, 1, 2, ...: readable in each
# instance's meta, and two base seeds never share an instance.
SEED_STRIDE = 1_000_000


@dataclass(frozen=True)
class Row:
    """One row of a table (or one gap cell): a setting and how many instances average it.

    Attributes
    ----------
    experiment : str
        ``table1`` .. ``table4`` or ``gap``.
    network, scenario : str
        Passed to ``instances.generate``.
    events : int or str
        ``8`` or ``"normal:1-5000"`` (n drawn per instance, ``docs/paper.md``).
    interval : str
        ``"360"`` (equal), ``"0-720"`` (uniform random).
    devices, cloud_units : int
    count : int
        Instances in the row.
    streams : str
        ``"one"`` or ``"per-device"``: the arrival streams of ``instances.generate`` (the same
        instances with one device). Named in the key, setting and generator arguments only when
        not ``"one"``.
    paper : dict
        The paper's reduction (%) per baseline, where it gives one.
    """

    experiment: str
    network: str
    scenario: str
    events: int | str
    interval: str
    devices: int = 1
    cloud_units: int = 1
    count: int = FULL_COUNT
    streams: str = "one"
    paper: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    @property
    def n_label(self) -> int | str:
        """``8`` or ``"1-5000"``: the events as the paper's tables write them."""
        if isinstance(self.events, str) and self.events.startswith("normal:"):
            return self.events.split(":", 1)[1]
        return self.events

    @property
    def setting(self) -> dict[str, Any]:
        """The setting as a JSON object: n, interval, devices, cloud units."""
        setting = {"n": self.n_label, "interval": self.interval, "devices": self.devices,
                   "cloud_units": self.cloud_units}
        if self.streams != "one":
            setting["streams"] = self.streams
        return setting

    @property
    def key(self) -> str:
        """A canonical name of the setting: records of a row are stored under it.

        It names the instance generator's version (``instances.generate.GENERATOR``), so records
        computed on the instances of an earlier version (another calibration) are not reused by
        ``--resume``: they are computed again.
        """
        key = (f"{self.experiment}/{self.network}/{self.scenario}/n={self.events}/"
               f"interval={self.interval}/devices={self.devices}/units={self.cloud_units}")
        if self.streams != "one":
            key += f"/streams={self.streams}"
        return f"{key}/generator={GENERATOR}"

    def generate_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``instances.generate`` (without the seed)."""
        kwargs = {"scenario": self.scenario, "network": self.network, "events": self.events,
                  "interval": self.interval, "devices": self.devices,
                  "cloud_units": self.cloud_units}
        if self.streams != "one":
            kwargs["streams"] = self.streams
        return kwargs

    def expected_events(self) -> float:
        """The mean n of an instance: sizes the work units."""
        if isinstance(self.events, int):
            return float(self.events)
        low, high = (int(v) for v in self.n_label.split("-"))
        return (low + high) / 2


def instance_seeds(row: Row, base_seed: int) -> list[int]:
    """The seeds of a row's instances for base seed ``base_seed``."""
    return [base_seed * SEED_STRIDE + index for index in range(row.count)]


def _paper(af: float, fb: float, ac: float, ns: float | None = None) -> dict[str, float]:
    figures = {"af": af, "fb": fb, "ac": ac}
    if ns is not None:
        figures["ns"] = ns
    return figures


def _cap_normal(events: str, quick: bool) -> str:
    """``normal:1-5000`` -> ``normal:1-500`` in quick mode (n at most 500)."""
    if not quick:
        return events
    low, high = (int(v) for v in events.split(":", 1)[1].split("-"))
    return f"normal:{low}-{min(high, QUICK_MAX_EVENTS)}"


def _table_settings(name: str, quick: bool, streams: str) -> list[dict[str, Any]]:
    """The settings of a table's rows with the paper's figures."""
    if name == "table1":
        return [
            {"events": 8, "interval": "0", "paper": _paper(-82.65, -82.41, -13.27, -13.27)},
            {"events": 8, "interval": "360", "paper": _paper(-83.45, -82.20, -12.26, -9.13)},
            {"events": 8, "interval": "720", "paper": _paper(-80.00, -79.71, 0.00, 0.00)},
        ]
    if name == "table2":
        return [
            {"events": 8, "interval": "0-720", "paper": _paper(-81.36, -81.10, -8.09, -7.59)},
            {"events": 100, "interval": "0-720",
             "paper": _paper(-81.91, -81.65, -10.43, -11.08)},
            {"events": 400, "interval": "0-720",
             "paper": _paper(-82.90, -82.65, -14.66, -13.03)},
        ]
    if name == "table3":
        return [
            {"events": _cap_normal("normal:1-100", quick), "interval": "0-120",
             "paper": _paper(-83.05, -82.80, -15.24)},
            {"events": _cap_normal("normal:1-500", quick), "interval": "0-360",
             "paper": _paper(-83.11, -82.86, -15.54)},
            {"events": _cap_normal("normal:1-5000", quick), "interval": "0-720",
             "paper": _paper(-83.14, -82.90, -15.70)},
        ]
    if name == "table4":
        paper = {8: _paper(-78.05, -74.80, -30.24), 32: _paper(-53.08, -52.83, -51.38),
                 128: _paper(-26.77, -28.82, -80.17)}
        return [{"events": _cap_normal("normal:1-5000", quick), "interval": "0-720",
                 "devices": devices, "cloud_units": 1, "paper": figures, "streams": streams}
                for devices, figures in paper.items()]
    raise ValueError(f"unknown table {name!r} (known: {', '.join(TABLES)})")


def table_rows(name: str, networks: list[str], scenarios: list[str],
               quick: bool = False, streams: str | None = None) -> list[Row]:
    """The rows of table ``name`` for each scenario and network, in display order.

    ``streams`` sets Table 4's arrival streams (default :data:`TABLE4_STREAMS`); the other tables
    have one device, where both forms give the same instances, and ignore it.
    """
    streams = check_streams(TABLE4_STREAMS if streams is None else streams)
    count = QUICK_COUNT if quick else FULL_COUNT
    return [Row(experiment=name, network=network, scenario=scenario, count=count, **settings)
            for scenario in scenarios for network in networks
            for settings in _table_settings(name, quick, streams)]


# The gap experiment: DDP against the exact optimum across n, interval and devices. Each block
# is a list of cells (devices, events, interval) with its count of instances per cell, for every
# network and scenario (by default every scenario: the paper's and the edge ones): one device,
# a few devices sharing the unit, and the paper's Table 3 and Table 4 sizes (n drawn up to 5000;
# 8, 32, 128 devices on one unit, a stream per device as Table 4 has). Every instance goes to
# ``auto`` with the run's per-solve limit on work budgets. Quick cells are small enough to be
# proven; full cells reach as far as the solvers go within those budgets, and what is not
# proven is marked.
def _grid(devices: tuple[int, ...], events: tuple, intervals: tuple[str, ...]) -> list[tuple]:
    return [(m, n, interval) for m in devices for interval in intervals for n in events]


TABLE3_SIZES = [(1, "normal:1-100", "0-120"), (1, "normal:1-500", "0-360"),
                (1, "normal:1-5000", "0-720")]
GAP_FULL = (
    {"cells": _grid((1,), (10, 30, 100), ("0", "360", "0-720")), "count": 20},
    {"cells": _grid((4,), (10, 20), ("0", "360", "0-720")), "count": 10},
    {"cells": TABLE3_SIZES, "count": 10},
    {"cells": _grid((8, 32, 128), ("normal:1-5000",), ("0-720",)), "count": 10,
     "streams": "per-device"},
)
GAP_QUICK = (
    {"cells": _grid((1,), (6, 10), ("0", "0-720")), "count": 5},
    {"cells": _grid((2,), (6, 10), ("0", "0-720")), "count": 5},
    {"cells": [(1, "normal:1-20", "0-120")], "count": 3},
    {"cells": [(8, "normal:1-20", "0-720")], "count": 3, "streams": "per-device"},
)
def gap_solver(row: Row, time_limit: float = 10.0) -> dict[str, Any]:
    """The solver options of a gap cell: ``auto`` with ``time_limit`` seconds on its work
    budgets (``deterministic``), so that a rerun stops every search at the same point."""
    return {"method": "auto", "time_limit": float(time_limit), "deterministic": True}


def gap_cells(networks: list[str], scenarios: list[str], quick: bool = False) -> list[Row]:
    """The cells of the gap experiment, in display order."""
    return [Row(experiment="gap", network=network, scenario=scenario, events=events,
                interval=interval, devices=devices, cloud_units=1, count=block["count"],
                streams=block.get("streams", "one"))
            for scenario in scenarios for network in networks
            for block in (GAP_QUICK if quick else GAP_FULL)
            for devices, events, interval in block["cells"]]


def experiment_rows(name: str, networks: list[str], scenarios: list[str],
                    quick: bool = False, streams: str | None = None) -> list[Row]:
    """Rows of a table or cells of the gap experiment (whose cells share one arrival stream)."""
    if name == "gap":
        return gap_cells(networks, scenarios, quick)
    return table_rows(name, networks, scenarios, quick, streams)

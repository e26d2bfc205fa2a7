"""``generate``: one seeded instance from a scenario, a network (or a user profile) and arrivals.

Vectorised with numpy: the per-point base costs are computed once per (scenario, network,
precision) and cached; an instance is then a few array operations over its ``n`` events.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from ddp import Instance
from ddp.limits import MAX_CLOUD_UNITS, MAX_DEVICES, MAX_EVENTS, MAX_TOTAL_TIME

from .arrivals import EventCount, Interval, check_streams, draw_devices, per_device_arrivals
from .costs import PointCosts, network_costs, user_costs
from .network import ELEMENT_BYTES
from .network import link as link_preset
from .presets import lookup
from .scenarios import SCENARIOS
from .user_profile import load_user_profile

# The version of what a set of settings generates: raised whenever the same settings and seed
# give other instances (instances/2: the chains start stationary, the recalibrated ``paper``).
GENERATOR = "instances/2"
# Independent random streams, one per process, so that (say) adding devices leaves the arrivals
# of the same seed unchanged.
_STREAMS = ("events", "arrivals", "devices", "congestion", "load")


@lru_cache(maxsize=64)
def _builtin_costs(scenario: str, network: str, precision: str) -> PointCosts:
    sc = SCENARIOS[scenario]
    return network_costs(network, sc.front, sc.cloud, sc.codec, precision)


def _positive_int(value, what: str, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{what} {value!r} is not an integer")
    if not 1 <= value <= maximum:
        raise ValueError(f"{what} must be >= 1 and at most {maximum}, got {value}")
    return int(value)


def generate(scenario: str = "paper", network: str = "resnet3d50", events: int | str = 8,
             interval: float | str = "0", devices: int = 1, cloud_units: int = 1, seed: int = 0,
             link: str | None = None, profile: str | None = None,
             precision: str = "fp32", streams: str = "one") -> Instance:
    """One instance, deterministic in its settings and seed.

    Parameters
    ----------
    scenario : str
        A name in :data:`instances.SCENARIOS` (``paper``, ``edge-3g``, ``edge-lte``,
        ``edge-wifi``).
    network : str
        A name in :data:`instances.NETWORKS`; ignored when ``profile`` is given.
    events : int or str
        ``n``, or ``"normal:LO-HI"`` (the paper's Tables 3-4).
    interval : float or str
        ``360`` / ``"360"`` equal gaps, ``"0-720"`` uniform gaps, ``"poisson:300"`` (ms).
    devices, cloud_units : int
        Front-end devices (each event's drawn uniformly) and cloud units (>= 1).
    seed : int
        Seed of every random process (>= 0).
    link : str, optional
        Uplink preset (``3g``, ``lte``, ``wifi``); default the scenario's.
    profile : str, optional
        Path of a ``ddp-profile/1`` file to use instead of a built-in network.
    precision : str
        ``fp32`` or ``fp16``: bytes per element of the tensors sent at points 1..k. Not applied
        with ``profile``, whose ``bytes`` are used as given.
    streams : str
        ``"one"`` (default): one arrival stream, each event's device drawn uniformly.
        ``"per-device"`` (the paper's Table 4, see ``docs/scenarios.md``): each event's device is
        drawn uniformly as before, which splits ``n`` into multinomial shares; each device then
        has its own arrival stream of its share (first arrival at 0, gaps per ``interval``), and
        the events are the streams merged in arrival order (ties by device index). See
        :func:`instances.arrivals.per_device_arrivals`. Recorded in ``meta["settings"]`` and in
        the name only when not ``"one"``.

    Raises
    ------
    ValueError
        Bad settings, with a one-line message (unknown presets list the known ones).
    """
    sc = lookup(SCENARIOS, scenario, "scenario")
    count = EventCount.parse(events)
    gaps = Interval.parse(interval)
    devices = _positive_int(devices, "devices", MAX_DEVICES)
    cloud_units = _positive_int(cloud_units, "cloud_units", MAX_CLOUD_UNITS)
    if count.hi > MAX_EVENTS:
        raise ValueError(f"events {count}: at most {MAX_EVENTS} events an instance")
    streams = check_streams(streams)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed {seed!r} must be an integer >= 0")
    uplink = link_preset(link if link is not None else sc.link)
    lookup(ELEMENT_BYTES, precision, "precision")
    if profile is not None:
        costs = user_costs(load_user_profile(profile), sc.front, sc.cloud)
    else:
        costs = _builtin_costs(sc.name, network, precision)

    seeds = np.random.SeedSequence(int(seed)).spawn(len(_STREAMS))
    rng = dict(zip(_STREAMS, (np.random.default_rng(s) for s in seeds), strict=True))
    n = count.draw(rng["events"])
    if streams == "one":
        arrival = gaps.draw(n, rng["arrivals"])
        device = draw_devices(n, devices, rng["devices"])
    else:
        arrival, device = per_device_arrivals(n, devices, gaps, rng["devices"], rng["arrivals"])
    if not arrival[-1] <= MAX_TOTAL_TIME:  # inf: the sum of the gaps overflowed
        raise ValueError(f"interval {gaps}: the arrivals of {n} events reach "
                         f"{float(arrival[-1]):g} ms, beyond {MAX_TOTAL_TIME:g}")
    omega = sc.congestion.sample(arrival, rng["congestion"])
    theta = sc.load.sample(arrival, rng["load"])

    front = np.tile(costs.front_ms, (n, 1))
    trans = uplink.trans_ms(costs.bytes, omega)
    cloud = theta[:, None] * costs.cloud_ms[None, :]
    settings = {"scenario": sc.name, "network": costs.network, "events": str(count),
                "interval": str(gaps), "devices": devices, "cloud_units": cloud_units,
                "seed": int(seed), "link": uplink.name, "profile": None if profile is None
                else Path(profile).name, "precision": precision}
    if streams != "one":
        settings["streams"] = streams
    meta = {"generator": GENERATOR, "settings": settings, "n": n,
            "link": uplink.to_dict(), "scenario": sc.to_meta(),
            "point_bytes": costs.bytes.tolist()}
    name = (f"{sc.name}/{costs.network}/n={n}/interval={gaps}/m={devices}/u={cloud_units}"
            f"/seed={seed}")
    if streams != "one":
        name += f"/streams={streams}"
    return Instance(arrival, front, trans, cloud, device=device, devices=devices,
                    cloud_units=cloud_units, feature_point=costs.feature_point, name=name,
                    meta=meta)

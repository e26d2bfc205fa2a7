"""Scenarios: which devices, link, codec, congestion and cloud-load processes make an instance.

``paper`` is calibrated to the regime of the paper's Table 1; the ``edge-*`` scenarios are built
only from the presets in ``data/presets.json``, with no calibration: a Jetson Xavier NX front
end, a V100 cloud, UCF101-rate video, over 3G, LTE or Wi-Fi.

How ``paper`` was calibrated
----------------------------
The paper gives no device or link numbers, only its tables, so the scenario fixes the two
per-clip times of 3D ResNet-50 that its Table 1 implies and derives effective throughputs from
them (2 x 10.07 GMACs per clip); the link (LTE, 5.85 Mbit/s, 60 ms RTT) and the clip (UCF101's
0.535 Mbit/s x 0.64 s = 42.8 kB, so ``T[0] = 88.5 ms``) are presets. Three constraints:

1. At 720 ms AC = DDP: the paper explains it by the interval exceeding one clip's
   transmission plus cloud time, so nothing queues. The cloud time of a clip is set to
   ``c = 700 ms`` (< 720 ms: with the 88.5 ms transmission the cloud is idle at each arrival).
2. AF several times slower than DDP: AF's -80..-83% means the front device needs about five
   cloud times for a clip; AC at 0 ms is ``T[0] + 8c``.
3. DDP ~10-15% better than AC at 0 ms: with all eight clips at the device, DDP keeps sending
   clips until the front, running one clip whole, finishes before the cloud queue would; the
   gain is largest when the front finish ``F[k] + T[k]`` lands just after the cloud finishes
   its fifth clip, ``T[0] + 5c``. Hence ``F[k] = 5c + (T[0] - T[k]) + 30 ms = 3588 ms``
   (30 ms of margin keeps the tie on the same side; DDP then wins ``c - 88 ms`` of ``T[0] + 8c``,
   10.8%).

Per-event variation: the cloud is busy (slowdown 1.5) a quarter of the time in spells of ~5 s,
and the uplink falls to 30% of its rate for ~2 s every ~10 s (Gilbert-Elliott). Both chains start
nominal at time 0, so the 0 ms row has no variation at all. The spells make cloud queues (and
DDP's gains) appear at 360 ms in some seeds and keep AC = DDP at 720 ms in every seed tried.

Not reproduced, on purpose: NS apart from AC at 360 ms. NS differs from AC only for an event
that, alone, is better off on the front device, which here needs the cloud slowed more than
~5x (or the clip's upload stretched by seconds). At 720 ms DDP meets every event alone (the
queues are empty), so DDP = NS there, and the 720 ms row sees the same chain over a longer
span: any state that separates NS from AC at 360 ms breaks AC = DDP at 720 ms at least as
often. With rare 6x spikes instead (tried: 1.5 s every ~20 s) NS leaves AC in 12% of the seeds
at 360 ms but also 15% at 720 ms, and NS beats DDP by 8-24% in Table 2 (the paper: DDP beats
NS by 8-13%). The grid behind these choices: cloud time 700-1200 ms, front/cloud ratio 4-5,
five load chains, 30-60 seeds each; a cloud time above 720 ms gives DDP a gain at 360 ms like
the paper's but breaks AC = DDP at 720 ms. The numbers the scenario gives (seed 0 and over
seeds, Tables 1-4) are in the README and ``benchmarks/instances_paper_tables.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .devices import ComputeDevice, device
from .markov import MarkovLevels


@dataclass(frozen=True)
class Scenario:
    """Everything but the network, the arrivals and the seed.

    Attributes
    ----------
    name, description : str
    front, cloud : ComputeDevice
        The front-end device model (all devices alike) and the cloud unit model.
    link : str
        Default uplink preset (``--link`` overrides it).
    codec : str
        Video codec preset of the clip sent at point 0.
    congestion : MarkovLevels
        Network status ``omega``: bandwidth factor of the uplink over time.
    load : MarkovLevels
        Cloud load ``theta``: slowdown factor of the cloud over time.
    calibrated : bool
        True when the numbers were fitted to the paper rather than taken from presets.
    """

    name: str
    description: str
    front: ComputeDevice
    cloud: ComputeDevice
    link: str
    codec: str
    congestion: MarkovLevels
    load: MarkovLevels
    calibrated: bool = False

    def to_meta(self) -> dict:
        """The scenario's numbers, for an instance's ``meta``."""
        return {"front": self.front.to_dict(), "cloud": self.cloud.to_dict(),
                "codec": self.codec,
                "congestion": {"levels": list(self.congestion.levels),
                               "mean_sojourn_ms": list(self.congestion.mean_sojourn_ms)},
                "load": {"levels": list(self.load.levels),
                         "mean_sojourn_ms": list(self.load.mean_sojourn_ms)},
                "calibrated": self.calibrated}


# -- paper ---------------------------------------------------------------------------------------
# Effective throughputs from per-clip times of 3D ResNet-50 (2 x 10,068,699,136 FLOP a clip).
_CLIP_FLOP = 2 * 10_068_699_136
PAPER_CLOUD_CLIP_MS = 700.0
PAPER_FRONT_CLIP_MS = 3588.0
PAPER_FRONT = ComputeDevice("paper-front", "front",
                            peak_tflops=_CLIP_FLOP / (PAPER_FRONT_CLIP_MS * 1e-3) / 1e12,
                            utilisation=1.0)
PAPER_CLOUD = ComputeDevice("paper-cloud", "cloud",
                            peak_tflops=_CLIP_FLOP / (PAPER_CLOUD_CLIP_MS * 1e-3) / 1e12,
                            utilisation=1.0)
PAPER = Scenario(
    "paper", "calibrated to the paper's Table 1 regime (see instances/scenarios.py)",
    PAPER_FRONT, PAPER_CLOUD, link="lte", codec="ucf101",
    congestion=MarkovLevels((1.0, 0.3), (10000.0, 2000.0)),
    load=MarkovLevels((1.0, 1.5), (15000.0, 5000.0)),
    calibrated=True)

# -- realistic, presets only ---------------------------------------------------------------------
# A congested spell a tenth of the time at a third of the bandwidth; the cloud busy with other
# tenants a fifth of the time, at half speed. Typical orders of magnitude, not measurements.
EDGE_CONGESTION = MarkovLevels((1.0, 1.0 / 3.0), (18000.0, 2000.0))
EDGE_LOAD = MarkovLevels((1.0, 2.0), (20000.0, 5000.0))


def _edge(link: str) -> Scenario:
    return Scenario(f"edge-{link}", f"Jetson Xavier NX front, V100 cloud, {link} uplink, "
                    f"UCF101-rate video (presets only)", device("jetson-xavier-nx"),
                    device("v100"), link, "ucf101", EDGE_CONGESTION, EDGE_LOAD)


SCENARIOS: dict[str, Scenario] = {"paper": PAPER,
                                  **{f"edge-{link}": _edge(link) for link in ("3g", "lte", "wifi")}}

"""Scenarios: which devices, link, codec, congestion and cloud-load processes make an instance.

``paper`` is calibrated to the regime of the paper's Table 1; the ``edge-*`` scenarios are built
only from the presets in ``data/presets.json``, with no calibration: a Jetson Xavier NX front
end, a V100 cloud, UCF101-rate video, over 3G, LTE or Wi-Fi. How every number of ``paper`` is
derived, and what it gives: ``docs/scenarios.md``.
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
# Derivation in docs/scenarios.md. Effective throughputs from per-clip times of 3D ResNet-50
# (2 x 10,068,699,136 FLOP a clip), on a LAN between the two servers.
_CLIP_FLOP = 2 * 10_068_699_136
PAPER_LINK = "lan"
PAPER_CODEC = "ucf101"
PAPER_INTERVAL_MS = 720.0  # Table 1's widest interval, where AC = DDP
PAPER_CLOUD_CLIP_MS = 700.0  # below 720 ms: at 720 ms nothing queues in the cloud
PAPER_AF_SHARE = 0.2  # Table 1, 720 ms: DDP (= AC) 80.00% below AF, so AF = 5 x AC there


def paper_front_clip_ms(events: int = 8) -> float:
    """The front time of a whole clip ``f`` for which AF is ``1 / PAPER_AF_SHARE`` times AC at
    720 ms (n = 8, nominal state): AF ``= 8 f + T[k]``, AC ``= 7 x 720 + T[0] + c``."""
    from .costs import profile
    from .network import link, point_bytes

    prof = profile("resnet3d50")
    sent = point_bytes(prof.point_elements(), prof.clip_seconds, PAPER_CODEC)
    trans = link(PAPER_LINK).trans_ms(sent, [1.0])[0]
    ac = (events - 1) * PAPER_INTERVAL_MS + trans[0] + PAPER_CLOUD_CLIP_MS
    return (ac / PAPER_AF_SHARE - trans[-1]) / events


PAPER_FRONT_CLIP_MS = paper_front_clip_ms()
PAPER_FRONT = ComputeDevice("paper-front", "front",
                            peak_tflops=_CLIP_FLOP / (PAPER_FRONT_CLIP_MS * 1e-3) / 1e12,
                            utilisation=1.0)
PAPER_CLOUD = ComputeDevice("paper-cloud", "cloud",
                            peak_tflops=_CLIP_FLOP / (PAPER_CLOUD_CLIP_MS * 1e-3) / 1e12,
                            utilisation=1.0)
PAPER = Scenario(
    "paper", "calibrated to the paper's Table 1 regime (see docs/scenarios.md)",
    PAPER_FRONT, PAPER_CLOUD, link=PAPER_LINK, codec=PAPER_CODEC,
    congestion=MarkovLevels((1.0, 0.5), (10000.0, 2000.0)),
    load=MarkovLevels((1.0, 1.25), (8000.0, 2000.0)),
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

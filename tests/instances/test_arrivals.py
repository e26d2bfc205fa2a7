"""Arrival processes, event counts and device spread (conventions of docs/paper.md)."""

import numpy as np
import pytest

import instances
from instances.arrivals import EventCount, Interval, draw_devices


def rng(seed=0):
    return np.random.default_rng(seed)


def test_equal_interval():
    """``360``: first arrival 0, every gap 360 ms."""
    arrival = Interval.parse("360").draw(8, rng())
    assert arrival.tolist() == [360.0 * j for j in range(8)]
    assert Interval.parse(360) == Interval.parse("360")


def test_uniform_interval_gaps_in_range():
    """``0-720``: continuous gaps within [0, 720], first arrival 0, mean near 360."""
    arrival = Interval.parse("0-720").draw(20000, rng())
    gaps = np.diff(arrival)
    assert arrival[0] == 0 and gaps.min() >= 0 and gaps.max() <= 720
    assert abs(gaps.mean() - 360) < 10
    assert len(np.unique(gaps)) > 19000


def test_poisson_interval_mean():
    """``poisson:300``: exponential gaps of mean 300 ms (sd = mean)."""
    gaps = np.diff(Interval.parse("poisson:300").draw(20000, rng()))
    assert abs(gaps.mean() - 300) < 10 and abs(gaps.std() - 300) < 15


@pytest.mark.parametrize("spec, fragment", [
    ("-5", "negative"),
    (-1.0, "negative"),
    ("720-0", "LO <= HI"),
    ("poisson:0", "> 0"),
    ("fast", "0-720"),
    ("nan", "0-720"),
])
def test_bad_intervals(spec, fragment):
    """Bad interval specs raise a one-line ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=fragment) as info:
        Interval.parse(spec)
    assert "\n" not in str(info.value)


def test_events_fixed_and_parse_errors():
    """``8`` and ``"8"`` fix n; zero and junk are errors."""
    assert EventCount.parse(8).draw(rng()) == 8 == EventCount.parse("8").draw(rng())
    for bad in (0, "0", "-3", "many", "normal:0-10", "normal:10-5"):
        with pytest.raises(ValueError):
            EventCount.parse(bad)


def test_events_normal_range_mean_and_sd():
    """``normal:1-5000``: always in range, mean (lo+hi)/2, sd (hi-lo)/6 (truncation is slight)."""
    count, r = EventCount.parse("normal:1-5000"), rng(1)
    draws = np.array([count.draw(r) for _ in range(4000)])
    assert draws.min() >= 1 and draws.max() <= 5000
    assert abs(draws.mean() - 2500.5) < 40
    assert abs(draws.std() - 4999 / 6) < 40


def test_events_normal_narrow_range_redraws():
    """A narrow range is hit by redrawing, never by clipping."""
    count, r = EventCount.parse("normal:3-5"), rng(2)
    assert {count.draw(r) for _ in range(500)} == {3, 4, 5}


def test_device_spread_uniform():
    """Each event's device is uniform over 0..m-1."""
    device = draw_devices(64000, 8, rng(3))
    counts = np.bincount(device, minlength=8)
    assert len(counts) == 8 and counts.min() > 7500 and counts.max() < 8500


def test_generate_spreads_devices_and_units():
    """``generate`` draws devices uniformly; units default to device mod u."""
    inst = instances.generate(events=4000, interval="0-720", devices=32, cloud_units=4, seed=5)
    assert inst.devices == 32 and inst.cloud_units == 4
    assert set(inst.device.tolist()) == set(range(32))
    assert (inst.unit == inst.device % 4).all()


def test_same_seed_same_arrivals_whatever_the_devices():
    """Independent random streams: changing m leaves the arrivals of a seed unchanged."""
    a = instances.generate(events=50, interval="0-720", devices=1, seed=9)
    b = instances.generate(events=50, interval="0-720", devices=8, seed=9)
    assert np.array_equal(a.arrival, b.arrival)


def test_markov_chain_levels_shares_and_determinism():
    """The chain visits its levels in proportion to their mean sojourns, and the same generator
    seed gives the same path."""
    from instances.markov import MarkovLevels

    chain = MarkovLevels((1.0, 0.5, 2.0), (3000.0, 1000.0, 1000.0))
    times = np.linspace(0, 5e6, 50001)
    path = chain.sample(times, rng(8))
    assert set(path) == {1.0, 0.5, 2.0}
    shares = [np.mean(path == level) for level in chain.levels]
    assert np.allclose(shares, chain.stationary(), atol=0.03)
    assert np.array_equal(path, chain.sample(times, rng(8)))
    assert (MarkovLevels().sample(times[:5], rng()) == 1.0).all()
    with pytest.raises(ValueError):
        MarkovLevels((1.0, 2.0), (100.0,))


def test_markov_chain_starts_from_its_stationary_distribution():
    """The level at time 0 is drawn from the stationary distribution (not always level 0), and
    the chain stays stationary: the level at a later time has the same distribution."""
    from instances.markov import MarkovLevels

    chain = MarkovLevels((1.0, 1.25), (8000.0, 2000.0))
    generator = rng(3)
    paths = np.array([chain.sample(np.array([0.0, 0.0, 500.0]), generator)
                      for _ in range(4000)])
    assert (paths[:, 0] == paths[:, 1]).all()  # events arriving together see the same level
    for column in (0, 2):
        busy = np.mean(paths[:, column] == 1.25)
        assert abs(busy - chain.stationary()[1]) < 0.03  # 0.2


def test_paper_instances_at_time_zero_meet_the_busy_cloud_as_often_as_later():
    """Every scenario's chains start stationary: the 0 ms row of Table 1 is an average over the
    cloud load and network status at time 0, not 1000 copies of the nominal instance."""
    for scenario in instances.SCENARIOS.values():
        first = np.array([instances.generate(scenario.name, events=1, seed=s).cloud[0, 0]
                          for s in range(400)])
        assert len(np.unique(first.round(6))) == len(scenario.load.levels)
        nominal = np.mean(np.isclose(first, first.min()))
        assert abs(nominal - scenario.load.stationary()[0]) < 0.07

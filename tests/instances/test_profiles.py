"""Network profiles: totals, parameter counts and hand-derived shapes."""

import itertools
import math

import pytest

import instances
from instances.layers import NetBuilder, conv_out
from instances.nets import NETWORKS
from instances.nets.resnet3d import i3d_r50


@pytest.mark.parametrize("network, k, total", [
    ("resnet3d50", 18, 10_068_699_136),    # the README: 10.07 G
    ("i3d", 14, 111_151_000_576),          # the README: 111.15 G
    ("i3d_r50", 18, 33_127_606_272),       # 101 classes (33,128,218,624 with 400)
])
def test_profile_totals(network, k, total):
    """k parts, the total MACs, and the FB feature point k - 1."""
    prof = instances.profile(network)
    assert prof.k == k and len(prof.points()) == k + 1
    assert prof.total_macs == total
    assert prof.feature_point == k - 1


def test_totals_round_as_in_readme():
    """10.07 G for 3D ResNet-50, 111.15 G for I3D."""
    assert round(instances.profile("resnet3d50").total_macs / 1e9, 2) == 10.07
    assert round(instances.profile("i3d").total_macs / 1e9, 2) == 111.15


def test_i3d_r50_parameters_with_400_classes():
    """MMAction's I3D-R50 has 28,043,472 parameters with a 400-way head."""
    _, parts = i3d_r50(classes=400)
    assert sum(p.params for p in parts) == 28_043_472


@pytest.mark.parametrize("network, index, shape", [
    # conv1 7x7x7 s(1,2,2) p3: 16x112x112 -> 16x56x56; max-pool 3 s2 p1 -> 8x28x28
    ("resnet3d50", 1, (64, 8, 28, 28)),
    ("resnet3d50", 4, (256, 8, 28, 28)),
    ("resnet3d50", 5, (512, 4, 14, 14)),
    ("resnet3d50", 9, (1024, 2, 7, 7)),
    # 7 -> floor((7 + 2 - 3) / 2) + 1 = 4
    ("resnet3d50", 17, (2048, 1, 4, 4)),
    ("resnet3d50", 18, (101,)),
    # SAME padding: ceil(64/2) x ceil(224/2) = 32x112x112, pool 1x3x3 s(1,2,2) -> 32x56x56
    ("i3d", 1, (64, 32, 56, 56)),
    ("i3d", 5, (480, 32, 28, 28)),
    ("i3d", 6, (480, 16, 14, 14)),
    ("i3d", 11, (832, 8, 7, 7)),
    ("i3d", 13, (1024, 8, 7, 7)),
    ("i3d", 14, (101,)),
    # conv1 5x7x7 s2 p(2,3,3): 32 -> 16, 224 -> 112; pool1 s(2,2,2): 16 -> 8, 112 -> 56
    ("i3d_r50", 1, (64, 8, 56, 56)),
    # pool2 2x1x1 s(2,1,1) after layer1: 8 -> 4
    ("i3d_r50", 4, (256, 4, 56, 56)),
    ("i3d_r50", 17, (2048, 4, 7, 7)),
])
def test_hand_derived_shapes(network, index, shape):
    """Output shapes at a few points, derived by hand from kernels, strides and paddings."""
    point = instances.profile(network).points()[index]
    assert point.shape == shape
    assert point.elements == math.prod(shape) and point.bytes == 4 * point.elements


def test_resnet_stem_macs_by_hand():
    """conv1: 64 x 3 x 7^3 weights at each of 16 x 56 x 56 outputs."""
    assert instances.profile("resnet3d50").parts[0].macs == 64 * 3 * 343 * 16 * 56 * 56


def test_points_cumulative_and_remaining_add_up():
    """cum_macs rises from 0 to the total, remaining_macs = total - cum_macs."""
    for network in NETWORKS:
        prof = instances.profile(network)
        points = prof.points()
        assert points[0].cum_macs == 0 and points[-1].remaining_macs == 0
        assert points[0].shape == prof.input_shape and points[0].name == "input"
        for a, b in itertools.pairwise(points):
            assert b.cum_macs >= a.cum_macs
        assert all(p.cum_macs + p.remaining_macs == prof.total_macs for p in points)


@pytest.mark.parametrize("size, kernel, stride, padding, ceil, expected", [
    (224, 7, 2, "same", False, 112),
    (7, 2, 2, "same", False, 4),      # TF SAME: ceil(7 / 2)
    (56, 3, 2, 1, False, 28),
    (7, 3, 2, 0, False, 3),
    (7, 3, 2, 0, True, 3),
    (8, 3, 2, 0, True, 4),            # ceil mode keeps a last partial window
    (6, 2, 2, 0, True, 3),
])
def test_conv_out(size, kernel, stride, padding, ceil, expected):
    """Output length with floor, ceil and SAME conventions."""
    assert conv_out(size, kernel, stride, padding, ceil) == expected


def test_builder_concat_and_add_check_shapes():
    """Branches merge only when their shapes agree."""
    net = NetBuilder((8, 4, 8, 8))
    a, b = net.branch().conv(4, 1), net.branch().conv(4, 1, 2)
    with pytest.raises(ValueError):
        net.merge([a, b], "concat")
    with pytest.raises(ValueError):
        net.merge([a, b], "add")
    net.merge([a, net.branch().conv(6, 3, 1, 1)], "concat")
    assert net.shape == (10, 4, 8, 8)
    assert net.macs == 4 * 8 * 256 + 6 * 8 * 27 * 256

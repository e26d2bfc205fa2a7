"""``--profile FILE``: a user's measured profile, validated with errors naming file/point/key."""

import json

import pytest

import instances
from instances import ProfileError, load_user_profile

GOOD = {"format": "ddp-profile/1", "network": "my-net",
        "points": [{"name": "input", "bytes": 40000, "front_ms": 0, "cloud_ms": 100},
                   {"name": "block1", "bytes": 800000, "front_ms": 300, "cloud_macs": 1e9},
                   {"name": "scores", "bytes": 400, "front_macs": 4e9, "cloud_ms": 0}]}


def write(tmp_path, data, name="p.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_user_profile_drives_generate(tmp_path):
    """Measured times are used as given (cloud scaled by load), MACs via the devices."""
    path = write(tmp_path, GOOD)
    inst = instances.generate("edge-lte", profile=str(path), events=3)
    sc = instances.SCENARIOS["edge-lte"]
    assert inst.k == 2 and inst.feature_point == 1
    assert inst.front[0].tolist()[:2] == [0.0, 300.0]
    assert inst.front[0, 2] == pytest.approx(2 * 4e9 / sc.front.effective_flops * 1e3 +
                                             sc.front.call_overhead_ms)
    assert inst.cloud[0, 0] == 100.0 and inst.cloud[0, 2] == 0.0
    assert inst.meta["settings"]["profile"] == "p.json"
    assert inst.meta["settings"]["network"] == "my-net"


def with_point(index, **changes):
    data = json.loads(json.dumps(GOOD))
    point = data["points"][index]
    for key, value in changes.items():
        if value is None:
            point.pop(key, None)
        else:
            point[key] = value
    return data


@pytest.mark.parametrize("data, fragments", [
    ("{not json", ["invalid JSON"]),
    ([1, 2], ["one JSON object"]),
    ({**GOOD, "format": "x"}, ["key 'format'"]),
    ({**GOOD, "colour": 1}, ["key 'colour'", "unknown key"]),
    ({k: v for k, v in GOOD.items() if k != "network"}, ["key 'network'"]),
    ({**GOOD, "points": GOOD["points"][:1]}, ["key 'points'", "k+1 >= 2"]),
    (with_point(1, bytes=None), ["point 1", "key 'bytes'"]),
    (with_point(1, bytes=-3), ["point 1", "key 'bytes'", ">= 0"]),
    (with_point(1, front_ms=True), ["point 1", "key 'front_ms'", "not a number"]),
    (with_point(2, cloud_macs=5), ["point 2", "give exactly one of cloud_ms or cloud_macs"]),
    (with_point(1, front_ms=None), ["point 1", "front_ms or front_macs"]),
    (with_point(0, front_ms=5), ["point 0", "key 'front_ms'", "must be 0"]),
    (with_point(2, cloud_ms=7), ["point 2", "key 'cloud_ms'", "must be 0"]),
    (with_point(1, speed=1), ["point 1", "key 'speed'"]),
    (with_point(1, name=3), ["point 1", "key 'name'"]),
    ({**GOOD, "feature_point": 9}, ["key 'feature_point'", "0..2"]),
    ('{"format": "ddp-profile/1", "network": "n", "points": [{"name": "a", "bytes": NaN}]}',
     ["invalid JSON"]),
])
def test_profile_errors_name_file_point_and_key(tmp_path, data, fragments):
    """Each broken rule: a ProfileError (ValueError) naming the file, point and key."""
    path = write(tmp_path, data)
    with pytest.raises(ProfileError) as info:
        load_user_profile(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_missing_profile_file(tmp_path):
    """A missing file is a ProfileError naming it."""
    with pytest.raises(ValueError, match="cannot read"):
        instances.generate(profile=str(tmp_path / "none.json"))

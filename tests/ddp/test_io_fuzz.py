"""Fuzzing the instance reader: mutated files give an Instance or one InstanceError, never another
exception, and an instance read gives finite makespans.

2000 mutated files by default (a few seconds); set ``DDP_FUZZ_EXAMPLES`` for more, e.g.
``DDP_FUZZ_EXAMPLES=100000 pytest tests/ddp/test_io_fuzz.py``.
"""

from __future__ import annotations

import math
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ddp

EXAMPLES = int(os.environ.get("DDP_FUZZ_EXAMPLES", "2000"))

SEEDS = [
    ddp.dumps_instance(ddp.Instance([0, 100], [[0, 40, 90], [0, 40, 90]],
                                    [[300, 80, 1], [300, 80, 1]], [[60, 30, 0], [60, 30, 0]],
                                    feature_point=1, name="spec example")),
    ddp.dumps_instance(ddp.Instance([0, 0, 5.5], [[0, 1, 2]] * 3, [[3, 1, 0]] * 3,
                                    [[2, 1, 0]] * 3, device=[0, 1, 1], devices=2, unit=[0, 1, 0],
                                    cloud_units=2, meta={"seed": 3, "x": [1.5, None, {"y": "z"}]},
                                    time_unit="us")),
    '{"format": "ddp-instance/1", "arrival": [0], "front": [[0, 1]], "trans": [[1, 0]], '
    '"cloud": [[1, 0]]}',
]

# Pieces a hostile or broken file might hold where a value was.
TOKENS = [b"1e308", b"-1", b"9" * 400, b"9" * 5000, b"NaN", b"-Infinity", b"1e999", b"true",
          b"null", b'"x"', b"[]", b"{}", b"[[]]", b"[" * 200, b"{" * 50, b"]", b"}", b"\xff\xfe",
          b"0.5", b"-0", b"1000000000", b"100000000000000000000", b",", b":", b'"', b"\\u0000",
          b'"devices": 1000000000, ', b'"unit": [7], ', b'"meta": {"a": NaN}, ',
          b'"device": [1e9], ', b'"feature_point": 99, ', b'"extra": 1, ', b"\x00", b" "]


@st.composite
def mutated_files(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "replace", "delete", "flip", "duplicate"]))
        if action == "insert":
            data[position:position] = draw(st.sampled_from(TOKENS))
        elif action == "replace":
            end = min(len(data), position + draw(st.integers(1, 12)))
            data[position:end] = draw(st.sampled_from(TOKENS))
        elif action == "delete":
            del data[position:position + draw(st.integers(1, 20))]
        elif action == "flip" and position < len(data):
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif action == "duplicate":
            end = min(len(data), position + draw(st.integers(1, 40)))
            data[position:position] = data[position:end]
    return bytes(data)


@settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck))
@given(mutated_files())
def test_mutated_files_read_as_an_instance_or_one_error(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "fuzz.json"
    path.write_bytes(data)
    try:
        inst = ddp.load_instance(path)
    except ddp.InstanceError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
        return
    assert math.isfinite(ddp.run_policy(inst, "ddp").makespan)
    # what was read saves and reads back the same
    again = ddp.parse_instance(ddp.dumps_instance(inst))
    assert again == inst

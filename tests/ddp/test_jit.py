"""The disk cache of compiled kernels follows the files their code comes from (``ddp._jit``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ddp._jit import LOCATORS, KernelCacheLocator, kernel_files

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import numpy as np, ddp
inst = ddp.Instance(np.zeros(2), np.array([[0.0, 5.0], [0.0, 5.0]]),
                    np.array([[3.0, 0.0], [3.0, 0.0]]), np.array([[4.0, 0.0], [4.0, 0.0]]))
print(ddp.run_policy_batch([inst], "ac").makespans[0])
"""


def test_the_project_locator_comes_first():
    assert LOCATORS[0] is KernelCacheLocator


def test_the_digest_covers_every_file_with_kernels():
    names = {path.relative_to(ROOT).as_posix() for path in kernel_files(ROOT)}
    assert {"ddp/recurrence.py", "ddp/batch.py", "solvers/_dp_kernels.py"} <= names
    assert "ddp/cli/solve.py" not in names and "solvers/solve.py" not in names


def test_a_change_to_the_recurrence_recompiles_the_kernels_of_other_files(tmp_path):
    """``ddp.batch``'s kernel compiles in ``ddp.recurrence.step``: after a change to ``step`` a
    fresh process must not load the kernel cached before it (numba alone would: the stamp of
    ``batch.py`` has not changed)."""
    shutil.copytree(ROOT / "ddp", tmp_path / "ddp",
                    ignore=shutil.ignore_patterns("__pycache__"))

    def run() -> float:
        done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)})
        assert done.returncode == 0, done.stderr
        return float(done.stdout.split()[-1])

    assert run() == 11.0  # two clips sent whole: 3 + 4, then 4 more in the cloud's queue
    assert any((tmp_path / "ddp" / "__pycache__").glob("batch*.nbi"))
    recurrence = tmp_path / "ddp" / "recurrence.py"
    text = recurrence.read_text()
    old = "    finish_cloud = start_cloud + cloud_time\n"
    assert text.count(old) == 1
    new = "    finish_cloud = start_cloud + cloud_time + 100.0\n"
    recurrence.write_text(text.replace(old, new))
    assert run() == 211.0  # the cached kernel would still say 11.0

"""Every module imports on its own: no import cycle hides behind an import order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ddp", "instances", "solvers", "experiments")

# Runs in a fresh interpreter: before each import every module of our packages is forgotten,
# so each one is imported first, as a user's `import solvers.bounds` would.
SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.split(".")[0] in {packages!r}]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{{name}}: {{type(exc).__name__}}: {{exc}}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def module_names() -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__main__":
                continue  # running it is the CLI, not an import
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


def test_every_module_imports_alone():
    """Each module of ddp, instances, solvers and experiments imports first without error."""
    names = module_names()
    assert "solvers.bounds" in names and "ddp.cli" in names
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(packages=set(PACKAGES)), *names],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

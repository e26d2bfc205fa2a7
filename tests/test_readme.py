"""The README's code blocks run as written; the ones CI cannot run name real commands and flags.

Shell commands run through the installed ``ddp`` entry point (the one beside ``sys.executable``)
in a scratch folder that holds the repository's ``examples/``; quoted output (```` ```text ````
blocks with ``$`` lines) must be what the commands print; Python blocks are executed.
Commands too slow for the test suite or needing a cluster are parsed by ``ddp``'s own argument
parser and their flags looked up in their ``--help``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from ddp.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def fenced_blocks(path: Path) -> list[tuple[str, str, int]]:
    """``(language, body, line)`` of every fenced code block of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    return [(match.group(1), match.group(2), text.count("\n", 0, match.start()) + 1)
            for match in FENCE.finditer(text)]


def shell_commands(body: str) -> list[list[str]]:
    """The commands of a shell block, comments dropped."""
    return [argv for line in body.splitlines() if (argv := shlex.split(line, comments=True))]


def not_in_ci(argv: list[str]) -> str | None:
    """Why a README command is only checked, not run, in the test suite (None: it runs)."""
    if argv[0] == "make":
        return "builds the environment or runs this very suite"
    if argv[0] == "python" and argv[1].startswith("benchmarks/"):
        return "a benchmark: minutes of timing runs"
    if argv[0] != "ddp":
        return None
    if "--dask" in argv:
        return "needs a running dask.distributed scheduler"
    if argv[1] == "experiment" and "--quick" not in argv:
        return "full size: 1000 instances a row, minutes to hours"
    if argv[1] == "experiment" and argv[2] in ("gap", "all"):
        return "exact solves of every gap cell: longer than a unit test should take"
    return None


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A scratch folder with the repository's examples, and the broken file the README shows."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    data = json.loads((ROOT / "examples" / "instance.json").read_text())
    data["cloud"][1][0] = -30.0  # the README's error example: key 'cloud', event 1
    (tmp_path / "bad.json").write_text(json.dumps(data))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_command(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """A README command through the environment's own executables."""
    program = {"ddp": str(BIN / "ddp"), "python": sys.executable}.get(argv[0])
    assert program is not None, f"the README runs {argv[0]!r}: teach this test about it"
    env = {**os.environ, "COLUMNS": "160"}
    return subprocess.run([program, *argv[1:]], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


def check_without_running(argv: list[str]) -> None:
    """The command and each of its flags exist: parsed by ``ddp`` and found in its --help."""
    if argv[0] == "make":
        targets = re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M)
        assert argv[1] in targets, f"make {argv[1]}: no such target in the Makefile"
        return
    flags = [arg.split("=")[0] for arg in argv if arg.startswith("--")]
    if argv[0] == "python":
        script = ROOT / argv[1]
        assert script.is_file(), f"{argv[1]} does not exist"
        source = script.read_text()
        for flag in flags:
            assert f'"{flag}"' in source, f"{argv[1]} has no option {flag}"
        return
    build_parser().parse_args(argv[1:])  # a usage error exits: the test fails
    words = [arg for arg in argv[1:3] if not arg.startswith("-")][:2]
    if argv[1] != "instance":
        words = words[:1]
    shown = subprocess.run([str(BIN / "ddp"), *words, "--help"], capture_output=True,
                           text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    for flag in flags:
        assert flag in shown.stdout, f"ddp {' '.join(words)} --help does not show {flag}"


BLOCKS = fenced_blocks(README)


def block_id(block: tuple[str, str, int]) -> str:
    return f"line{block[2]}-{block[0] or 'plain'}"


def test_readme_has_the_blocks_this_test_knows():
    """Every block is bash, python, text (a quoted session) or plain (formulas, no commands):
    a new kind needs a rule here."""
    assert BLOCKS and all(language in ("bash", "python", "text", "")
                          for language, _, _ in BLOCKS)
    for language, body, _ in BLOCKS:
        if language == "":
            assert not re.search(r"^\$ |^ddp |^python ", body, re.M), body


@pytest.mark.parametrize("block", [b for b in BLOCKS if b[0] == "bash"], ids=block_id)
def test_shell_block(block, workdir):
    """Each command runs (exit 0) or, where CI cannot run it, is a real command with real flags."""
    for argv in shell_commands(block[1]):
        if not_in_ci(argv):
            check_without_running(argv)
            continue
        done = run_command(argv, workdir)
        assert done.returncode == 0, f"{shlex.join(argv)}:\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize("block", [b for b in BLOCKS if b[0] == "text"], ids=block_id)
def test_quoted_output(block, workdir):
    """A quoted session prints exactly what the README shows (trailing spaces aside)."""
    steps: list[tuple[list[str], list[str]]] = []
    for line in block[1].splitlines():
        if line.startswith("$ "):
            steps.append((shlex.split(line[2:]), []))
        else:
            assert steps, "quoted output needs a '$ command' line before it"
            steps[-1][1].append(line.rstrip())
    for argv, expected in steps:
        assert not_in_ci(argv) is None
        done = run_command(argv, workdir)
        printed = [line.rstrip() for line in (done.stdout + done.stderr).splitlines()]
        assert printed == expected, f"{shlex.join(argv)} now prints:\n" + "\n".join(printed)


@pytest.mark.parametrize("block", [b for b in BLOCKS if b[0] == "python"], ids=block_id)
def test_python_block(block, workdir):
    """Each Python block runs verbatim; a ``print(...)  # text`` line prints that text."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block[1], f"README.md:{block[2]}", "exec"), {"__name__": "readme"})
    printed = out.getvalue()
    for line in block[1].splitlines():
        if line.startswith("print(") and "  # " in line:
            assert line.split("  # ", 1)[1].strip() in printed


@pytest.mark.parametrize("path", [README, *sorted((ROOT / "docs").glob("*.md"))],
                         ids=lambda p: p.name)
def test_relative_links_exist(path):
    """Every relative Markdown link of the README and docs/ points at a file in the repo."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    targets = re.findall(r"\]\(([^)\s]+)\)", re.sub(r"`[^`\n]*`", "", text))
    for target in targets:
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        assert (path.parent / target.split("#")[0]).exists(), f"{path.name}: {target}"


def _repository_text_files() -> list[Path]:
    skip = {".git", ".venv", "results", "__pycache__", ".pytest_cache", ".hypothesis"}
    return [path for path in ROOT.rglob("*")
            if path.is_file() and not skip & set(path.relative_to(ROOT).parts)
            and not path.relative_to(ROOT).parts[0].endswith(".egg-info")
            and path.suffix in (".py", ".md", ".toml", ".txt", ".cfg", ".json", "")]


# What a user of a fresh clone does not have: folders beside the repository, tracker threads.
OUTSIDE = re.compile(r"\.\./shared|shared/(spec|paper|notes)|instance-format\.md"
                     r"|\bissue \d|\bthe[ ]issue\b", re.I)
# "model.md" alone meant the outside page; in the repository it is docs/model.md, a link
# between pages of docs/, or a file name in a test.
MODEL_PAGE = re.compile(r"model\.md")
MODEL_PAGE_OK = re.compile(r"(?:(?<=docs/)|(?<=\]\()|(?<=\[)|(?<=\"))model\.md")


def test_nothing_refers_outside_the_repository():
    """No file points to documents outside the repository or to tracker issues."""
    found = []
    for path in _repository_text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace")
                                      .splitlines(), 1):
            bare_model = len(MODEL_PAGE.findall(line)) > len(MODEL_PAGE_OK.findall(line))
            if OUTSIDE.search(line) or bare_model:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)

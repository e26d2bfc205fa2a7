"""The ``ddp`` command line: a thin layer over the library.

Each sub-command lives in its own module of this package with ``add_parser(subparsers)`` and
``run(args) -> int``; ``COMMANDS`` lists them in the order ``ddp --help`` shows. Bad input ends
with exit status 2 and one line on stderr (``ddp: error: ...``), never a traceback. Anything
else that goes wrong is a bug: one line naming the exception (``ddp: internal error: ...``) and
exit status 1; ``ddp --debug COMMAND ...`` shows its traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from ..errors import InstanceError
from ..signals import Terminated, catching_signals, interruption, raise_if_received, received
from .common import CliError, error_line

COMMANDS = ["demo", "solve", "evaluate", "compare", "experiment", "plot", "profile", "instance",
            "search"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str):  # type: ignore[override]
        error_line(f"{self.prog}: {message} (see '{self.prog} --help')")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(prog="ddp", description="Dynamic DNN partitioning between front-end "
                     "devices and a cloud server: DDP, baselines, exact optimum, experiments.")
    parser.add_argument("--version", action="version", version=f"ddp {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an internal error")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND",
                                       parser_class=_Parser)
    subparsers.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"{__name__}.{name.replace('-', '_')}")
        sub = module.add_parser(subparsers)
        sub.set_defaults(handler=module.run)
    return parser


def _interrupted_exit(status: int) -> int:
    """``status``; but when a native solve ignored the stop and still runs in its thread, the
    process ends here (``os._exit``): a normal exit would abort in C++ with a second message."""
    stoppable = sys.modules.get("solvers.stoppable")
    if stoppable is not None and stoppable.still_running():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ddp`` console script.

    Exit statuses: 0 success, 1 a bug (one line), 2 bad input or usage, 130 Ctrl-C (SIGINT),
    143 SIGTERM; each ends with one line on stderr.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    with catching_signals():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        try:
            status = int(args.handler(args) or 0)
        except Exception:
            if received() is None:
                raise
            # a signal whose exception a native call turned into another one
            raise interruption(received()) from None
        raise_if_received()  # a signal whose exception a native call dropped
        return status
    except (CliError, InstanceError) as exc:
        error_line(str(exc))
        return 2
    except MemoryError:  # e.g. --events 99999999999: too large to build, still one line
        error_line("out of memory: ask for fewer events or a smaller instance")
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        error_line("interrupted")
        return _interrupted_exit(130)
    except Terminated:
        error_line("terminated")
        return _interrupted_exit(143)
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        if args.debug:
            raise
        text = " ".join(f"{type(exc).__name__}: {exc}".split())
        print(f"ddp: internal error: {text} (run with --debug for the traceback)",
              file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

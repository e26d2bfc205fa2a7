"""``ddp.signals``: SIGINT and SIGTERM raise their exceptions and are remembered, so that an
interruption that a native call turned into another exception, or dropped, is still one."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time

import pytest

from ddp.signals import Terminated, catching_signals, raise_if_received, received


def deliver(signum: int) -> None:
    """Send ``signum`` to this process and give Python the chance to run its handler."""
    os.kill(os.getpid(), signum)
    time.sleep(0.5)  # the handler runs at once, between two bytecodes of the sleep's caller


@pytest.mark.parametrize(("signum", "raised"), [(signal.SIGINT, KeyboardInterrupt),
                                                (signal.SIGTERM, Terminated)])
def test_a_signal_raises_and_is_remembered_until_the_block_ends(signum, raised):
    # Python's own SIGINT handler, whatever the runner's: a test run started as a background
    # job inherits SIGINT ignored, which catching_signals rightly keeps
    outer = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
        with catching_signals():
            assert received() is None
            with pytest.raises(raised):
                deliver(signum)
            assert received() == signum
            with pytest.raises(raised):  # lost on its way out: raised again where looked for
                raise_if_received()
        assert received() is None
        raise_if_received()  # nothing pending any more
        assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
    finally:
        signal.signal(signal.SIGINT, outer)


def test_an_ignored_sigint_stays_ignored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a shell's background job
    try:
        with catching_signals():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_an_interruption_inside_a_native_callback_is_not_reported_but_raised_again(
        monkeypatch):
    # numba's compiler calls into Python through ctypes as it loads a cached kernel: a signal
    # handled there raises inside the callback, which cannot pass the exception on
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", lambda report: reported.append(
        report.exc_type))
    callback = ctypes.CFUNCTYPE(None)(lambda: deliver(signal.SIGTERM))
    failing = ctypes.CFUNCTYPE(None)(lambda: 1 / 0)
    with catching_signals():
        callback()
        assert received() == signal.SIGTERM
        with pytest.raises(Terminated):
            raise_if_received()
        failing()  # any other exception lost there still goes to the hook there was
    assert reported == [ZeroDivisionError]

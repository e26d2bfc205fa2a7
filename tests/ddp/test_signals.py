"""``ddp.signals``: SIGINT and SIGTERM raise their exceptions and are remembered, so that an
interruption that a native call turned into another exception, or dropped, is still one."""

from __future__ import annotations

import os
import signal
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

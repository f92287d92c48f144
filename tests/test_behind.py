"""Work on a background thread: order kept, errors raised in the caller, an early stop ends the thread."""

from __future__ import annotations

import threading
import time

import pytest

from emiss.batch.behind import Behind, ahead


def test_behind_calls_in_order_and_waits_at_close():
    seen = []
    w = Behind(lambda x: (time.sleep(0.001), seen.append(x)), depth=2)
    for i in range(50):
        w.put(i)
    w.close()
    assert seen == list(range(50))


def test_behind_raises_a_write_error_in_the_caller():
    def write(x):
        if x == 3:
            raise OSError(28, "No space left on device")

    w = Behind(write)
    with pytest.raises(OSError, match="No space left"):
        for i in range(100):
            w.put(i)
        w.close()


def test_ahead_yields_everything_in_order_and_raises_at_the_failing_item():
    assert list(ahead(iter(range(1000)), depth=3)) == list(range(1000))

    def items():
        yield 1
        yield 2
        raise ValueError("damaged row group")

    got = []
    with pytest.raises(ValueError, match="damaged row group"):
        for x in ahead(items()):
            got.append(x)
    assert got == [1, 2]


def test_ahead_stops_its_thread_when_the_consumer_stops_early():
    # the threads ahead() starts, told apart from any other test's threads (a global count is racy under load)
    before = set(threading.enumerate())
    gen = ahead(iter(range(10**9)), depth=2)
    assert next(gen) == 0
    started = set(threading.enumerate()) - before
    assert started  # the reading thread is running
    gen.close()
    for _ in range(500):
        if not any(t.is_alive() for t in started):
            break
        time.sleep(0.01)
    assert not any(t.is_alive() for t in started)


def test_behind_close_waits_but_keeps_quiet_when_the_caller_is_failing():
    done = []

    def write(x):
        time.sleep(0.01)
        done.append(x)
        if x == 1:
            raise OSError("later")

    w = Behind(write)
    w.put(0)
    w.put(1)
    w.close(raise_errors=False)  # the caller's own error is the one it reports
    assert done == [0, 1]


def test_behind_writes_nothing_after_a_failed_write():
    # a failed write leaves a hole: no later block may land after it (the file would read as whole)
    done = []

    def write(x):
        if x == 1:
            raise OSError(28, "No space left on device")
        done.append(x)

    w = Behind(write, depth=8)
    for i in range(6):
        try:
            w.put(i)
        except OSError:
            pass
    w.close(raise_errors=False)
    assert done == [0]

"""Work on a background thread: order kept, errors raised in the caller, an early stop ends the thread."""

from __future__ import annotations

import threading
import time

import pytest

from emiss.batch.behind import Ahead, Behind, ahead


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


def test_a_run_ends_when_nothing_more_has_arrived():
    # a slow producer: what it gave is handed on at once (the run ends), not when its next item comes
    gate = threading.Event()

    def items():
        yield 1
        yield 2
        gate.wait(10)
        yield 3

    reader = Ahead(items(), 10)
    runs = reader.runs()
    got = []
    for run in runs:
        got += list(run)
        if len(got) >= 2:
            break
    assert got == [1, 2] and not gate.is_set()
    gate.set()
    assert [x for run in runs for x in run] == [3]


def test_ahead_reads_no_more_than_its_limit_ahead():
    produced = []

    def items():
        for i in range(100):
            produced.append(i)
            yield i

    reader = Ahead(items(), 10, size=lambda item: 2)
    for _ in range(500):
        if len(produced) >= 6:
            break
        time.sleep(0.01)
    time.sleep(0.1)
    assert len(produced) == 6  # 5 items of size 2 arrived (the limit), the 6th read and waiting for room
    reader.stop(5)
    assert not reader.thread.is_alive()


def test_a_fast_producer_is_read_at_most_about_a_block_ahead():
    # NDJSON from a pipe comes as one Lines per read (hundreds of rows): the reading thread counts rows, not reads,
    # so memory stays flat (it once read up to 8,192 reads ahead, ~500 MB)
    from emiss.batch.columnar import CHUNK, Engine
    from emiss.batch.read import Lines
    from emiss.core.model import Spec

    produced = []

    def items():
        for k in range(200):
            produced.append(k)
            yield Lines([b'{"turbines": 1, "capacity": "5 MW"}\n'] * 1000, 1 + 1000 * k)

    blocks = Engine(Spec(), {}).chunks(items())
    next(blocks)
    time.sleep(0.3)
    # taken by the engine (up to CHUNK rows and one read), arrived (the same), one read in the thread's hands
    assert len(produced) * 1000 <= 2 * (CHUNK + 1000) + 1000
    blocks.close()


def test_engine_raises_a_read_error_after_the_rows_read_before_it():
    from emiss.batch.columnar import Engine
    from emiss.batch.records import Record
    from emiss.core.model import Spec

    def items():
        yield Record(1, None, {"turbines": 1, "capacity": "5 MW"})
        yield Record(2, None, {"turbines": 2, "capacity": "5 MW"})
        raise ValueError("damaged gzip")

    got = []
    with pytest.raises(ValueError, match="damaged gzip"):
        for block, _ in Engine(Spec(), {}).chunks(items()):
            got += list(block.numbers)
    assert got == [1, 2]


def test_a_slow_producers_records_are_estimated_before_it_gives_more():
    # two records come at once, then the producer is silent: both are estimated now (the second once waited in
    # the reading thread's hands until the producer gave more or ended)
    from emiss.batch.columnar import Engine
    from emiss.batch.records import Record
    from emiss.core.model import Spec

    gate, released = threading.Event(), []

    def items():
        yield Record(1, None, {"turbines": 1, "capacity": "5 MW"})
        yield Record(2, None, {"turbines": 2, "capacity": "5 MW"})
        gate.wait(5)
        released.append(True)

    got = []
    blocks = Engine(Spec(), {}).chunks(items())
    for block, _ in blocks:
        got += list(block.numbers)
        if len(got) == 2:
            break
    assert got == [1, 2] and not released
    gate.set()
    blocks.close()
